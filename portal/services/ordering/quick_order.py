"""Quick order: check typed, pasted or uploaded lines against what this buyer can order.

Parsing lives in `paste`. Here, `merge_entries` and `check_entry` are pure rules over
plain values (a `ProductInfo` per SKU; the verdict itself is the selling policy's `judge`);
`load_products` reads a page of lines' offers in a bounded number of queries, whatever the
number of lines; the use cases add the valid lines to the cart or save them as a list.
Suggestions while typing and "did you mean" are in `sku_lookup`.

Every input line ends up in the result with a status: none is dropped silently. Duplicate
SKUs become one line that says how many it merged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Product, ShoppingList, ShoppingListLine
from portal.services import DomainError, delivery
from portal.services.ordering import cart as cart_service
from portal.services.ordering.paste import MAX_LINES, RawLine
from portal.services.ordering.sku_lookup import (
    bad_check_digit,
    near_skus,
    normalize_sku,
    skus_for_gtins,
)
from portal.services.quantities import MAX_QUANTITY, parse_quantity
from portal.services.selling import (
    QuantityRule,
    Reason,
    RoundUpHint,
    Tier,
    judge,
    offers_for,
    visible_products,
)

MAX_LIST_NAME = 120

# Line statuses. A line's code is a selling `Reason`, or one of the two input codes below
# (the line itself is unreadable, before any product is asked about).
OK, WARNING, ERROR = "ok", "warning", "error"
MISSING_SKU = "missing_sku"
BAD_GTIN = "bad_gtin"  # digits of a barcode's length whose check digit is wrong
QUANTITY = "quantity"  # not digits, zero, too large
QUANTITY_CODES = (QUANTITY, Reason.MULTIPLE, Reason.MINIMUM, Reason.TOO_MANY)


@dataclass(frozen=True)
class ProductInfo:
    """What the checks need to know about one orderable product, as plain values."""

    id: int
    sku: str
    name: str
    case_pack: int
    order_multiple: int
    lead_time_days: int
    tiers: tuple[Tier, ...]
    in_stock: int
    currency: str = "EUR"
    category_id: int | None = None
    discontinued: bool = False
    replacement_sku: str | None = None


@dataclass(frozen=True)
class Entry:
    """One line to check: an input line, or several input lines of the same SKU merged."""

    sku: str
    quantity_text: str
    quantity: int | None
    quantity_error: str
    sources: tuple[RawLine, ...]

    @property
    def merged(self) -> int:
        return len(self.sources)


@dataclass(frozen=True)
class LineResult:
    sku: str
    quantity_text: str
    status: str
    code: str = OK
    detail: str = ""  # the quantity's own message, for QUANTITY
    product: ProductInfo | None = None
    quantity: int | None = None
    unit_price_cents: int | None = None
    line_total_cents: int | None = None
    snap_to: int | None = None  # a quantity offered instead (MULTIPLE, MINIMUM, round-up)
    saving_cents: int = 0  # what snapping saves, when it does
    round_up: RoundUpHint | None = None  # the suggested full case, said as what changes
    replacement_sku: str | None = None
    merged: int = 1
    sources: tuple[RawLine, ...] = ()
    near: tuple[tuple[str, str], ...] = ()  # (sku, name) close to an unknown SKU
    parts: tuple = ()  # delivery.Part: when the quantity would arrive, if ordered now
    substitute: tuple[str, str] | None = None  # (sku, name) in stock, when part would wait

    @property
    def invalid_field(self) -> str:
        """Which field of the row holds the mistake: "sku", "qty" or ""."""
        if self.status != ERROR:
            return ""
        return "qty" if self.code in QUANTITY_CODES else "sku"

    @property
    def orderable(self) -> bool:
        return self.status in (OK, WARNING) and self.product is not None

    @property
    def backordered(self) -> int:
        if self.product is None or self.quantity is None:
            return 0
        return max(0, self.quantity - self.product.in_stock)


@dataclass(frozen=True)
class QuickOrderResult:
    lines: tuple[LineResult, ...]
    currency: str = "EUR"

    @property
    def errors(self) -> list[LineResult]:
        return [r for r in self.lines if r.status == ERROR]

    @property
    def orderable(self) -> list[LineResult]:
        return [r for r in self.lines if r.orderable]

    @property
    def total_cents(self) -> int:
        return sum(r.line_total_cents or 0 for r in self.orderable)


# -- Pure rules ----------------------------------------------------------------------------

def merge_entries(raw_lines: Sequence[RawLine]) -> list[Entry]:
    """Lines of the same SKU with a valid quantity become one entry (quantities added).

    Lines with a bad quantity or no SKU stay on their own, so each keeps its message.
    """
    entries: list[Entry | list] = []
    by_sku: dict[str, list] = {}
    for raw in raw_lines:
        sku = normalize_sku(raw.sku)
        try:
            quantity, error = parse_quantity(raw.quantity), ""
        except DomainError as e:
            quantity, error = None, str(e)
        if sku and quantity is not None:
            group = by_sku.get(sku)
            if group is None:
                group = by_sku[sku] = [sku, []]
                entries.append(group)
            group[1].append((raw, quantity))
        else:
            entries.append(Entry(sku, raw.quantity.strip(), quantity, error, (raw,)))
    result = []
    for item in entries:
        if isinstance(item, Entry):
            result.append(item)
            continue
        sku, members = item
        total = sum(q for _raw, q in members)
        sources = tuple(raw for raw, _q in members)
        error = ""
        if total > MAX_QUANTITY:
            error = _("The quantity cannot exceed %(max)s.", max=MAX_QUANTITY)
        result.append(Entry(sku, str(total), None if error else total, error, sources))
    return result


def check_entry(entry: Entry, info: ProductInfo | None) -> LineResult:
    """The status of one line: the selling verdict on it as typed, and what is offered."""
    base = {"sku": entry.sku, "quantity_text": entry.quantity_text, "merged": entry.merged,
            "sources": entry.sources}
    if not entry.sku:
        return LineResult(status=ERROR, code=MISSING_SKU, **base)
    if info is None:
        return LineResult(status=ERROR, code=Reason.UNAVAILABLE, **base)
    rule = QuantityRule.of(info.case_pack, info.order_multiple, info.tiers)

    def verdict(quantity):
        return judge(quantity, rule, info.tiers, discontinued=info.discontinued,
                     in_stock=info.in_stock, lead_time_days=info.lead_time_days)

    # The product is asked about first: an unreadable quantity of an unknown SKU is unknown.
    about = verdict(entry.quantity or rule.default())
    if about.reason == Reason.UNAVAILABLE:
        return LineResult(status=ERROR, code=Reason.UNAVAILABLE, **base)
    if about.reason == Reason.DISCONTINUED:
        return LineResult(status=ERROR, code=Reason.DISCONTINUED, product=info,
                          replacement_sku=info.replacement_sku, **base)
    if entry.quantity is None:
        return LineResult(status=ERROR, code=QUANTITY, detail=entry.quantity_error,
                          product=info, **base)
    found = verdict(entry.quantity)
    status = OK if found.reason == Reason.OK else \
        WARNING if found.reason == Reason.BACKORDER else ERROR
    return LineResult(status=status, code=found.reason, product=info, quantity=entry.quantity,
                      unit_price_cents=found.unit_price_cents,
                      line_total_cents=found.line_total_cents, snap_to=found.snap_to,
                      saving_cents=found.saving_cents, round_up=found.round_up, **base)


def check_lines(raw_lines: Sequence[RawLine], products: Mapping[str, ProductInfo],
                currency: str = "EUR") -> QuickOrderResult:
    entries = merge_entries(raw_lines)
    results = tuple(check_entry(e, products.get(e.sku)) for e in entries)
    currencies = {r.product.currency for r in results if r.orderable}
    return QuickOrderResult(results, currencies.pop() if len(currencies) == 1 else currency)


def too_many(raw_lines: Sequence[RawLine]) -> bool:
    return len(raw_lines) > MAX_LINES


# -- Loading -------------------------------------------------------------------------------

def load_products(user, skus, lang: str = "fr") -> dict[str, ProductInfo]:
    """ProductInfo of the visible products among `skus` (and of their replacements)."""
    skus = {normalize_sku(s) for s in skus} - {""}
    if not skus:
        return {}
    found = list(db.session.scalars(visible_products(user).where(Product.sku.in_(skus))))
    offers = offers_for(user).load(found)

    def info(product: Product) -> ProductInfo:
        offer = offers[product.id]
        return ProductInfo(
            product.id, product.sku, product.name(lang), product.case_pack,
            product.order_multiple, product.lead_time_days, offer.tiers, offer.in_stock,
            offer.currency or "EUR", product.category_id, product.discontinued,
            offer.replacement.sku if offer.replacement else None)

    return {p.sku: info(p) for p in found}


def with_skus(raw_lines: Sequence[RawLine], by_gtin: Mapping[str, str]) -> list[RawLine]:
    """The lines with each known GTIN replaced by its product's SKU (so they merge)."""
    return [replace(r, sku=by_gtin.get(normalize_sku(r.sku), r.sku)) for r in raw_lines]


def mark_bad_gtins(result: QuickOrderResult) -> QuickOrderResult:
    """Unknown codes that are a GTIN with a wrong check digit say so (a misread or typo)."""
    return replace(result, lines=tuple(
        replace(r, code=BAD_GTIN) if r.code == Reason.UNAVAILABLE and bad_check_digit(r.sku)
        else r for r in result.lines))


def run_check(user, raw_lines: Sequence[RawLine], lang: str = "fr") -> QuickOrderResult:
    raw_lines = with_skus(raw_lines, skus_for_gtins(user, (r.sku for r in raw_lines)))
    products = load_products(user, (r.sku for r in raw_lines), lang)
    result = mark_bad_gtins(check_lines(raw_lines, products, user.company.currency))
    result = _dated(user, result, lang)
    unknown = [(r.sku, r.sources[0].sku) for r in result.lines
               if r.code == Reason.UNAVAILABLE]
    if not unknown:
        return result
    near = near_skus(user, unknown, lang)
    return replace(result, lines=tuple(
        replace(r, near=near.get(r.sku, ())) if r.code == Reason.UNAVAILABLE else r
        for r in result.lines))


def _dated(user, result: QuickOrderResult, lang: str) -> QuickOrderResult:
    """Each orderable line's delivery dates (to the buyer's last jobsite), and for a line that
    would wait for its lead time the in-stock substitute (the cart's rule: services/delivery)."""
    orderable = [r for r in result.lines if r.orderable]
    if not orderable:
        return result
    shelf = offers_for(user)
    offers = shelf.load(r.product.id for r in orderable)
    jobsite = user.last_jobsite if user.last_jobsite_id else None
    serving = delivery.route(user.company, jobsite)
    moment = delivery.now()
    parts = {id(r): delivery.line_parts(offers[r.product.id], r.quantity, serving, moment)
             for r in orderable}
    short = [r for r in orderable if any(not p.in_stock for p in parts[id(r)])]
    instead = delivery.offers_instead(user, [(r.product.id, r.quantity) for r in short]) \
        if short else {}

    def substitute(r):
        found = instead.get(r.product.id)
        return (found.product.sku, found.product.name(lang)) if found else None

    return replace(result, lines=tuple(
        replace(r, parts=parts[id(r)], substitute=substitute(r)) if id(r) in parts else r
        for r in result.lines))


# -- Use cases -----------------------------------------------------------------------------

def _orderable_products(result: QuickOrderResult) -> dict[int, Product]:
    ids = [r.product.id for r in result.orderable]
    return {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}


def add_all_to_cart(user, result: QuickOrderResult, skip_errors: bool = False) -> int:
    """Add every orderable line; returns the count.

    Refused while any line has an error, unless the buyer chose to add the good lines and
    keep the others to fix (`skip_errors`): the caller shows those again.
    """
    if result.errors and not skip_errors:
        raise DomainError(_("Fix the lines marked in red first: nothing was added."))
    if not result.orderable:
        raise DomainError(_("Enter at least one SKU and quantity."))
    products = _orderable_products(result)
    cart_service.add_many(user, [(products[r.product.id], r.quantity, "")
                                 for r in result.orderable])
    return len(result.orderable)


def default_list_name(now) -> str:
    return _("Quick order of %(date)s", date=now.strftime("%d/%m/%Y"))


def save_as_list(user, result: QuickOrderResult, name: str, now) -> ShoppingList:
    """A private shopping list with the orderable lines (lines with an error are left out)."""
    if not result.orderable:
        raise DomainError(_("No line can be saved: fix the lines marked in red first."))
    name = " ".join((name or "").split()) or default_list_name(now)
    if len(name) > MAX_LIST_NAME:
        raise DomainError(_("A list name can hold %(max)s characters at most.",
                            max=MAX_LIST_NAME))
    shopping_list = ShoppingList(company_id=user.company_id, owner_id=user.id, name=name,
                                 shared=False)
    db.session.add(shopping_list)
    for position, r in enumerate(result.orderable, start=1):
        shopping_list.lines.append(ShoppingListLine(product_id=r.product.id,
                                                    quantity=r.quantity, position=position))
    db.session.flush()
    return shopping_list
