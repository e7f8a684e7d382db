"""Use cases of fulfilment: confirm, ship (in parts), backorder a line, deliver, cancel.

Each checks the table in `rules`, then moves the status with a conditional UPDATE (WHERE
status = the status we read) so two staff acting at once cannot both succeed, writes an
OrderEvent and queues the buyer's email. They change the session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalStatus,
    Order,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentLine,
    User,
    Warehouse,
)
from portal.models.labels import order_status_label
from portal.services import DomainError, billing, delivery
from portal.services.fulfilment import notify
from portal.services.fulfilment.rules import (
    TARGET,
    Action,
    LineState,
    Verdict,
    plan_backorder,
    plan_shipment,
    proposed_quantities,
    verdict,
)


class Conflict(DomainError):
    """Not possible in the order's current status, or someone else acted first (409)."""

    status = 409


class Forbidden(DomainError):
    """The transition exists but this role may not make it (403)."""

    status = 403


class ShipmentInvalid(DomainError):
    """Some typed quantities are wrong; `errors` maps order line ids to reasons (422)."""

    def __init__(self, message: str, errors: dict[int, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


def _not_possible(status) -> Conflict:
    return Conflict(_("Not possible in status “%(status)s”.", status=order_status_label(status)))


def _require(order: Order, action: Action, actor: User) -> None:
    found = verdict(action, order.status, actor.role)
    if found is Verdict.NOT_POSSIBLE:
        raise _not_possible(order.status)
    if found is Verdict.FORBIDDEN:
        raise Forbidden(_("Your role may not do this."))


def _move(order: Order, expected: OrderStatus, new: OrderStatus, now: datetime) -> None:
    """The status changes only if nobody changed it since we read it."""
    changed = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == expected)
        .values(status=new, updated_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        current = db.session.scalar(select(Order.status).where(Order.id == order.id))
        raise _not_possible(current)
    set_committed_value(order, "status", new)
    set_committed_value(order, "updated_at", now)


move_status = _move  # for the other use cases of fulfilment (proof of delivery)


def _simple(order: Order, actor: User, action: Action, code: str, now: datetime) -> None:
    _require(order, action, actor)
    new = TARGET[action]
    _move(order, order.status, new, now)
    notify.record(order, actor, "status", new, code, {}, now)


def confirm(order: Order, actor: User, now: datetime) -> None:
    if order.collect_warehouse_id is None:
        _simple(order, actor, Action.CONFIRM, "confirmed", now)
        return
    # Collected at a branch: prepared there, so confirming it tells the buyer to come.
    _require(order, Action.CONFIRM, actor)
    _move(order, order.status, OrderStatus.CONFIRMED, now)
    branch = db.session.get(Warehouse, order.collect_warehouse_id)
    notify.record(order, actor, "status", OrderStatus.CONFIRMED, "ready_to_collect",
                  {"place": branch.city or branch.name, "hours": branch.opening_hours}, now)


def mark_delivered(order: Order, actor: User, now: datetime) -> None:
    """The whole order delivered without a proof per shipment: each shipment not yet
    delivered is delivered now (the start of the buyer's window to report a problem)."""
    _simple(order, actor, Action.DELIVER, "delivered", now)
    db.session.execute(
        update(Shipment).where(Shipment.order_id == order.id, Shipment.delivered_at.is_(None))
        .values(delivered_at=now).execution_options(synchronize_session=False))
    for shipment in order.shipments:
        if shipment.delivered_at is None:
            set_committed_value(shipment, "delivered_at", now)


def cancel(order: Order, actor: User, reason: str, now: datetime) -> None:
    reason = (reason or "").strip()
    _require(order, Action.CANCEL, actor)
    if not reason:
        raise DomainError(_("Say why the order is cancelled: the buyer will read it."))
    if len(reason) > 500:
        raise DomainError(_("Keep the reason under 500 characters."))
    _move(order, order.status, OrderStatus.CANCELLED, now)
    delivery.release_order(order)
    # Approvers must not keep deciding on an order that no longer exists for the seller.
    db.session.execute(
        update(ApprovalRequest)
        .where(ApprovalRequest.order_id == order.id,
               ApprovalRequest.status.in_((ApprovalStatus.PENDING, ApprovalStatus.WAITING)))
        .values(status=ApprovalStatus.SUPERSEDED).execution_options(synchronize_session=False)
    )
    notify.record(order, actor, "status", OrderStatus.CANCELLED, "cancelled",
                  {"reason": reason}, now)


def _line_states(order: Order) -> list[LineState]:
    return [LineState(line.id, line.quantity, line.shipped_qty) for line in order.lines]


@dataclass(frozen=True)
class ShipmentProposal:
    held: dict[int, list[tuple[int, int]]]  # {line id: [(warehouse id, units reserved)]}
    quantities: dict[int, int]  # {line id: units the form proposes}


def shipment_proposal(order: Order) -> ShipmentProposal:
    """The order's reservations and the quantities the shipment form starts at."""
    held = delivery.reserved_by_order(order)
    return ShipmentProposal(held, proposed_quantities(_line_states(order), held))


def record_shipment(order: Order, actor: User, raw_quantities: dict[int, str], carrier: str,
                    tracking: str, warehouse_id, now: datetime, *,
                    tell_buyer: bool = True) -> Shipment:
    """Ship some quantity of some lines; the order becomes partially shipped or shipped.
    `tell_buyer=False`: no timeline entry nor e-mail (the caller writes its own: a
    collection)."""
    _require(order, Action.SHIP, actor)
    carrier, tracking = (carrier or "").strip(), (tracking or "").strip()
    if len(carrier) > 80 or len(tracking) > 80:
        raise ShipmentInvalid(_("Keep the carrier and tracking number under 80 characters."))
    warehouse = _warehouse(warehouse_id) or _serving(order)
    plan = plan_shipment(_line_states(order), raw_quantities)
    if not plan.ok:
        raise ShipmentInvalid(plan.problem or _("Some quantities need a fix."), dict(plan.errors))
    lines = {line.id: line for line in order.lines}
    if warehouse is not None:
        # What leaves must be there: never more than the warehouse holds beyond what it
        # promised to other orders; this order's reservation there is consumed.
        try:
            delivery.take_for_shipment(order, warehouse,
                                       [(lines[lid], qty) for lid, qty in plan.quantities])
        except delivery.OverShipment as problem:
            raise ShipmentInvalid(str(problem), problem.errors) from None
    _move(order, order.status, plan.next_status, now)
    shipment = Shipment(order_id=order.id, warehouse_id=warehouse.id if warehouse else None,
                        carrier=carrier, tracking_number=tracking, shipped_at=now,
                        created_by_id=actor.id)
    db.session.add(shipment)
    for line_id, qty in plan.quantities:
        line = lines[line_id]
        _ship_line(line, qty)
        shipment.lines.append(ShipmentLine(order_line_id=line_id, quantity=qty))
    delivery.fit_order(order)  # units held elsewhere for what just left go back
    # The invoice of what left, in the same transaction (back office and API alike).
    billing.invoice_shipment(order, [(lines[line_id], qty) for line_id, qty in plan.quantities],
                             shipment, now)
    units = sum(q for _line, q in plan.quantities)
    if not tell_buyer:
        return shipment
    notify.record(order, actor, "shipment", plan.next_status, "shipped", {
        "lines": len(plan.quantities), "units": units, "carrier": carrier, "tracking": tracking,
        "partial": plan.next_status == OrderStatus.PARTIALLY_SHIPPED}, now)
    return shipment


def shipment_warehouse(order: Order, raw) -> Warehouse | None:
    """The warehouse chosen on a form (refused when unknown), else the order's own."""
    return _warehouse(raw) or _serving(order)


def _warehouse(raw) -> Warehouse | None:
    text = str(raw or "").strip()
    if not text:
        return None
    warehouse = (db.session.get(Warehouse, int(text))
                 if text.isascii() and text.isdigit() and len(text) < 10 else None)
    if warehouse is None:
        raise ShipmentInvalid(_("Choose a warehouse from the list."))
    return warehouse


def _serving(order: Order) -> Warehouse | None:
    """No warehouse chosen: the branch it is collected at, else the one that serves the
    order's jobsite or company."""
    wid = delivery.order_route(order).warehouse_id
    return db.session.get(Warehouse, wid) if wid is not None else None


def _ship_line(line: OrderLine, qty: int) -> None:
    # Conditional on the shipped quantity we read: two shipments typed at once cannot both
    # ship the same remaining units.
    shipped = line.shipped_qty + qty
    remaining = line.quantity - shipped
    backordered = min(line.backordered_qty, remaining)
    changed = db.session.execute(
        update(OrderLine).where(OrderLine.id == line.id, OrderLine.shipped_qty == line.shipped_qty)
        .values(shipped_qty=shipped, backordered_qty=backordered,
                backorder_date=line.backorder_date if backordered else None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise Conflict(_("This order was changed by someone else. Reload and try again."))
    set_committed_value(line, "shipped_qty", shipped)
    set_committed_value(line, "backordered_qty", backordered)
    if not backordered:
        set_committed_value(line, "backorder_date", None)


def backorder_line(order: Order, line: OrderLine, actor: User, raw_qty, raw_date,
                   now: datetime) -> None:
    """Mark part of a line as backordered with an expected date (0 clears it)."""
    _require(order, Action.BACKORDER, actor)
    remaining = line.quantity - line.shipped_qty
    plan = plan_backorder(remaining, raw_qty, raw_date, now.date())
    # The status stays; the conditional update still refuses if it moved meanwhile.
    _move(order, order.status, order.status, now)
    line.backordered_qty = plan.quantity
    line.backorder_date = plan.expected
    if plan.quantity:
        code, params = "backordered", {
            "sku": line.sku, "qty": plan.quantity,
            "date": plan.expected.isoformat() if plan.expected else None}
    else:
        code, params = "backorder_cleared", {"sku": line.sku}
    # A note, not a status change: the buyer's timeline shows it without a new status.
    notify.record(order, actor, "note", None, code, params, now)
