"""The order state machine after submit, as a pure table, and the rules of a shipment.

`TRANSITIONS` is the whole truth: (action, current status) -> roles allowed. A pair that is not
in the table is not possible (the view answers 409); a role that is not listed is not allowed
(403). Functions here take plain values and return values: no database, no request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from flask_babel import gettext as _

from portal.models import OrderStatus, Role
from portal.services import DomainError
from portal.services.quantities import parse_quantity


class Action(StrEnum):
    CONFIRM = "confirm"
    SHIP = "ship"
    BACKORDER = "backorder"
    DELIVER = "deliver"
    CANCEL = "cancel"


class Verdict(StrEnum):
    ALLOWED = "allowed"
    NOT_POSSIBLE = "not_possible"  # no such transition from this status: 409
    FORBIDDEN = "forbidden"  # the transition exists, this role may not do it: 403


S = OrderStatus
_HANDS = frozenset({Role.FULFILMENT, Role.STAFF_ADMIN})
_ADMIN = frozenset({Role.STAFF_ADMIN})

TRANSITIONS: dict[tuple[Action, OrderStatus], frozenset[Role]] = {
    (Action.CONFIRM, S.SUBMITTED): _HANDS,
    (Action.SHIP, S.CONFIRMED): _HANDS,
    (Action.SHIP, S.PARTIALLY_SHIPPED): _HANDS,
    (Action.BACKORDER, S.CONFIRMED): _HANDS,
    (Action.BACKORDER, S.PARTIALLY_SHIPPED): _HANDS,
    (Action.DELIVER, S.SHIPPED): _HANDS,
    # Warehouse staff may stop an order they could still prepare; only an admin may stop one
    # that is still waiting for the customer's own approval.
    (Action.CANCEL, S.PENDING_APPROVAL): _ADMIN,
    (Action.CANCEL, S.CREDIT_HOLD): _ADMIN,  # released, raised or prepaid: the credit queue
    (Action.CANCEL, S.AWAITING_PAYMENT): _ADMIN,  # an unpaid proforma the customer gave up
    (Action.CANCEL, S.SUBMITTED): _HANDS,
    (Action.CANCEL, S.CONFIRMED): _HANDS,
}

# Where a transition leads; SHIP depends on what is left (see status_after_shipment) and a
# backorder leaves the status as it is.
TARGET: dict[Action, OrderStatus | None] = {
    Action.CONFIRM: S.CONFIRMED,
    Action.SHIP: None,
    Action.BACKORDER: None,
    Action.DELIVER: S.DELIVERED,
    Action.CANCEL: S.CANCELLED,
}

# What the fulfilment queue shows unless asked otherwise: the orders that need work.
OPEN_STATUSES = (S.SUBMITTED, S.CONFIRMED, S.PARTIALLY_SHIPPED)


def verdict(action: Action, status: OrderStatus, role: Role) -> Verdict:
    roles = TRANSITIONS.get((action, status))
    if roles is None:
        return Verdict.NOT_POSSIBLE
    return Verdict.ALLOWED if role in roles else Verdict.FORBIDDEN


def allowed_actions(status: OrderStatus, role: Role) -> frozenset[Action]:
    return frozenset(a for (a, s), roles in TRANSITIONS.items() if s == status and role in roles)


def status_after_shipment(remaining_after: Sequence[int]) -> OrderStatus:
    """Shipped once nothing is left on any line, partially shipped otherwise."""
    return S.SHIPPED if all(r <= 0 for r in remaining_after) else S.PARTIALLY_SHIPPED


@dataclass(frozen=True)
class LineState:
    line_id: int
    ordered: int
    shipped: int

    @property
    def remaining(self) -> int:
        return max(self.ordered - self.shipped, 0)


@dataclass(frozen=True)
class ShipmentPlan:
    quantities: tuple[tuple[int, int], ...] = ()  # (line id, quantity > 0)
    errors: Mapping[int, str] = field(default_factory=dict)  # line id -> reason
    problem: str = ""  # about the whole shipment
    next_status: OrderStatus | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problem


def shipped_quantity(raw, remaining: int) -> int:
    """A typed quantity to ship: 0 or empty skips the line; otherwise 1..remaining."""
    text = (raw if isinstance(raw, str) else str(raw if raw is not None else "")).strip()
    if text == "" or (text.isascii() and text.isdigit() and len(text) <= 6 and int(text) == 0):
        return 0
    if remaining <= 0:
        raise DomainError(_("Nothing is left to ship on this line."))
    return parse_quantity(text, maximum=remaining)


def proposed_quantities(lines: Sequence[LineState],
                        held: Mapping[int, Sequence[tuple[int, int]]]) -> dict[int, int]:
    """What the shipment form proposes per line: what the order holds in stock (0 for a line
    it holds none of), or what is left when it holds nothing at all (placed before stock was
    reserved). `held`: {line id: [(warehouse id, units)]}."""
    left = {line.line_id: line.remaining for line in lines}
    if not held:
        return left
    return {lid: min(units, sum(u for _w, u in held.get(lid, ()))) for lid, units in left.items()}


def plan_shipment(lines: Sequence[LineState], raw: Mapping[int, str]) -> ShipmentPlan:
    """Check the quantities typed for each line against what remains to ship."""
    quantities, errors = [], {}
    for line in lines:
        try:
            qty = shipped_quantity(raw.get(line.line_id, ""), line.remaining)
        except DomainError as exc:
            errors[line.line_id] = str(exc)
            continue
        if qty:
            quantities.append((line.line_id, qty))
    if errors:
        return ShipmentPlan(errors=errors)
    if not quantities:
        return ShipmentPlan(problem=_("Enter a quantity on at least one line."))
    shipped = dict(quantities)
    after = [line.remaining - shipped.get(line.line_id, 0) for line in lines]
    return ShipmentPlan(quantities=tuple(quantities), next_status=status_after_shipment(after))


@dataclass(frozen=True)
class Backorder:
    quantity: int  # 0 clears the backorder
    expected: date | None


def plan_backorder(remaining: int, raw_qty, raw_date, today: date) -> Backorder:
    """A backorder is part of what remains, expected on a date from today onward."""
    qty = shipped_quantity(raw_qty, remaining)
    if qty == 0:
        return Backorder(0, None)
    text = (raw_date or "").strip()
    if not text:
        raise DomainError(_("Enter the expected date."))
    try:
        expected = date.fromisoformat(text)
    except ValueError:
        raise DomainError(_("Enter the date as YYYY-MM-DD.")) from None
    if expected < today:
        raise DomainError(_("The expected date cannot be in the past."))
    if (expected - today).days > 366:
        raise DomainError(_("The expected date must be within a year."))
    return Backorder(qty, expected)
