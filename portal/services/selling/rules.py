"""The selling rule as pure functions over plain values (no database, no request).

Tier choice (`best_tier`, `quote`, `resolve_tiers`), the quantity rule (`QuantityRule`: case
pack, selling multiple, minimum), the suggestion (`round_up_hint`, snapping) and the tax
(in `tax.py`) are decided here and only here; `judge` combines them into one `Verdict` with one
vocabulary (`Reason`) that every ordering path reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_QUANTITY = 99_999

# A full case is suggested only when it is worth a look: its unit price is lower, and the
# line costs at most this share more (basis points of the line as typed). "+38 units" on a
# 2-bag line, or doubling a half case, is not a nudge but a different order.
ROUND_UP_MAX_EXTRA_BP = 2000


# -- Tiers -------------------------------------------------------------------------------------

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


def best_tier(tiers, quantity: int) -> Tier | None:
    reached = [t for t in tiers if t.min_qty <= quantity]
    if not reached:
        return None
    return min(reached, key=lambda t: (t.unit_price_cents, -t.min_qty))


def quote(tiers, quantity: int) -> Quote | None:
    tier = best_tier(tiers, quantity)
    if tier is None:
        return None
    return Quote(quantity, tier.unit_price_cents, tier.unit_price_cents * quantity, tier.min_qty)


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


# -- Quantities --------------------------------------------------------------------------------

def snap_quantity(quantity: int, order_multiple: int) -> int:
    """The nearest orderable quantity at or above `quantity`."""
    step = max(order_multiple, 1)
    return max(step, -(-quantity // step) * step)


def step_quantity(quantity: int, order_multiple: int, up: bool,
                  maximum: int = MAX_QUANTITY) -> int:
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


def default_quantity(case_pack: int, order_multiple: int, tiers=()) -> int:
    """What a stepper shows first: one full case, at least the smallest priced quantity,
    snapped to the selling unit."""
    wanted = max(case_pack, 1)
    if tiers:
        wanted = max(wanted, min(t.min_qty for t in tiers))
    return snap_quantity(wanted, order_multiple)


class Reason(StrEnum):
    """The one vocabulary of "can they order N now": every path and template reads these."""

    OK = "ok"
    BACKORDER = "backorder"  # orderable; part of it waits for the next delivery
    UNAVAILABLE = "unavailable"  # unknown, not visible, inactive or not priced: one answer
    DISCONTINUED = "discontinued"  # a replacement may be suggested
    MINIMUM = "minimum"  # below the smallest priced quantity (or below 1)
    MULTIPLE = "multiple"  # not a multiple of the selling unit
    TOO_MANY = "too_many"  # above MAX_QUANTITY


ORDERABLE = frozenset({Reason.OK, Reason.BACKORDER})


@dataclass(frozen=True)
class QuantityRule:
    """How a product is sold: by `multiple` (the selling unit), from `minimum`, in cases."""

    case_pack: int = 1
    multiple: int = 1
    minimum: int = 1

    @classmethod
    def of(cls, case_pack: int, order_multiple: int, tiers=()) -> QuantityRule:
        smallest = min((t.min_qty for t in tiers), default=1)
        return cls(max(case_pack or 1, 1), max(order_multiple or 1, 1), max(smallest, 1))

    @property
    def step(self) -> int:
        return max(self.multiple, 1)

    @property
    def ceiling(self) -> int:
        """The largest orderable quantity (MAX_QUANTITY rounded down to the selling unit)."""
        return max(self.step, MAX_QUANTITY // self.step * self.step)

    def snap(self, quantity: int) -> int:
        """`quantity` rounded up to the selling unit, never above the ceiling."""
        return min(snap_quantity(quantity, self.step), self.ceiling)

    def problem(self, quantity: int) -> tuple[Reason, int | None] | None:
        """Why `quantity` cannot be ordered and the nearest quantity that can, or None.

        Above the maximum first, then below the minimum, then off the selling unit: a
        suggestion is always orderable itself.
        """
        if quantity > MAX_QUANTITY:
            return Reason.TOO_MANY, (MAX_QUANTITY // self.step * self.step) or None
        if quantity < 1 or quantity < self.minimum:
            return Reason.MINIMUM, self.snap(max(self.minimum, quantity))
        if quantity % self.step:
            return Reason.MULTIPLE, self.snap(quantity)
        return None

    def default(self) -> int:
        return snap_quantity(max(self.case_pack, self.minimum), self.step)

    def tap(self, quantity: int, up: bool) -> int:
        """The quantity after a + or − tap, never below the minimum."""
        moved = step_quantity(quantity, self.step, up)
        found = self.problem(moved)
        return found[1] or moved if found else moved


# -- Suggestion: a full case ---------------------------------------------------------------------

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


def suggested_case(quantity: int, rule: QuantityRule, tiers) -> RoundUpHint | None:
    """The full case worth suggesting: it saves per unit and is itself orderable."""
    hint = round_up_hint(quantity, rule.case_pack, tiers)
    if hint is None or hint.saving_cents <= 0 or hint.to_quantity % rule.step:
        return None
    return hint


def saving_at(tiers, quantity: int, target: int) -> int:
    """What ordering `target` instead of `quantity` saves per unit, times `target` (>= 0)."""
    now, then = quote(tiers, quantity), quote(tiers, target)
    if now is None or then is None:
        return 0
    return max(0, (now.unit_price_cents - then.unit_price_cents) * target)


# -- Tax: see tax.py (rates by tax class and destination, the one rounding rule) -------------

def scaled_tax(old_subtotal: int, old_tax: int, new_subtotal: int) -> int:
    """Tax following the subtotal in proportion, rounded half up (kept for callers that hold
    only totals; orders recompute from their lines' frozen rates instead)."""
    if old_subtotal <= 0 or old_tax <= 0:
        return 0
    return (old_tax * new_subtotal * 2 + old_subtotal) // (old_subtotal * 2)


# -- The verdict -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """Can this quantity be ordered now, at what price, and what do we suggest."""

    reason: Reason
    quantity: int
    unit_price_cents: int | None = None
    line_total_cents: int | None = None
    snap_to: int | None = None  # a quantity offered instead (fix, or a full case)
    saving_cents: int = 0  # what snapping saves, when it does
    round_up: RoundUpHint | None = None
    replacement_id: int | None = None
    backordered: int = 0  # units that wait for the next delivery
    lead_time_days: int = 0

    @property
    def orderable(self) -> bool:
        return self.reason in ORDERABLE

    @property
    def quantity_problem(self) -> bool:
        """The product can be sold; only the quantity needs a fix."""
        return self.reason in (Reason.MINIMUM, Reason.MULTIPLE, Reason.TOO_MANY)


def judge(quantity: int, rule: QuantityRule, tiers, *, sellable: bool = True,
          discontinued: bool = False, in_stock: int = 0, lead_time_days: int = 0,
          replacement_id: int | None = None) -> Verdict:
    """The verdict on `quantity` of a product sold by `rule` at `tiers`.

    `sellable` is False when the buyer may not see the product or it has no price for them;
    both get the same answer, like an unknown product.
    """
    if not sellable or not tiers:
        return Verdict(Reason.UNAVAILABLE, quantity)
    if discontinued:
        return Verdict(Reason.DISCONTINUED, quantity, replacement_id=replacement_id)
    found = rule.problem(quantity)
    if found is not None:
        reason, target = found
        saving = saving_at(tiers, quantity, target) if reason == Reason.MULTIPLE and target \
            else 0
        return Verdict(reason, quantity, snap_to=target, saving_cents=saving)
    priced = quote(tiers, quantity)
    if priced is None:  # unreachable with a rule built from these tiers; kept safe
        return Verdict(Reason.MINIMUM, quantity, snap_to=rule.snap(rule.minimum))
    hint = suggested_case(quantity, rule, tiers)
    backordered = max(0, quantity - max(in_stock, 0))
    return Verdict(Reason.BACKORDER if backordered else Reason.OK, quantity,
                   priced.unit_price_cents, priced.line_total_cents,
                   snap_to=hint.to_quantity if hint else None,
                   saving_cents=hint.saving_cents if hint else 0, round_up=hint,
                   backordered=backordered, lead_time_days=max(0, lead_time_days))
