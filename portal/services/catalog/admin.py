"""The seller's catalog editing: products, stock per warehouse, price tiers. Every change is
audited. Use cases change the session and never commit; bad input raises `FormInvalid` with a
message per field, parsed by the same strict cell parsers as the CSV import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from portal.extensions import db
from portal.models import PriceList, PriceTier, Product, Stock, Warehouse
from portal.services import DomainError, selling, text
from portal.services.accounts import record
from portal.services.catalog import packs
from portal.services.csv_import import cells
from portal.services.quantities import MAX_QUANTITY

PAGE_SIZE = 30
MAX_STOCK = 10_000_000
TEXTS = (("name_fr", 200, True), ("name_en", 200, True), ("brand", 80, False),
         ("description_fr", 5000, False), ("description_en", 5000, False))
NUMBERS = (("case_pack", 1, 10_000), ("order_multiple", 1, 10_000), ("lead_time_days", 0, 365))


class FormInvalid(DomainError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Some fields need a fix."))
        self.errors = errors


def _parse(errors: dict, name: str, parser, *args):
    try:
        return parser(*args)
    except cells.CellProblem as exc:
        errors[name] = str(exc)
        return None


# --- Lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductPage:
    products: list[Product]
    page: int
    has_more: bool


def search_products(query: str, page: int = 1) -> ProductPage:
    """SKU, GTIN or words of the name; staff see every product, active or not."""
    stmt = select(Product)
    words = (query or "").strip()[:100].lower().split()[:6]
    for word in words:
        like = f"%{word}%"
        stmt = stmt.where(or_(func.lower(Product.sku).like(like), Product.gtin == word,
                              Product.search_text.like(like), func.lower(Product.name_fr)
                              .like(like), func.lower(Product.name_en).like(like)))
    page = max(page, 1)
    found = list(db.session.scalars(stmt.order_by(Product.sku).offset((page - 1) * PAGE_SIZE)
                                    .limit(PAGE_SIZE + 1)))
    return ProductPage(found[:PAGE_SIZE], page, len(found) > PAGE_SIZE)


def find_product(product_id: int) -> Product | None:
    """Any product, visible or not: the seller's staff edit them all."""
    return db.session.get(Product, product_id)


def find_tier(tier_id: int) -> PriceTier | None:
    return db.session.get(PriceTier, tier_id)


def find_price_list(list_id: int) -> PriceList | None:
    return db.session.get(PriceList, list_id)


def price_lists() -> list[tuple[PriceList, int]]:
    counts = (select(PriceTier.price_list_id, func.count(PriceTier.id).label("n"))
              .group_by(PriceTier.price_list_id).subquery())
    return [(pl, n or 0) for pl, n in db.session.execute(
        select(PriceList, counts.c.n).outerjoin(counts, counts.c.price_list_id == PriceList.id)
        .order_by(PriceList.is_base.desc(), PriceList.code))]


def list_products(price_list: PriceList, page: int = 1) -> tuple[list, bool]:
    """Products priced in a list with their tiers, a page at a time (two queries)."""
    ids = list(db.session.scalars(
        select(PriceTier.product_id).where(PriceTier.price_list_id == price_list.id)
        .group_by(PriceTier.product_id).order_by(PriceTier.product_id)
        .offset((max(page, 1) - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    more, ids = len(ids) > PAGE_SIZE, ids[:PAGE_SIZE]
    products = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}
    tiers: dict[int, list[PriceTier]] = {}
    for tier in db.session.scalars(
            select(PriceTier).where(PriceTier.price_list_id == price_list.id,
                                    PriceTier.product_id.in_(ids)).order_by(PriceTier.min_qty)):
        tiers.setdefault(tier.product_id, []).append(tier)
    return [(products[i], tiers.get(i, [])) for i in ids if i in products], more


def tiers_by_list(product: Product) -> list[tuple[PriceList, list[PriceTier]]]:
    tiers: dict[int, list[PriceTier]] = {}
    for tier in db.session.scalars(select(PriceTier).where(PriceTier.product_id == product.id)
                                   .order_by(PriceTier.min_qty)):
        tiers.setdefault(tier.price_list_id, []).append(tier)
    return [(pl, tiers.get(pl.id, [])) for pl, _n in price_lists()]


def stock_levels(product: Product) -> list[tuple[Warehouse, int | None]]:
    levels = dict(db.session.execute(select(Stock.warehouse_id, Stock.quantity)
                                     .where(Stock.product_id == product.id)).all())
    return [(w, levels.get(w.id)) for w in
            db.session.scalars(select(Warehouse).order_by(Warehouse.code))]


# --- Products ----------------------------------------------------------------------------


def update_product(product: Product, actor, form: Mapping[str, str]) -> dict:
    """Apply the edit form; returns the changed fields (old, new) that were audited."""
    errors: dict[str, str] = {}
    values: dict = {}
    for name, size, required in TEXTS:
        clean = text.FIELDS["Product"].get(name, text.clean_line)
        values[name] = _parse(errors, name, cells.text, clean(form.get(name) or ""), size,
                              required)
    for name, low, high in NUMBERS:
        values[name] = _parse(errors, name, cells.integer, (form.get(name) or "").strip(),
                              low, high)
    if values["case_pack"] and values["order_multiple"] and "order_multiple" not in errors:
        problem = cells.order_multiple_problem(values["case_pack"], values["order_multiple"])
        if problem:
            errors["order_multiple"] = problem
    values["pack_kind"] = _pack_kind(errors, product, form.get("pack_kind"))
    values["tax_class"] = _tax_class(errors, product, form.get("tax_class"))
    values["service_interval_months"] = _interval(errors, product,
                                                  form.get("service_interval_months"))
    values["discontinued"] = form.get("discontinued") in ("1", "on", "yes")
    values["replacement_id"] = _replacement(errors, product, form.get("replacement_sku", ""))
    if errors:
        raise FormInvalid(errors)
    changed = {}
    for name, value in values.items():
        old = getattr(product, name)
        if old != value:
            changed[name] = [_short(old), _short(value)]
            setattr(product, name, value)
    if changed:
        record(actor, "product.update", product, {"changed": changed})
    return changed


def _interval(errors: dict, product: Product, raw: str | None) -> int | None:
    if raw is None:  # a form without the field keeps the interval
        return product.service_interval_months
    if not raw.strip():
        return None
    return _parse(errors, "service_interval_months", cells.integer, raw.strip(),
                  *cells.INTERVAL_MONTHS)


def _pack_kind(errors: dict, product: Product, raw: str | None) -> str:
    if raw is None:  # a form without the field keeps the kind
        return product.pack_kind or packs.DEFAULT_KIND
    kind = packs.normalize_kind(raw)
    if kind is None:
        errors["pack_kind"] = _("Choose a pack kind from the list.")
    return kind or product.pack_kind or packs.DEFAULT_KIND


def _tax_class(errors: dict, product: Product, raw: str | None):
    if raw is None:  # a form without the field keeps the class
        return product.tax_class
    try:  # a class the storefront has no rate for is refused: never sold at a guessed VAT
        tax_class = selling.parse_tax_class(raw)
        selling.rate_of(tax_class, selling.storefront_country())
    except DomainError as error:
        errors["tax_class"] = str(error)
        return product.tax_class
    return tax_class


def _replacement(errors: dict, product: Product, raw: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    sku = _parse(errors, "replacement_sku", cells.sku, raw)
    if sku is None:
        return None
    if sku == product.sku:
        errors["replacement_sku"] = _("a product cannot replace itself")
        return None
    found = db.session.scalar(select(Product.id).where(Product.sku == sku))
    if found is None:
        errors["replacement_sku"] = _("unknown SKU")
    return found


def _short(value):
    return value[:200] if isinstance(value, str) else value


def set_stock(product: Product, actor, levels: Mapping[int, str]) -> dict:
    """New stock per warehouse id; an empty cell leaves that warehouse as it is."""
    current = {w.id: (w, qty) for w, qty in stock_levels(product)}
    errors, changed = {}, {}
    parsed = {}
    for warehouse_id, raw in levels.items():
        raw = (raw or "").strip()
        if warehouse_id not in current or raw == "":
            continue
        qty = _parse(errors, f"stock-{warehouse_id}", cells.integer, raw, 0, MAX_STOCK)
        if qty is not None:
            parsed[warehouse_id] = qty
    if errors:
        raise FormInvalid(errors)
    for warehouse_id, qty in parsed.items():
        warehouse, old = current[warehouse_id]
        if old == qty:
            continue
        row = db.session.get(Stock, (product.id, warehouse_id))
        if row is None:
            db.session.add(Stock(product_id=product.id, warehouse_id=warehouse_id, quantity=qty))
        else:
            row.quantity = qty
        changed[warehouse.code] = [old, qty]
    if changed:
        record(actor, "stock.update", product, {"changed": changed})
    return changed


# --- Price tiers -------------------------------------------------------------------------


def _tier_values(raw_min: str, raw_price: str) -> tuple[int, int]:
    errors: dict[str, str] = {}
    min_qty = _parse(errors, "min_qty", cells.integer, (raw_min or "").strip(), 1, MAX_QUANTITY)
    cents = _parse(errors, "unit_price", cells.money, (raw_price or "").strip())
    if errors:
        raise FormInvalid(errors)
    return min_qty, cents


def _clash(price_list_id: int, product_id: int, min_qty: int, tier_id: int | None) -> None:
    other = db.session.scalar(select(PriceTier.id).where(
        PriceTier.price_list_id == price_list_id, PriceTier.product_id == product_id,
        PriceTier.min_qty == min_qty))
    if other is not None and other != tier_id:
        raise FormInvalid({"min_qty": _("this list already has a tier from this quantity")})


def add_tier(product: Product, actor, raw_list: str, raw_min: str, raw_price: str) -> PriceTier:
    raw_list = (raw_list or "").strip()
    price_list = (db.session.get(PriceList, int(raw_list))
                  if raw_list.isascii() and raw_list.isdigit() and len(raw_list) < 10 else None)
    if price_list is None:
        raise FormInvalid({"price_list": _("choose a price list")})
    min_qty, cents = _tier_values(raw_min, raw_price)
    _clash(price_list.id, product.id, min_qty, None)
    tier = PriceTier(price_list_id=price_list.id, product_id=product.id, min_qty=min_qty,
                     unit_price_cents=cents)
    db.session.add(tier)
    record(actor, "price_tier.create", tier, {"list": price_list.code, "sku": product.sku,
                                              "min_qty": min_qty, "unit_price_cents": cents})
    return tier


def update_tier(tier: PriceTier, actor, raw_min: str, raw_price: str) -> None:
    min_qty, cents = _tier_values(raw_min, raw_price)
    _clash(tier.price_list_id, tier.product_id, min_qty, tier.id)
    before = [tier.min_qty, tier.unit_price_cents]
    if before == [min_qty, cents]:
        return
    tier.min_qty, tier.unit_price_cents = min_qty, cents
    record(actor, "price_tier.update", tier, {"before": before, "after": [min_qty, cents]})


def delete_tier(tier: PriceTier, actor) -> None:
    record(actor, "price_tier.delete", tier, {"list_id": tier.price_list_id,
                                              "product_id": tier.product_id,
                                              "min_qty": tier.min_qty,
                                              "unit_price_cents": tier.unit_price_cents})
    db.session.delete(tier)
