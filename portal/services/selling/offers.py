"""Offers: each product as one buyer can buy it now, loaded for a batch in fixed statements.

`offers_for(buyer)` is the buyer's `Shelf`: once per request (memoised on flask.g, dropped
whenever the session writes), or fresh outside a request. `Shelf.load(products)` reads, for
any number of products, the visible ones among them and their usable replacements (one
statement), then their tiers on the buyer's price-list chain with their stock in each warehouse
(one more); the chain and the visibility rules are read once per shelf.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app, has_app_context
from sqlalchemy import select
from werkzeug.local import LocalProxy

from portal.database import dialect_of, ids_in
from portal.extensions import db
from portal.models import Product
from portal.models.orders import TaxScheme
from portal.services.selling.availability import (
    Availability,
    WarehouseStock,
    availability,
    stock_of,
)
from portal.services.selling.deals import apply_deals, in_force
from portal.services.selling.framework import Framework, is_public, standing
from portal.services.selling.market import market_of
from portal.services.selling.memo import per_request
from portal.services.selling.pricing import Batch, ListTerms, chain_lists, local_today, read_batch
from portal.services.selling.rules import (
    QuantityRule,
    Quote,
    Tier,
    Verdict,
    chain_ids,
    judge,
    quote,
    resolve_tiers,
)
from portal.services.selling.tax import (
    STANDARD_TAX,
    STOREFRONT_COUNTRY,
    TaxRule,
    UnknownTaxClass,
    rule_for,
    scheme_for,
)


@dataclass(frozen=True)
class ProductPrices:
    currency: str
    list_code: str
    tiers: tuple[Tier, ...]  # what the buyer pays: promotions and contract price applied
    regular: tuple[Tier, ...] = ()  # without the promotion (shown struck out beside it)
    promo_until: date | None = None
    contract_until: date | None = None

    def promo_at(self, quantity: int) -> tuple[date, int] | None:
        """(until when, the usual unit price) when a promotion lowers the price at this
        quantity; None otherwise."""
        if not self.promo_until:
            return None
        paid, usual = quote(self.tiers, quantity), quote(self.regular, quantity)
        if paid is None or usual is None or paid.unit_price_cents >= usual.unit_price_cents:
            return None
        return self.promo_until, usual.unit_price_cents

    @property
    def regular_unit_price_cents(self) -> int | None:
        """The usual price of the smallest quantity, when a promotion lowers it."""
        if not self.promo_until or not self.regular:
            return None
        regular = min(self.regular, key=lambda t: t.min_qty).unit_price_cents
        return regular if regular > self.unit_price_cents else None

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
    # None: the storefront has no VAT rate for the product's class; it cannot be sold.
    tax: TaxRule | None = STANDARD_TAX
    replacement: Product | None = None  # visible, current and priced; None otherwise
    # Available to promise per warehouse, ((warehouse id, units), ...): services/delivery
    # dates each part of a line from it.
    holdings: tuple[tuple[int, int], ...] = ()
    # Every warehouse holding a row for it, by code (0 or less too): the product page's list.
    warehouses: tuple[WarehouseStock, ...] = ()

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return self.prices.tiers if self.prices else ()

    @property
    def sellable(self) -> bool:
        """Visible, priced and taxable: the buyer may order it (discontinued aside)."""
        return self.visible and self.prices is not None and self.tax is not None

    @property
    def orderable(self) -> bool:
        return self.sellable and not self.product.discontinued

    @property
    def currency(self) -> str | None:
        return self.prices.currency if self.prices else None

    def availability(self, per_warehouse: bool = False) -> Availability:
        """What the buyer is told of its stock: the total, or each warehouse's."""
        return availability(self.warehouses if per_warehouse else self.in_stock,
                            self.product.case_pack, self.product.lead_time_days)

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
    # Looked up at each shelf (not bound once) so a test may set the day.
    today: date = field(default_factory=lambda: local_today())
    _chain: list[int] | None = None
    _lists: dict[int, ListTerms] = field(default_factory=dict)
    _offers: dict[int, Offer | None] = field(default_factory=dict)
    _tax_terms: tuple | None = None

    @property
    def company(self):
        return getattr(self.buyer, "company", None) if self.priced else None

    def tax_rule(self, product: Product) -> TaxRule | None:
        """The VAT of `product` for this buyer: its class at the storefront, under the scheme
        the buyer's company country and VAT number give (domestic when there is none)."""
        if self._tax_terms is None:  # the same for every product of the shelf
            storefront = market_of(self.buyer).country
            company = getattr(self.buyer, "company", None)
            self._tax_terms = (scheme_for(company.country, company.legal_id, storefront)
                               if company else TaxScheme.DOMESTIC, storefront)
        scheme, storefront = self._tax_terms
        try:
            return rule_for(product.tax_class, scheme, storefront)
        except UnknownTaxClass:
            return None

    def chain(self) -> list[int]:
        if self._chain is None:
            company = self.company
            if company is None or is_public(company):
                # A public buyer's prices are their framework contract's (`framework`).
                self._chain = []
            else:
                rows = chain_lists(company.price_list_id, company.customer_group_id)
                # A list out of its dates or its storefront's currency (market.py) is skipped.
                rows = [(pl, is_group) for pl, is_group in rows
                        if in_force(pl.valid_from, pl.valid_until, self.today)
                        and pl.currency == market_of(self.buyer).currency]
                contract = company.price_list_id \
                    if any(pl.id == company.price_list_id for pl, _g in rows) else None
                group_list = next((pl.id for pl, is_group in rows if is_group), None)
                base = next((pl.id for pl, _g in rows if pl.is_base), None)
                if _off_trade(company):
                    # Another storefront sells from its own list only: the trade portal's
                    # base list never prices a consumer's or a visitor's product.
                    group_list = base = None
                self._chain = chain_ids(contract, group_list, base)
                self._lists = {pl.id: pl for pl, _g in rows if pl.id in self._chain}
        return self._chain

    def load(self, products: Iterable[Product | int]) -> dict[int, Offer | None]:
        """Offers for these products (objects or ids); an id that is not a product maps to
        None. Products already loaded cost nothing."""
        from portal.services.selling.visibility import proven_visible, visible_products

        given: dict[int, Product | None] = {}
        for item in products:
            if isinstance(item, Product):
                given[item.id] = item
            else:
                given.setdefault(int(item), None)
        missing = [pid for pid in given if pid not in self._offers]
        by_id = [pid for pid in missing if given[pid] is None]
        in_ids = ids_in(Product.id, "ids", dialect_of(db.session)) if missing else None
        if by_id:
            for product in db.session.scalars(select(Product).where(in_ids), {"ids": by_id}):
                given[product.id] = product
        if missing:
            chain = self.chain()
            wanted = set(missing)
            wanted |= {p.replacement_id for p in given.values()
                       if p is not None and p.discontinued and p.replacement_id}
            # One statement for the visible ones among the batch and their replacements, unless
            # this request already found them all through visible_products (the product page).
            proven = proven_visible(self.buyer)
            found = {pid: given[pid] for pid in wanted
                     if pid in proven and given.get(pid) is not None}
            if wanted - found.keys():
                found.update((p.id, p) for p in db.session.scalars(
                    visible_products(self.buyer).where(in_ids), {"ids": [*wanted - found.keys()]}))
            batch = self._read(chain, set(found))
            tiers = self._tiers(chain, batch, set(found)) if batch.priced else {}
            for pid in set(missing) | set(found):
                if pid in self._offers:
                    continue
                product = found.get(pid) or given.get(pid)
                if pid not in found:
                    self._offers[pid] = _unknown(product) if product is not None else None
                    continue
                self._offers[pid] = self._offer(product, True, tiers.get(pid),
                                                batch.stock.get(pid, ()))
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

    def _read(self, chain: list[int], ids: set[int]) -> Batch:
        """The batch's stock, with its prices when this buyer has any: one statement."""
        if not ids:
            return Batch()
        framework = self.framework()
        if not chain and framework is None:
            return read_batch(ids, None)
        company = self.company
        return read_batch(ids, chain, company.id, company.customer_group_id, self.today,
                          framework.id if framework else None)

    def _tiers(self, chain: list[int], batch: Batch, ids: set[int]
               ) -> dict[int, ProductPrices]:
        """Each product's tiers on the chain, with the company's contract price and the
        promotions in force applied (deals.py)."""
        company, framework = self.company, self.framework()
        if framework is not None:
            from portal.services.storefronts import by_id

            currency = by_id(company.storefront_id).currency
            return {pid: ProductPrices(currency, framework.reference, (Tier(1, cents),),
                                       (Tier(1, cents),), contract_until=framework.ends_on)
                    for pid, cents in batch.framework.items()}
        # The trade portal's promotions are its own: another storefront's prices stay its list's.
        own_promos = not _off_trade(company)
        out = {}
        for pid in ids:
            resolved = resolve_tiers(chain, batch.tiers.get(pid, {}))
            dealt = apply_deals(resolved[1] if resolved else (), self.today,
                                contract=batch.contracts.get(pid),
                                promos=batch.promos.get(pid, ()) if own_promos else ())
            if dealt is None:
                continue
            # A contract price with no list pricing the product is in the chain's first list's
            # currency (the contract list, else the group's, else the base).
            price_list = self._lists[resolved[0] if resolved else chain[0]]
            out[pid] = ProductPrices(price_list.currency, price_list.code, dealt.tiers,
                                     dealt.regular, dealt.promo_until, dealt.contract_until)
        return out

    def framework(self) -> Framework | None:
        """The framework contract in force that prices a public buyer's products (None for
        anyone else, or when none is in force: nothing is priced then)."""
        company = self.company
        if company is None or not is_public(company):
            return None
        return standing(company, self.today).current

    def _offer(self, product: Product, visible: bool, prices: ProductPrices | None,
               stock: Iterable[tuple[int, str, str, int]]) -> Offer:
        rule = QuantityRule.of(product.case_pack, product.order_multiple,
                               prices.tiers if prices else ())
        holdings, warehouses = stock_of(stock)
        return Offer(product, visible, prices, sum(u for _w, u in holdings), rule,
                     self.tax_rule(product), holdings=holdings, warehouses=warehouses)

    def _link_replacements(self, found: dict[int, Product]) -> None:
        for pid in found:
            offer = self._offers.get(pid)
            if offer is None or not offer.product.discontinued or offer.replacement:
                continue
            target = self._offers.get(offer.product.replacement_id)
            if target is not None and target.orderable:
                self._offers[pid] = _with_replacement(offer, target.product)


def _off_trade(company) -> bool:
    """A company (or a storefront's visitors) outside the trade portal."""
    return getattr(company, "storefront_id", 1) != 1


def _with_replacement(offer: Offer, replacement: Product) -> Offer:
    return Offer(offer.product, offer.visible, offer.prices, offer.in_stock, offer.rule,
                 offer.tax, replacement, offer.holdings, offer.warehouses)


def storefront_country() -> str:
    """The seller's country, whose rates the trade portal applies (SELLER_COUNTRY: FR)."""
    if has_app_context():
        return current_app.config.get("SELLER_COUNTRY") or STOREFRONT_COUNTRY
    return STOREFRONT_COUNTRY


# -- Once per request ------------------------------------------------------------------------

def offers_for(buyer) -> Shelf:
    """The buyer's offers, shared by everything this request asks about them."""
    if type(buyer) is LocalProxy:  # current_user: the shelf reads its buyer on every line
        buyer = buyer._get_current_object()
    from portal.services.selling.visibility import can_see_prices  # it imports this module

    priced = can_see_prices(buyer)
    key = ("shelf", getattr(buyer, "id", None), getattr(buyer, "company_id", None), priced)
    return per_request(key, lambda: Shelf(buyer, priced))
