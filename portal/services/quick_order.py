"""Quick order: check typed, pasted or uploaded lines against what this buyer can order.

Parsing lives in `services.paste`. Here, `merge_entries` and `check_entry` are pure rules over
plain values (a `ProductInfo` per SKU); `load_products` reads everything a page of lines needs
in a bounded number of queries (products, replacements, prices, stock), whatever the number of
lines; the use cases add the valid lines to the cart or save them as a shopping list.

Every input line ends up in the result with a status: none is dropped silently. Duplicate
SKUs become one line that says how many it merged.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import and_, case, or_, select

from portal.extensions import db
from portal.models import Product, ShoppingList, ShoppingListLine
from portal.services import DomainError
from portal.services import cart as cart_service
from portal.services.availability import stock_totals
from portal.services.paste import MAX_LINES, RawLine
from portal.services.pricing import (
    PriceBook,
    RoundUpHint,
    Tier,
    quote,
    round_up_hint,
    snap_quantity,
)
from portal.services.quantities import MAX_QUANTITY, parse_quantity
from portal.services.visibility import visible_products

SUGGESTIONS = 8
# "Did you mean": close SKUs offered for an unknown one. Only the first unknown lines get
# them, so a pasted list of junk costs one bounded query, not one per line.
NEAR_PER_LINE = 3
NEAR_LINES = 20
NEAR_CANDIDATES = 1000
NEAR_RATIO = 0.6
MAX_LIST_NAME = 120

# Line statuses and the reason codes the templates turn into messages.
OK, WARNING, ERROR = "ok", "warning", "error"
MISSING_SKU = "missing_sku"
UNKNOWN = "unknown"  # unknown, not visible, inactive or not priced: one answer for all
DISCONTINUED = "discontinued"
QUANTITY = "quantity"  # not digits, zero, too large
MULTIPLE = "multiple"  # not a multiple of the selling unit: snap offered
MINIMUM = "minimum"  # below the smallest priced quantity: snap offered
BACKORDER = "backorder"  # more than in stock: still orderable


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

    @property
    def invalid_field(self) -> str:
        """Which field of the row holds the mistake: "sku", "qty" or ""."""
        if self.status != ERROR:
            return ""
        return "qty" if self.code in (QUANTITY, MULTIPLE, MINIMUM) else "sku"

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


def normalize_sku(raw: str) -> str:
    return "".join((raw or "").split()).upper()


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


def _saving(tiers, quantity: int, target: int) -> int:
    now, then = quote(tiers, quantity), quote(tiers, target)
    if now is None or then is None:
        return 0
    return max(0, (now.unit_price_cents - then.unit_price_cents) * target)


def check_entry(entry: Entry, info: ProductInfo | None) -> LineResult:
    """The status of one line: can it be ordered as typed, and if not, what is offered."""
    base = {"sku": entry.sku, "quantity_text": entry.quantity_text, "merged": entry.merged,
            "sources": entry.sources}
    if not entry.sku:
        return LineResult(status=ERROR, code=MISSING_SKU, **base)
    if info is None or not info.tiers:
        return LineResult(status=ERROR, code=UNKNOWN, **base)
    if info.discontinued:
        return LineResult(status=ERROR, code=DISCONTINUED, product=info,
                          replacement_sku=info.replacement_sku, **base)
    if entry.quantity is None:
        return LineResult(status=ERROR, code=QUANTITY, detail=entry.quantity_error,
                          product=info, **base)
    quantity, step = entry.quantity, max(info.order_multiple, 1)
    if quantity % step:
        target = min(snap_quantity(quantity, step), MAX_QUANTITY // step * step)
        return LineResult(status=ERROR, code=MULTIPLE, product=info, quantity=quantity,
                          snap_to=target, saving_cents=_saving(info.tiers, quantity, target),
                          **base)
    priced = quote(info.tiers, quantity)
    if priced is None:
        smallest = min(t.min_qty for t in info.tiers)
        return LineResult(status=ERROR, code=MINIMUM, product=info, quantity=quantity,
                          snap_to=snap_quantity(smallest, step), **base)
    snap_to, saving, round_up = None, 0, None
    hint = round_up_hint(quantity, info.case_pack, info.tiers)
    if hint and hint.saving_cents > 0 and hint.to_quantity % step == 0:
        snap_to, saving, round_up = hint.to_quantity, hint.saving_cents, hint
    backorder = quantity > info.in_stock
    return LineResult(status=WARNING if backorder else OK, code=BACKORDER if backorder else OK,
                      product=info, quantity=quantity, unit_price_cents=priced.unit_price_cents,
                      line_total_cents=priced.line_total_cents, snap_to=snap_to,
                      saving_cents=saving, round_up=round_up, **base)


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
    found = {p.id: p for p in db.session.scalars(
        visible_products(user).where(Product.sku.in_(skus)))}
    wanted = {p.replacement_id for p in found.values()
              if p.discontinued and p.replacement_id} - set(found)
    if wanted:
        found.update({p.id: p for p in db.session.scalars(
            visible_products(user).where(Product.id.in_(wanted)))})
    book = PriceBook(user.company).load(found)
    stock = stock_totals(found)

    def info(product: Product) -> ProductInfo:
        prices = book.get(product.id)
        replacement = found.get(product.replacement_id) if product.discontinued else None
        usable = replacement is not None and not replacement.discontinued \
            and book.get(replacement.id) is not None
        return ProductInfo(
            product.id, product.sku, product.name(lang), product.case_pack,
            product.order_multiple, product.lead_time_days,
            prices.tiers if prices else (), stock.get(product.id, 0),
            prices.currency if prices else "EUR", product.category_id, product.discontinued,
            replacement.sku if usable else None)

    return {p.sku: info(p) for p in found.values()}


def run_check(user, raw_lines: Sequence[RawLine], lang: str = "fr") -> QuickOrderResult:
    products = load_products(user, (r.sku for r in raw_lines), lang)
    result = check_lines(raw_lines, products, user.company.currency)
    unknown = [(r.sku, r.sources[0].sku) for r in result.lines if r.code == UNKNOWN]
    if not unknown:
        return result
    near = near_skus(user, unknown, lang)
    return replace(result, lines=tuple(
        replace(r, near=near.get(r.sku, ())) if r.code == UNKNOWN else r
        for r in result.lines))


def rank_near(typed: str, words: Sequence[str], candidates: Sequence,
              limit: int = NEAR_PER_LINE) -> list:
    """The candidates (anything with `sku` and `search_text`) closest to what was typed,
    best first; far ones left out.

    Close means a SKU that differs by a typo or two, or a name holding every word typed
    (a name typed in the SKU field).
    """
    scored = []
    for product in candidates:
        ratio = difflib.SequenceMatcher(None, typed, product.sku).ratio()
        if words and all(w in (product.search_text or "") for w in words):
            ratio = max(ratio, 0.9)
        if ratio >= NEAR_RATIO and product.sku != typed:
            scored.append((-ratio, product.sku, product))
    return [product for _r, _sku, product in sorted(scored, key=lambda x: x[:2])[:limit]]


def _words(text: str) -> list[str]:
    folded = "".join(c for c in unicodedata.normalize("NFKD", (text or "").lower()[:60])
                     if not unicodedata.combining(c))
    return [w for w in folded.split() if len(w) >= 3][:3]


def near_skus(user, typed: Sequence[tuple[str, str]],
              lang: str = "fr") -> dict[str, tuple[tuple[str, str], ...]]:
    """For each unknown (SKU, text as typed), up to 3 (sku, name) this buyer can order.

    Candidates share the first or the last half of the SKU (one typo spoils only one half)
    or hold every word typed in their name; only visible, current, priced products are
    offered. One query for the candidates and one for their prices, whatever the lines.
    """
    wanted = {sku: _words(text) for sku, text in typed if len(sku) >= 3}
    wanted = dict(list(wanted.items())[:NEAR_LINES])
    if not wanted:
        return {}
    patterns, conditions = set(), []
    for sku, words in wanted.items():
        half = max(3, len(sku) // 2)
        patterns |= {_like(sku[:half]) + "%", "%" + _like(sku[-half:])}
        if words:
            conditions.append(and_(*[Product.search_text.like(f"%{_like(w)}%", escape="\\")
                                     for w in words]))
    conditions += [Product.sku.like(pattern, escape="\\") for pattern in sorted(patterns)]
    # Plain rows, not ORM objects: up to a thousand candidates are read to offer a few.
    pool = db.session.execute(
        visible_products(user).where(or_(*conditions), Product.discontinued.is_(False))
        .with_only_columns(Product.id, Product.sku, Product.search_text)
        .order_by(Product.sku).limit(NEAR_CANDIDATES)).all()
    ranked = {sku: rank_near(sku, words, pool) for sku, words in wanted.items()}
    ids = {row.id for found in ranked.values() for row in found}
    if not ids:
        return {}
    offered = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}
    book = PriceBook(user.company).load(offered)
    return {sku: tuple((row.sku, offered[row.id].name(lang)) for row in found
                       if book.get(row.id))
            for sku, found in ranked.items() if found}


def suggest(user, text: str, lang: str = "fr") -> list[tuple[str, str]]:
    """Up to 8 visible products whose SKU starts with, or whose name holds, what was typed."""
    text = (text or "").strip()[:60]
    if len(text) < 2:
        return []
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower())
                     if not unicodedata.combining(c))
    sku_match = Product.sku.like(_like(normalize_sku(text)) + "%", escape="\\")
    name_match = and_(*[Product.search_text.like(f"%{_like(w)}%", escape="\\")
                        for w in folded.split()[:5]])
    stmt = (visible_products(user)
            .where(or_(sku_match, name_match), Product.discontinued.is_(False))
            .order_by(case((sku_match, 0), else_=1), Product.sku)
            .limit(SUGGESTIONS))
    return [(p.sku, p.name(lang)) for p in db.session.scalars(stmt)]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
