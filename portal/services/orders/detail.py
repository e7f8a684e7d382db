"""One order's page for a customer: the order, its timeline and who must decide now.

The order comes through `history.find_order`, so another company's order is None (a 404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import false, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalStatus,
    Order,
    OrderEvent,
    OrderStatus,
    Shipment,
    Unit,
    User,
)
from portal.models.labels import order_status_label, order_status_tone, role_label
from portal.services.orders import events as order_events
from portal.services.orders.history import EVENT_LABELS, find_order
from portal.services.orders.line_names import line_name


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    message: str
    actor_name: str | None
    tone: str = ""


@dataclass
class OrderView:
    order: Order
    timeline: list[TimelineEntry]
    waiting_for: list[str] = field(default_factory=list)
    shipment_items: dict[int, list[tuple[str, str, int]]] = field(default_factory=dict)

    @property
    def has_backorders(self) -> bool:
        return any(line.backordered_qty for line in self.order.lines)


# What the page shows with the order, in one statement and a few IN queries: its people and
# jobsite joined; lines, events, shipments each read once. A shipment line's order line is one
# of the order's lines, already in the session (no query of its own).
_DETAIL = (
    joinedload(Order.placed_by), joinedload(Order.on_behalf_by),
    joinedload(Order.jobsite).joinedload(Unit.address),
    selectinload(Order.lines),
    selectinload(Order.events).selectinload(OrderEvent.actor),
    selectinload(Order.shipments).selectinload(Shipment.lines),
    selectinload(Order.shipments).selectinload(Shipment.warehouse),
)


def order_view(user, order_id) -> OrderView | None:
    """Everything the detail page shows, in a bounded number of queries; None: not theirs."""
    # The order is read once, with what the page shows: reading it first and again with its
    # loaders meant refreshing it, and the signed-in user with it when they placed it.
    order = find_order(user, order_id, *_DETAIL)
    if order is None:
        return None
    return OrderView(order, timeline(order), waiting_for(order),
                     {s.id: [(sl.order_line.sku, line_name(sl.order_line), sl.quantity)
                             for sl in s.lines] for s in order.shipments})


def timeline(order: Order) -> list[TimelineEntry]:
    """The order's history, oldest first: placing it, then every recorded event."""
    placed_by = order.placed_by.name if order.placed_by else None
    entries = [TimelineEntry(order.placed_at, _("Order placed"), "", placed_by)]
    for event in order.events:
        if event.status is not None:
            title = order_status_label(event.status)
        else:
            title = str(EVENT_LABELS.get(event.kind, EVENT_LABELS["note"]))
        tone = order_status_tone(event.status) if event.status else ""
        entries.append(TimelineEntry(event.at, title, order_events.event_text(event),
                                     event.actor.name if event.actor else None, tone))
    return entries


def waiting_for(order: Order) -> list[str]:
    """Who must decide now, by name where we can tell ("Sophie Durand")."""
    if order.status != OrderStatus.PENDING_APPROVAL:
        return []
    requests = list(db.session.scalars(
        select(ApprovalRequest).where(ApprovalRequest.order_id == order.id,
                                      ApprovalRequest.status == ApprovalStatus.PENDING)
        .order_by(ApprovalRequest.step, ApprovalRequest.id)
    ))
    if not requests:
        return []
    named = {r.approver_user_id for r in requests if r.approver_user_id}
    roles = {(r.approver_role, r.approver_unit_id) for r in requests if r.approver_role}
    people = list(db.session.scalars(
        select(User).where(
            User.company_id == order.company_id, User.disabled.is_(False),
            or_(User.id.in_(named) if named else false(),
                User.role.in_({role for role, _unit in roles}) if roles else false()),
        ).order_by(User.name)
    )) if (named or roles) else []
    units = {u.id: u.name for u in db.session.scalars(
        select(Unit).where(Unit.id.in_({unit for _role, unit in roles if unit}))
    )} if roles else {}
    names: list[str] = []
    for r in requests:
        if r.approver_user_id:
            found = [p.name for p in people if p.id == r.approver_user_id]
        else:
            found = [p.name for p in people
                     if p.role == r.approver_role
                     and (r.approver_unit_id is None or p.unit_id == r.approver_unit_id)]
        if not found and r.approver_role:
            role = role_label(r.approver_role)
            unit = units.get(r.approver_unit_id)
            found = [_("%(role)s (%(unit)s)", role=role, unit=unit) if unit else role]
        for name in found:
            if name not in names:
                names.append(name)
    return names
