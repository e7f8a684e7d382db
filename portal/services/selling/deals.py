"""Dated prices as pure functions: which price list is in force, what a promotion makes of a
price, and how a contract price and promotions combine with the list's tiers.

The order, decided here and only here:

1. A price list applies only between its `valid_from` and `valid_until` (inclusive, either
   end open); one out of its dates is skipped and the chain falls through to the next list.
2. A company's contract price (from an accepted quote, until its date) replaces the list's
   tiers for that company, as a contract list does: one unit price from the list's smallest
   quantity.
3. A promotion in force for the buyer (their group or everyone) applies to the list's tiers
   and wins only where it is better: at every quantity the buyer pays the lowest of their
   usual price (the contract price, else the list's) and each promotion. Promotions do not
   stack on a contract price.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from portal.services.selling.rules import Tier, quote

MAX_PERCENT_OFF_BP = 10_000  # exclusive: a 100 % promotion is a gift, not a price


def in_force(valid_from: date | None, valid_until: date | None, today: date) -> bool:
    """True when `today` lies between the two days (inclusive; None is open)."""
    return (valid_from is None or valid_from <= today) and \
        (valid_until is None or today <= valid_until)


@dataclass(frozen=True)
class Promo:
    """A promotion as the rule sees it: a unit price or a share off (basis points)."""

    ends_on: date
    unit_price_cents: int | None = None
    percent_off_bp: int | None = None
    starts_on: date | None = None

    def price(self, regular_cents: int) -> int:
        """The promotional unit price against `regular_cents` (the share off rounded half up)."""
        if self.unit_price_cents is not None:
            return self.unit_price_cents
        off = (regular_cents * (self.percent_off_bp or 0) * 2 + MAX_PERCENT_OFF_BP) \
            // (MAX_PERCENT_OFF_BP * 2)
        return max(0, regular_cents - off)


@dataclass(frozen=True)
class Dealt:
    """The tiers a buyer pays, the ones they would pay without promotion, and why."""

    tiers: tuple[Tier, ...]
    regular: tuple[Tier, ...]
    promo_until: date | None = None  # a promotion lowers the price until this day
    contract_until: date | None = None  # a contract price applies until this day

    @property
    def promoted(self) -> bool:
        return self.promo_until is not None


def contract_tiers(list_tiers: Iterable[Tier], contract_cents: int) -> tuple[Tier, ...]:
    """The contract price from the list's smallest quantity (1 when the list has none)."""
    smallest = min((t.min_qty for t in list_tiers), default=1)
    return (Tier(smallest, contract_cents),)


def apply_deals(list_tiers: Iterable[Tier], today: date, *,
                contract: tuple[int, date] | None = None,
                promos: Iterable[Promo] = ()) -> Dealt | None:
    """What the buyer pays at each tier; None when nothing prices the product for them.

    `contract` is (unit price, valid until); one past its date is ignored. Promotions out of
    their dates are ignored; a promotion never prices a product the buyer has no price for.
    A promotion applies to the list's tiers, never on top of a contract price: the buyer pays
    the lower of the two at each quantity.
    """
    listed = tuple(sorted(list_tiers, key=lambda t: t.min_qty))
    regular, contract_until = listed, None
    if contract is not None and in_force(None, contract[1], today):
        regular, contract_until = contract_tiers(listed, contract[0]), contract[1]
    if not regular:
        return None
    live = [p for p in promos if in_force(p.starts_on, p.ends_on, today)]
    paid = {t.min_qty: t.unit_price_cents for t in regular}
    promo_until = None
    for tier in listed if live else ():
        best = min(live, key=lambda p: (p.price(tier.unit_price_cents), -p.ends_on.toordinal()))
        price = best.price(tier.unit_price_cents)
        usual = quote(regular, tier.min_qty)
        if usual is not None and price < usual.unit_price_cents:
            paid[tier.min_qty] = min(paid.get(tier.min_qty, price), price)
            promo_until = promo_until or best.ends_on
    if promo_until is None:
        return Dealt(regular, regular, None, contract_until)
    return Dealt(_falling(paid), regular, promo_until, contract_until)


def _falling(paid: dict[int, int]) -> tuple[Tier, ...]:
    """Tiers by quantity, keeping only those that lower the price (a promotion can make a
    volume tier pointless)."""
    out: list[Tier] = []
    for min_qty in sorted(paid):
        if not out or paid[min_qty] < out[-1].unit_price_cents:
            out.append(Tier(min_qty, paid[min_qty]))
    return tuple(out)
