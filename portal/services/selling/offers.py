"""Offers: each product as one buyer can buy it now, loaded for a batch in fixed statements.

`offers_for(buyer)` is the buyer's `Shelf`: once per request (memoised on flask.g, dropped
whenever the session writes), or fresh outside a request. `Shelf.load(products)` reads, for
any number of products, the visible ones among them and their usable replacements (one
statement), their tiers on the buyer's price-list chain (one) and their stock (one); the
chain and the visibility rules are read once per shelf.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import (
    Category,
    Company,
    CustomerGroup,
    PriceList,
    PriceTier,
    Product,
    Stock,
    VisibilityRule,
)
from portal.services.selling.availability import Availability, availability, stock_totals
from portal.services.selling.rules import (
    STANDARD_TAX,
    QuantityRule,
    Quote,
    TaxRule,
    Tier,
    Verdict,
    chain_ids,
    judge,
    quote,
    resolve_tiers,
)


@dataclass(frozen=True)
class ProductPrices:
    currency: str
    list_code: str
    tiers: tuple[Tier, ...]

    def quote(self, quantity: int) -> Quote | None:
        return quote(self.tiers, quantity)

    @property
    def unit_price_cents(self) -> int:
        """The price of the smallest quantity that can be bought."""
        return min(self.tiers, key=lambda t: t.min_qty).unit_price_cents


@dataclass(frozen=True)
class Offer:
    """One product as this buyer can buy it now."""

    product: Product
    visible: bool
    prices: ProductPrices | None  # None: not priced for this buyer, or prices hidden
    in_stock: int
    rule: QuantityRule
    tax: TaxRule = STANDARD_TAX
    replacement: Product | None = None  # visible, current and priced; None otherwise

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return self.prices.tiers if self.prices else ()

    @property
    def sellable(self) -> bool:
        """Visible and priced: the buyer may order it (discontinued aside)."""
        return self.visible and self.prices is not None

    @property
    def orderable(self) -> bool:
        return self.sellable and not self.product.discontinued

    @property
    def currency(self) -> str | None:
        return self.prices.currency if self.prices else None

    def availability(self) -> Availability:
        return availability(self.in_stock, self.product.case_pack, self.product.lead_time_days)

    def verdict(self, quantity: int) -> Verdict:
        return judge(quantity, self.rule, self.tiers, sellable=self.sellable,
                     discontinued=self.product.discontinued, in_stock=self.in_stock,
                     lead_time_days=self.product.lead_time_days,
                     replacement_id=self.replacement.id if self.replacement else None)


def _unknown(product: Product | None) -> Offer | None:
    if product is None:
        return None
    return Offer(product, False, None, 0,
                 QuantityRule.of(product.case_pack, product.order_multiple))


@dataclass
class Shelf:
    """Offers to one buyer; `load` fills them in a fixed number of statements."""

    buyer: object
    priced: bool
    _chain: list[int] | None = None
    _lists: dict[int, PriceList] = field(default_factory=dict)
    _offers: dict[int, Offer | None] = field(default_factory=dict)

    @property
    def company(self):
        return getattr(self.buyer, "company", None) if self.priced else None

    def chain(self) -> list[int]:
        if self._chain is None:
            company = self.company
            if company is None:
                self._chain = []
            else:
                group_list = None
                if company.customer_group_id:
                    group_list = db.session.scalar(select(CustomerGroup.price_list_id).where(
                        CustomerGroup.id == company.customer_group_id))
                base = db.session.scalar(select(PriceList.id).where(PriceList.is_base.is_(True)))
                self._chain = chain_ids(company.price_list_id, group_list, base)
                if self._chain:
                    self._lists = {pl.id: pl for pl in db.session.scalars(
                        select(PriceList).where(PriceList.id.in_(self._chain)))}
        return self._chain

    def load(self, products: Iterable[Product | int]) -> dict[int, Offer | None]:
        """Offers for these products (objects or ids); an id that is not a product maps to
        None. Products already loaded cost nothing."""
        from portal.services.selling.visibility import visible_products

        given: dict[int, Product | None] = {}
        for item in products:
            if isinstance(item, Product):
                given[item.id] = item
            else:
                given.setdefault(int(item), None)
        missing = [pid for pid in given if pid not in self._offers]
        by_id = [pid for pid in missing if given[pid] is None]
        if by_id:
            for product in db.session.scalars(select(Product).where(Product.id.in_(by_id))):
                given[product.id] = product
        if missing:
            chain = self.chain()
            wanted = set(missing)
            wanted |= {p.replacement_id for p in given.values()
                       if p is not None and p.discontinued and p.replacement_id}
            # One statement for the visible ones among the batch and their replacements.
            found = {p.id: p for p in db.session.scalars(
                visible_products(self.buyer).where(Product.id.in_(wanted)))}
            tiers = self._tiers(chain, set(found)) if chain else {}
            stock = stock_totals(found)
            for pid in set(missing) | set(found):
                if pid in self._offers:
                    continue
                product = found.get(pid) or given.get(pid)
                if pid not in found:
                    self._offers[pid] = _unknown(product) if product is not None else None
                    continue
                self._offers[pid] = self._offer(product, True, tiers.get(pid),
                                                stock.get(pid, 0))
            self._link_replacements(found)
            for pid in missing:
                if pid not in self._offers:
                    self._offers[pid] = _unknown(given.get(pid))
        return {pid: self._offers.get(pid) for pid in given}

    def get(self, product: Product | int) -> Offer | None:
        pid = product.id if isinstance(product, Product) else int(product)
        if pid not in self._offers:
            self.load([product])
        return self._offers.get(pid)

    def peek(self, product_id: int) -> Offer | None:
        """An offer already loaded (a replacement comes with its product), else None."""
        return self._offers.get(product_id)

    def _tiers(self, chain: list[int], ids: set[int]) -> dict[int, ProductPrices]:
        if not ids:
            return {}
        rows = db.session.execute(
            select(PriceTier.product_id, PriceTier.price_list_id, PriceTier.min_qty,
                   PriceTier.unit_price_cents)
            .where(PriceTier.product_id.in_(ids), PriceTier.price_list_id.in_(chain))
        ).all()
        by_product: dict[int, dict[int, list[Tier]]] = defaultdict(lambda: defaultdict(list))
        for product_id, list_id, min_qty, cents in rows:
            by_product[product_id][list_id].append(Tier(min_qty, cents))
        out = {}
        for pid, lists in by_product.items():
            resolved = resolve_tiers(chain, lists)
            if resolved is not None:
                price_list = self._lists[resolved[0]]
                out[pid] = ProductPrices(price_list.currency, price_list.code, resolved[1])
        return out

    def _offer(self, product: Product, visible: bool, prices: ProductPrices | None,
               in_stock: int) -> Offer:
        rule = QuantityRule.of(product.case_pack, product.order_multiple,
                               prices.tiers if prices else ())
        return Offer(product, visible, prices, in_stock, rule)

    def _link_replacements(self, found: dict[int, Product]) -> None:
        for pid in found:
            offer = self._offers.get(pid)
            if offer is None or not offer.product.discontinued or offer.replacement:
                continue
            target = self._offers.get(offer.product.replacement_id)
            if target is not None and target.orderable:
                self._offers[pid] = _with_replacement(offer, target.product)


def _with_replacement(offer: Offer, replacement: Product) -> Offer:
    return Offer(offer.product, offer.visible, offer.prices, offer.in_stock, offer.rule,
                 offer.tax, replacement)


# -- Once per request ------------------------------------------------------------------------

def _can_see_prices(buyer) -> bool:
    from portal.services.selling.visibility import can_see_prices

    return can_see_prices(buyer)


def per_request(key, build):
    """`build()` once per request and key; outside a request, every call builds afresh.

    Tests run requests inside one long app context, so the memo names its request. A flush
    that writes a product, price, stock, visibility or company row drops it (a cart add or an
    order does not), so a page never reads its own stale offers; bulk UPDATEs are not seen.
    """
    if not has_request_context():
        return build()
    current = request._get_current_object()
    memo = g.get("_selling_memo")
    if memo is None or memo[0] is not current:
        memo = (current, {})
        g._selling_memo = memo
    if key not in memo[1]:
        memo[1][key] = build()
    return memo[1][key]


def forget() -> None:
    """Drop what this request remembered (prices or visibility changed under it)."""
    if has_app_context():
        g.pop("_selling_memo", None)


# What an offer is made of: a write to any of these in the request makes its offers stale.
_SELLING_MODELS = (Product, PriceTier, PriceList, CustomerGroup, Company, Stock, VisibilityRule,
                   Category)


@event.listens_for(Session, "after_flush")
def _forget_after_flush(session, _context):
    if any(isinstance(obj, _SELLING_MODELS)
           for obj in (*session.new, *session.dirty, *session.deleted)):
        forget()


def offers_for(buyer) -> Shelf:
    """The buyer's offers, shared by everything this request asks about them."""
    priced = _can_see_prices(buyer)
    key = ("shelf", getattr(buyer, "id", None), getattr(buyer, "company_id", None), priced)
    return per_request(key, lambda: Shelf(buyer, priced))
