"""The ERP moves orders on through the staff's own fulfilment rules and actions, so the
timeline entry and the buyer's email are the same whoever drove the change. The client acts
with the fulfilment role; its name goes into the audit row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from portal.models import Order, Role
from portal.services import DomainError, fulfilment
from portal.services.integration.audit import audit


@dataclass(frozen=True)
class ClientActor:
    """What the fulfilment actions ask of an actor. No user id: the timeline names no person."""

    name: str
    id: None = None
    role: Role = Role.FULFILMENT


class NotPossible(DomainError):
    """The staff's rules refuse this move from the order's status (409, the status named)."""

    status = 409
    code = "not_possible"

    def __init__(self, message: str, order_status: str):
        super().__init__(message)
        self.extra = {"order_status": order_status}


class ShipmentRefused(DomainError):
    """Some shipped quantities are wrong; a pointer per order line (`/lines/<line id>`)."""

    code = "invalid_shipment"

    def __init__(self, message: str, errors: dict[int, str]):
        super().__init__(message)
        self.pointers = [(f"/lines/{line_id}", reason)
                         for line_id, reason in sorted(errors.items())]


@contextmanager
def _refusals(order: Order) -> Iterator[None]:
    """The staff's refusals in the API's words: the ERP reads the order's status and each
    line's reason from the answer instead of a sentence."""
    try:
        yield
    except fulfilment.Conflict as e:
        raise NotPossible(str(e), order.status.value) from None
    except fulfilment.ShipmentInvalid as e:
        raise ShipmentRefused(str(e), e.errors) from None


def _actor(client) -> ClientActor:
    return ClientActor(name=client.name)


def confirm(order: Order, client, now: datetime) -> None:
    with _refusals(order):
        fulfilment.confirm(order, _actor(client), now)
    audit(client, "order.confirmed", order)


def deliver(order: Order, client, now: datetime) -> None:
    with _refusals(order):
        fulfilment.mark_delivered(order, _actor(client), now)
    audit(client, "order.delivered", order)


def cancel(order: Order, client, reason: str, now: datetime) -> None:
    with _refusals(order):
        fulfilment.cancel(order, _actor(client), reason, now)
    audit(client, "order.cancelled", order, {"reason": reason})


def ship(order: Order, client, quantities: dict[int, int], carrier: str, tracking: str,
         warehouse_id: int | None, now: datetime):
    """Ship `quantities` (order line id → units); an unknown line id is refused by name."""
    known = {line.id for line in order.lines}
    unknown = sorted(set(quantities) - known)
    if unknown:
        raise ShipmentRefused(
            _("These lines are not on this order: %(ids)s.", ids=", ".join(map(str, unknown))),
            {line_id: _("Not a line of this order.") for line_id in unknown})
    with _refusals(order):
        shipment = fulfilment.record_shipment(
            order, _actor(client), {k: str(v) for k, v in quantities.items()}, carrier,
            tracking, warehouse_id, now)
    audit(client, "order.shipped", order, {"carrier": carrier, "tracking": tracking,
                                           "lines": {str(k): v for k, v in quantities.items()}})
    return shipment


def backorder(order: Order, client, line_id: int, quantity: int, expected: date | None,
              now: datetime) -> None:
    line = next((line for line in order.lines if line.id == line_id), None)
    if line is None:
        raise DomainError(_("This line is not on this order."), field="line_id")
    with _refusals(order):
        fulfilment.backorder_line(order, line, _actor(client), str(quantity),
                                  expected.isoformat() if expected else "", now)
    audit(client, "order.backordered", order, {"line_id": line_id, "quantity": quantity})
