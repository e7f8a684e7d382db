"""Builders for orders, events, shipments and shopping lists (tests of orders and lists)."""

import itertools
from datetime import UTC, date, datetime, timedelta

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentTerms,
    Shipment,
    ShipmentLine,
    ShoppingList,
    ShoppingListLine,
)

_numbers = itertools.count(1)
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def order(user, lines, *, status=OrderStatus.SUBMITTED, placed_at=None, jobsite=None,
          unit=None, po="", notes="", on_behalf_by=None, number=None) -> Order:
    """An order placed by `user`; lines are (product, quantity, unit_price_cents[, extra])."""
    n = next(_numbers)
    o = Order(number=number or f"C{n:06d}", company_id=user.company_id,
              unit_id=(unit.id if unit else user.unit_id),
              jobsite_id=jobsite.id if jobsite else None,
              ship_to="1 rue du Test\n69002 Lyon" if jobsite else "", placed_by_id=user.id,
              on_behalf_by_id=on_behalf_by.id if on_behalf_by else None, po_number=po,
              notes=notes, payment_terms=PaymentTerms.NET30, currency="EUR", status=status,
              placed_at=placed_at or T0 + timedelta(minutes=n))
    total = 0
    for position, spec in enumerate(lines):
        product, quantity, cents = spec[:3]
        extra = spec[3] if len(spec) > 3 else {}
        o.lines.append(OrderLine(position=position, product_id=product.id, sku=product.sku,
                                 name=product.name_fr, quantity=quantity, unit_price_cents=cents,
                                 line_total_cents=cents * quantity, **extra))
        total += cents * quantity
    o.subtotal_cents = o.total_cents = total
    db.session.add(o)
    db.session.flush()
    return o


def event(order, kind, *, status=None, actor=None, message="", at=None) -> OrderEvent:
    e = OrderEvent(order_id=order.id, kind=kind, status=status,
                   actor_id=actor.id if actor else None, message=message,
                   at=at or order.placed_at + timedelta(hours=1))
    db.session.add(e)
    db.session.flush()
    return e


def shipment(order, items, *, carrier="Geodis", tracking="GEO123456789FR", at=None):
    s = Shipment(order_id=order.id, carrier=carrier, tracking_number=tracking,
                 shipped_at=at or order.placed_at + timedelta(days=1))
    for line, quantity in items:
        s.lines.append(ShipmentLine(order_line_id=line.id, quantity=quantity))
        line.shipped_qty += quantity
    db.session.add(s)
    db.session.flush()
    return s


def pending_approval(order, *, approver=None, role=None, unit=None) -> ApprovalRequest:
    r = ApprovalRequest(order_id=order.id, company_id=order.company_id, step=1,
                        approver_user_id=approver.id if approver else None,
                        approver_role=role, approver_unit_id=unit.id if unit else None,
                        status=ApprovalStatus.PENDING)
    db.session.add(r)
    db.session.flush()
    return r


def shopping_list(owner, name="Site list", *, shared=False, unit=None, lines=()):
    sl = ShoppingList(company_id=owner.company_id, owner_id=owner.id, name=name, shared=shared,
                      unit_id=unit.id if unit else None)
    for position, (product, quantity) in enumerate(lines):
        sl.lines.append(ShoppingListLine(product_id=product.id, quantity=quantity,
                                         position=position))
    db.session.add(sl)
    db.session.flush()
    return sl


BACKORDER_DATE = date(2026, 4, 1)
