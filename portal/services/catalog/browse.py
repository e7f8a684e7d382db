"""The catalog as a customer sees it: the category tree, product rows and the product page.

Everything here starts from what the user may see (selling.visibility); prices, stock and the
quantity rule come from the selling policy's offers, loaded once per request for a whole page:
the number of queries of a page does not depend on its number of rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import Category, Product
from portal.services.catalog.facets import NO_FACETS, Facets, read_facets
from portal.services.catalog.search import SearchQuery, SearchResult, filtered, search
from portal.services.catalog.search_index import _brands_cache
from portal.services.quantities import parse_quantity
from portal.services.selling import (
    Availability,
    Offer,
    ProductPrices,
    Quote,
    RoundUpHint,
    TaxRule,
    Tier,
    offers_for,
    per_process,
    presence_only,
    require_quantity,
    restriction_clause,
    suggested_case,
    visible_category_ids,
    visible_products,
)

# --- Categories --------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryNode:
    """A category as pages show it: plain values, kept by the process (`per_process`)."""

    id: int
    parent_id: int | None
    slug: str
    name_fr: str
    name_en: str
    position: int

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fr


_CATEGORIES = select(Category.id, Category.parent_id, Category.slug, Category.name_fr,
                     Category.name_en, Category.position)


def _all_categories() -> tuple[CategoryNode, ...]:
    # Every page of the catalog walks the tree; staff change it a few times a year.
    return per_process(("categories",), lambda: tuple(
        CategoryNode(*row) for row in db.session.execute(_CATEGORIES)))


class CategoryTree:
    """The categories a user may browse, kept per process and walked in memory."""

    def __init__(self, user, lang: str):
        allowed = visible_category_ids(user)
        rows = _all_categories()
        self.lang = lang
        self._by_id = {c.id: c for c in rows if allowed is None or c.id in allowed}
        self._children: dict[int | None, list[CategoryNode]] = {}
        for c in self._by_id.values():
            parent = c.parent_id if c.parent_id in self._by_id else None
            self._children.setdefault(parent, []).append(c)
        for siblings in self._children.values():
            siblings.sort(key=lambda c: (c.position or 0, c.name(lang).casefold()))

    def get(self, category_id: int | None) -> CategoryNode | None:
        return self._by_id.get(category_id) if category_id is not None else None

    def top(self) -> list[CategoryNode]:
        return self._children.get(None, [])

    def children(self, category_id: int) -> list[CategoryNode]:
        return self._children.get(category_id, [])

    def path(self, category_id: int) -> list[CategoryNode]:
        """From the top category down to this one."""
        found, current = [], self.get(category_id)
        while current is not None and current not in found:
            found.append(current)
            current = self.get(current.parent_id)
        return list(reversed(found))

    def subtree_ids(self, category_id: int) -> set[int]:
        found, stack = set(), [category_id]
        while stack:
            cid = stack.pop()
            if cid in found or cid not in self._by_id:
                continue
            found.add(cid)
            stack.extend(c.id for c in self.children(cid))
        return found

    def options(self) -> list[tuple[int, str]]:
        """(id, label) for a select, depth shown by a leading dash per level."""
        out: list[tuple[int, str]] = []

        def walk(nodes, depth):
            for c in nodes:
                out.append((c.id, "– " * depth + c.name(self.lang)))
                walk(self.children(c.id), depth + 1)

        walk(self.top(), 0)
        return out


# --- Rows: a product with its price, stock and chosen quantity ----------------------------


@dataclass(frozen=True)
class ProductRow:
    product: Product
    availability: Availability
    prices: ProductPrices | None  # None: prices hidden from this user, or not priced
    quantity: int
    quote: Quote | None
    hint: RoundUpHint | None
    tax: TaxRule | None = None  # its VAT, for a storefront that shows prices with VAT

    @property
    def orderable(self) -> bool:
        return self.prices is not None and not self.product.discontinued


def _row(offer: Offer, stock: Availability, quantity: int | None) -> ProductRow:
    prices = offer.prices
    if quantity is None:
        quantity = offer.rule.default()
    quoted = prices.quote(quantity) if prices else None
    hint = suggested_case(quantity, offer.rule, offer.tiers) if prices else None
    return ProductRow(offer.product, stock, prices, quantity, quoted, hint, offer.tax)


def counts_stock_for(user) -> bool:
    """Customers and staff see stock counts; anonymous visitors only when the seller says so
    (PUBLIC_STOCK_DETAIL = "quantity")."""
    return (getattr(user, "is_authenticated", False)
            or current_app.config["PUBLIC_STOCK_DETAIL"] == "quantity")


def _told(user, stock: Availability) -> Availability:
    return stock if counts_stock_for(user) else presence_only(stock)


def product_rows(user, products: list[Product], quantities: dict[int, int] | None = None
                 ) -> list[ProductRow]:
    """Rows for a page of products: one batch of offers for all of them."""
    offers = offers_for(user).load(products)
    quantities = quantities or {}
    return [_row(offers[p.id], _told(user, offers[p.id].availability()), quantities.get(p.id))
            for p in products]


def _offer_row(user, offer: Offer, quantity: int | None = None,
               per_warehouse: bool = False) -> ProductRow:
    # Each warehouse's stock came with the offer (one statement for both).
    if per_warehouse and counts_stock_for(user):
        stock = offer.availability(per_warehouse=True)
    else:
        stock = _told(user, offer.availability())
    return _row(offer, stock, quantity)


def product_row(user, product: Product, quantity: int | None = None,
                per_warehouse: bool = False) -> ProductRow:
    return _offer_row(user, offers_for(user).get(product), quantity, per_warehouse)


# --- The product page --------------------------------------------------------------------


@dataclass(frozen=True)
class TierLine:
    kind: str  # "unit", "half_case", "case", "volume", "from"
    min_qty: int
    unit_price_cents: int
    case_price_cents: int


def describe_tiers(tiers: tuple[Tier, ...], case_pack: int) -> list[TierLine]:
    """Name each price tier by what a buyer calls it: unit, half case, full case, volume."""
    lines = []
    for t in sorted(tiers, key=lambda t: t.min_qty):
        if t.min_qty == 1:
            kind = "unit"
        elif case_pack > 1 and t.min_qty == case_pack:
            kind = "case"
        elif case_pack > 1 and case_pack % 2 == 0 and t.min_qty == case_pack // 2:
            kind = "half_case"
        elif t.min_qty > case_pack:
            kind = "volume"
        else:
            kind = "from"
        lines.append(TierLine(kind, t.min_qty, t.unit_price_cents,
                              t.unit_price_cents * max(case_pack, 1)))
    return lines


@dataclass(frozen=True)
class ProductPage:
    row: ProductRow
    path: list[CategoryNode]
    tiers: list[TierLine]
    replacement: ProductRow | None


def product_page(user, product: Product, lang: str, quantity: int | None = None
                 ) -> ProductPage:
    shelf = offers_for(user)
    row = _offer_row(user, shelf.get(product), quantity, per_warehouse=True)
    tree = CategoryTree(user, lang)
    tiers = describe_tiers(row.prices.tiers, product.case_pack) if row.prices else []
    replacement = None
    if product.discontinued and product.replacement_id:
        # Loaded with the product when the buyer may see it; absent otherwise.
        found = shelf.peek(product.replacement_id)
        if found is not None and found.visible:
            replacement = _offer_row(user, found)
    return ProductPage(row, tree.path(product.category_id), tiers, replacement)


BRANDS_TTL_SECONDS = 60


def brands(user, now: float | None = None) -> list[str]:
    """Brands among the products this user may see, for the search filter.

    Listing them scans the whole catalog (80 ms at 50,000 products), so the list is kept a
    minute per assortment: the key is the company when its assortment is restricted, else
    shared. Brands are not prices: nothing company-specific leaks through the shared entry.
    """
    now = time.monotonic() if now is None else now
    restricted = restriction_clause(user) is not None
    # A storefront's own list restricts its visitors too (they have no company id).
    key = (db.engine.url.render_as_string(), user.company_id if restricted else None,
           getattr(getattr(user, "company", None), "price_list_id", None) if restricted
           else None)
    cached = _brands_cache.get(key)
    if cached and now - cached[0] < BRANDS_TTL_SECONDS:
        return cached[1]
    stmt = (visible_products(user).with_only_columns(Product.brand)
            .where(Product.brand != "").distinct().order_by(Product.brand).limit(100))
    found = list(db.session.scalars(stmt))
    _brands_cache[key] = (now, found)
    return found


# --- Listings: the category page and the search page -------------------------------------


@dataclass(frozen=True)
class Listing:
    tree: CategoryTree
    category: CategoryNode | None
    result: SearchResult
    rows: list[ProductRow]
    brands: list[str]
    facets: Facets = NO_FACETS


def listing(user, query: SearchQuery, lang: str, with_brands: bool = False) -> Listing | None:
    """A page of products for a search or a category; None when the category is not visible
    (the caller answers 404, as for a missing one). In a category, the attribute filters it
    offers come with the page (one statement more), and those asked for narrow the products."""
    tree = CategoryTree(user, lang)
    category = None
    if query.category_id is not None:
        category = tree.get(query.category_id)
        if category is None:
            return None
    ids = tree.subtree_ids(category.id) if category is not None else None
    facets = NO_FACETS
    if category is not None:
        base = filtered(visible_products(user), user, query, ids)
        facets = read_facets(base, [c.id for c in tree.path(category.id)], query.filters, lang)
    # Codes the category does not know (any, without a category) leave the page's links.
    query = replace(query, filters=facets.applied)
    result = search(user, query, lang, ids, facets.conditions)
    return Listing(tree, category, result, product_rows(user, result.all_products),
                   brands(user) if with_brands else [], facets)


def choose_quantity(user, product: Product, raw, step: str | None = None) -> int:
    """The quantity a stepper should show after a tap (step "up"/"down") or a typed value.

    Raises DomainError for text that is not a quantity, QuantityNotOrderable (with the nearest
    orderable quantity) for a typed quantity the product is not sold in.
    """
    quantity = parse_quantity(raw)
    rule = offers_for(user).get(product).rule
    if step in ("up", "down"):
        return rule.tap(quantity, up=step == "up")  # a tap never ends below the minimum
    require_quantity(rule, quantity)
    return quantity
