"""The seller creates a product or a price list by hand (the back office), not only by CSV
or API. A new product starts on no price list ("price on request" for buyers) until staff add
its tiers; every creation is audited with who and when."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Category, PriceList, Product
from portal.services.accounts import record
from portal.services.catalog.admin import FormInvalid, _parse, update_product
from portal.services.catalog.price_admin import apply_settings, list_settings
from portal.services.csv_import import cells

_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,39}")


def category_choices(lang: str = "fr") -> list[tuple[int, str]]:
    """Every category as (id, "Parent › Child"), sorted by that path."""
    rows = db.session.execute(select(Category.id, Category.parent_id, Category.name_fr,
                                     Category.name_en)).all()
    by_id = {r.id: r for r in rows}

    def path(row) -> str:
        names, seen = [], set()
        while row is not None and row.id not in seen:
            seen.add(row.id)
            names.append(row.name_en if lang == "en" else row.name_fr)
            row = by_id.get(row.parent_id)
        return " › ".join(reversed(names))

    return sorted(((r.id, path(r)) for r in rows), key=lambda item: item[1].lower())


def create_product(actor, form: Mapping[str, str]) -> Product:
    """A new product from the creation form (SKU, category, then the edit form's fields);
    FormInvalid lists every field to fix, nothing is written."""
    errors: dict[str, str] = {}
    sku = _parse(errors, "sku", cells.sku, (form.get("sku") or "").strip())
    if sku and db.session.scalar(select(Product.id).where(Product.sku == sku)) is not None:
        errors["sku"] = _("A product with this SKU exists.")
    raw_category = (form.get("category_id") or "").strip()
    category = db.session.get(Category, int(raw_category)) \
        if raw_category.isascii() and raw_category.isdigit() and len(raw_category) < 10 else None
    if category is None:
        errors["category_id"] = _("Choose a category from the list.")
    product = Product(sku=sku or "NEW", name_fr="", name_en="",
                      category_id=category.id if category else None, active=True,
                      discontinued=False)
    try:
        if errors:
            raise FormInvalid({})
        db.session.add(product)
        update_product(product, actor, form)
    except FormInvalid as problem:
        raise FormInvalid({**problem.errors, **errors}) from None
    db.session.flush()
    record(actor, "product.create", product, {"sku": sku, "category": category.slug})
    return product


def create_price_list(actor, form: Mapping[str, str], today: date) -> PriceList:
    """A new price list (code, name, currency, optional validity dates, and the customer group
    or company it is given to); its tiers are added per product after."""
    errors: dict[str, str] = {}
    code = (form.get("code") or "").strip().upper()
    if not _CODE.fullmatch(code):
        errors["code"] = _("A code is 1 to 40 letters, digits, - or _.")
    elif db.session.scalar(select(PriceList.id).where(PriceList.code == code)) is not None:
        errors["code"] = _("A price list with this code exists.")
    settings = list_settings(form, today, errors=errors)
    price_list = PriceList(code=code, name=settings.name, currency=settings.currency,
                           is_base=False)
    db.session.add(price_list)
    db.session.flush()
    record(actor, "price_list.create", price_list, {"code": code,
                                                    "currency": settings.currency})
    apply_settings(price_list, actor, settings)
    return price_list
