"""Prices: which list applies to a company, which tier applies to a quantity.

Pure rules (`best_tier`, `quote`, `check_quantity`) take plain values; `PriceBook` loads the
tiers of many products for one company in one query (no N+1) and answers from memory.

Resolution: the company's contract list, then its customer group's list, then the base list;
the first list that prices the product is used, and within it the cheapest unit price among
the tiers whose minimum quantity is reached.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import Company, CustomerGroup, PriceList, PriceTier


@dataclass(frozen=True)
class Tier:
    min_qty: int
    unit_price_cents: int


@dataclass(frozen=True)
class Quote:
    quantity: int
    unit_price_cents: int
    line_total_cents: int
    tier_min_qty: int


@dataclass(frozen=True)
class RoundUpHint:
    """Rounding `quantity` up to `to_quantity` (a full case): what really changes.

    The unit price falls from `unit_price_cents` to `new_unit_price_cents`, and the line
    costs `extra_cost_cents` more (the extra units, less the lower price on all of them).
    """

    to_quantity: int
    extra_units: int
    new_total_cents: int
    saving_cents: int  # per unit price drop × quantity; positive means cheaper per unit
    unit_price_cents: int = 0
    new_unit_price_cents: int = 0
    extra_cost_cents: int = 0


# A full case is suggested only when it is worth a look: its unit price is lower, and the
# line costs at most this share more (basis points of the line as typed). "+38 units" on a
# 2-bag line, or doubling a half case, is not a nudge but a different order.
ROUND_UP_MAX_EXTRA_BP = 2000


def best_tier(tiers: tuple[Tier, ...] | list[Tier], quantity: int) -> Tier | None:
    reached = [t for t in tiers if t.min_qty <= quantity]
    if not reached:
        return None
    return min(reached, key=lambda t: (t.unit_price_cents, -t.min_qty))


def quote(tiers, quantity: int) -> Quote | None:
    tier = best_tier(tiers, quantity)
    if tier is None:
        return None
    return Quote(quantity, tier.unit_price_cents, tier.unit_price_cents * quantity, tier.min_qty)


def check_quantity(quantity: int, order_multiple: int, case_pack: int, tiers) -> str | None:
    """Why this quantity cannot be ordered, as a code, or None when it can.

    "min": below the smallest priced quantity; "multiple": not a multiple of the selling unit.
    """
    if quantity < 1:
        return "min"
    if tiers and quantity < min(t.min_qty for t in tiers):
        return "min"
    if quantity % max(order_multiple, 1):
        return "multiple"
    return None


def snap_quantity(quantity: int, order_multiple: int) -> int:
    """The nearest orderable quantity at or above `quantity`."""
    step = max(order_multiple, 1)
    return max(step, -(-quantity // step) * step)


def round_up_hint(quantity: int, case_pack: int, tiers) -> RoundUpHint | None:
    """The next full case, when suggesting it makes sense (None otherwise).

    It does when the quantity is not a whole number of cases, the full case's unit price is
    lower, and the line would cost at most ROUND_UP_MAX_EXTRA_BP more than as typed.
    """
    if case_pack <= 1 or quantity % case_pack == 0:
        return None
    now = quote(tiers, quantity)
    target = -(-quantity // case_pack) * case_pack
    then = quote(tiers, target)
    if now is None or then is None or then.unit_price_cents >= now.unit_price_cents:
        return None
    extra = then.line_total_cents - now.line_total_cents
    if extra * 10000 > now.line_total_cents * ROUND_UP_MAX_EXTRA_BP:
        return None
    saving = (now.unit_price_cents - then.unit_price_cents) * target
    return RoundUpHint(target, target - quantity, then.line_total_cents, saving,
                       now.unit_price_cents, then.unit_price_cents, extra)


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


def chain_ids(contract_list_id: int | None, group_list_id: int | None,
              base_list_id: int | None) -> list[int]:
    """Price list ids, most specific first: contract, then group, then base (no repeats)."""
    chain: list[int] = []
    for list_id in (contract_list_id, group_list_id, base_list_id):
        if list_id and list_id not in chain:
            chain.append(list_id)
    return chain


def resolve_tiers(chain: list[int], tiers_by_list: dict[int, list[Tier]]
                  ) -> tuple[int, tuple[Tier, ...]] | None:
    """The first list of the chain that prices the product, with its tiers sorted by quantity.

    A list that prices the product replaces the ones after it entirely: a contract with a
    single unit price does not inherit the base list's volume tiers.
    """
    for list_id in chain:
        tiers = tiers_by_list.get(list_id)
        if tiers:
            return list_id, tuple(sorted(tiers, key=lambda t: t.min_qty))
    return None


def default_quantity(case_pack: int, order_multiple: int, tiers=()) -> int:
    """What a stepper shows first: one full case, at least the smallest priced quantity,
    snapped to the selling unit."""
    wanted = max(case_pack, 1)
    if tiers:
        wanted = max(wanted, min(t.min_qty for t in tiers))
    return snap_quantity(wanted, order_multiple)


def step_quantity(quantity: int, order_multiple: int, up: bool, maximum: int = 99_999) -> int:
    """The next quantity a + or − tap gives: the neighbouring multiple of the selling unit.

    A quantity off the grid moves to the grid first (7 with a step of 5: + gives 10, − gives 5);
    it never goes below one step nor above `maximum` (rounded down to the grid).
    """
    step = max(order_multiple, 1)
    ceiling = max(step, maximum // step * step)
    if up:
        target = (quantity // step + 1) * step
    else:
        target = -(-quantity // step) * step - step
    return min(max(step, target), ceiling)


def list_chain(company: Company) -> list[int]:
    """Price list ids for a company, most specific first."""
    group_list = None
    if company.customer_group_id:
        group_list = db.session.scalar(
            select(CustomerGroup.price_list_id).where(CustomerGroup.id == company.customer_group_id)
        )
    base = db.session.scalar(select(PriceList.id).where(PriceList.is_base.is_(True)))
    return chain_ids(company.price_list_id, group_list, base)


class PriceBook:
    """Prices of one company for a set of products, loaded in one query."""

    def __init__(self, company: Company):
        self.company = company
        self.chain = list_chain(company)
        self._lists = {
            pl.id: pl
            for pl in db.session.scalars(select(PriceList).where(PriceList.id.in_(self.chain)))
        } if self.chain else {}
        self._cache: dict[int, ProductPrices | None] = {}

    def load(self, product_ids) -> PriceBook:
        missing = [pid for pid in set(product_ids) if pid not in self._cache]
        if not missing or not self.chain:
            for pid in missing:
                self._cache[pid] = None
            return self
        rows = db.session.execute(
            select(PriceTier.product_id, PriceTier.price_list_id, PriceTier.min_qty,
                   PriceTier.unit_price_cents)
            .where(PriceTier.product_id.in_(missing), PriceTier.price_list_id.in_(self.chain))
        ).all()
        by_product: dict[int, dict[int, list[Tier]]] = defaultdict(lambda: defaultdict(list))
        for product_id, list_id, min_qty, cents in rows:
            by_product[product_id][list_id].append(Tier(min_qty, cents))
        for pid in missing:
            found = None
            resolved = resolve_tiers(self.chain, by_product.get(pid, {}))
            if resolved is not None:
                price_list = self._lists[resolved[0]]
                found = ProductPrices(price_list.currency, price_list.code, resolved[1])
            self._cache[pid] = found
        return self

    def get(self, product_id: int) -> ProductPrices | None:
        if product_id not in self._cache:
            self.load([product_id])
        return self._cache[product_id]
