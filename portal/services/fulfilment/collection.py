"""Click-and-collect at the counter: the buyer collects an order at its branch.

Collecting is the shipping flow in one step: every unit left leaves the branch's stock (its
reservation there is consumed; the branch cannot hand over what it does not hold), the
invoice is issued as for any shipment, and the order is delivered at once. An order paid at
collection is paid now: its invoice is settled by the counter payment (billing's `issued`).
One timeline entry and one e-mail tell the buyer.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from portal.extensions import db
from portal.models import Order, OrderStatus, Shipment, User, Warehouse
from portal.services.fulfilment import notify
from portal.services.fulfilment.actions import Conflict, move_status, record_shipment


def mark_collected(order: Order, actor: User, now: datetime) -> Shipment:
    """The buyer took the order at its branch (paid there when it is paid at collection).
    Only a collection order that is confirmed (ready) or partly handed over; the staff's
    role as for a shipment."""
    if order.collect_warehouse_id is None:
        raise Conflict(_("This order is delivered, not collected at a branch."))
    left = {line.id: str(line.quantity - line.shipped_qty) for line in order.lines
            if line.quantity > line.shipped_qty}
    shipment = record_shipment(order, actor, left, _("Collected at the branch"), "",
                               order.collect_warehouse_id, now, tell_buyer=False)
    if order.status != OrderStatus.SHIPPED:
        raise Conflict(_("Part of this order is still to come: it can be collected once "
                         "everything is there."))
    move_status(order, OrderStatus.SHIPPED, OrderStatus.DELIVERED, now)
    shipment.delivered_at = now
    branch = db.session.get(Warehouse, order.collect_warehouse_id)
    params = {"place": branch.city or branch.name}
    if order.pay_at_collection:
        params |= {"amount": order.total_cents, "currency": order.currency}
    notify.record(order, actor, "status", OrderStatus.DELIVERED, "collected", params, now)
    return shipment
