"""Price lists and categories written by the seller's systems (small, one by one)."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Category, PriceList
from portal.services import DomainError
from portal.services.integration.audit import audit

_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,39}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def create_price_list(client, code: str, name: str, currency: str) -> PriceList:
    code, name, currency = code.strip().upper(), " ".join(name.split()), currency.upper()
    if not _CODE.fullmatch(code):
        raise DomainError(_("A code is 1 to 40 letters, digits, - or _."), field="code")
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise DomainError(_("A currency is a three-letter ISO code such as EUR."),
                          field="currency")
    if db.session.scalar(select(PriceList.id).where(PriceList.code == code)) is not None:
        raise DomainError(_("A price list with this code exists."), field="code")
    price_list = PriceList(code=code, name=name, currency=currency, is_base=False)
    db.session.add(price_list)
    db.session.flush()
    audit(client, "price_list.created", price_list, {"code": code, "currency": currency})
    return price_list


def upsert_category(client, slug: str, name_fr: str, name_en: str,
                    parent_slug: str | None, position: int) -> tuple[Category, bool]:
    """Create or rename a category by slug; True when it was created."""
    slug = slug.strip().lower()
    if not _SLUG.fullmatch(slug):
        raise DomainError(_("A slug is 1 to 80 lowercase letters, digits or -."))
    parent = None
    if parent_slug:
        parent = db.session.scalar(select(Category).where(Category.slug == parent_slug.lower()))
        if parent is None or parent.slug == slug:
            raise DomainError(_("No other category has the slug %(slug)s.", slug=parent_slug),
                              field="parent_slug")
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    created = category is None
    if created:
        category = Category(slug=slug)
        db.session.add(category)
    category.name_fr, category.name_en = " ".join(name_fr.split()), " ".join(name_en.split())
    category.parent_id, category.position = (parent.id if parent else None), position
    db.session.flush()
    audit(client, "category.created" if created else "category.updated", category,
          {"slug": slug})
    return category, created
