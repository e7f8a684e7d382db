"""Orders (the one order builder), carts, shopping lists, order events and shipments."""

import itertools
from datetime import UTC, date, datetime, timedelta

from flask import current_app

from portal.extensions import db
from portal.models import (
    Cart,
    CartLine,
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
from portal.services.approvals import route_new_order

# The test clock: an order placed without `placed_at` is placed one minute after the one
# built before it, from this morning on, so lists sort the way the test built them and no
# test depends on today's date.
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
BACKORDER_DATE = date(2026, 4, 1)
_numbers = itertools.count(1)


def order(buyer, lines, *, status=OrderStatus.SUBMITTED, placed_at=None, number=None,
          jobsite=None, unit=None, po="", notes="", on_behalf_by=None, route=False,
          commit=False, **columns) -> Order:
    """An order placed by `buyer`, built straight with frozen prices (no checkout pages).

    lines: (product, quantity[, unit_price_cents[, {other OrderLine columns}]]); the price
    defaults to 100 cents. The order is in the buyer's unit unless `unit` says otherwise;
    other Order columns (requested_date, ...) pass through `columns`.
    route=True sends it through the company's approval rules as checkout does, as of
    `placed_at` (it may end pending approval), and commits; commit=True commits, so a page
    that rolls back on a refused action still finds it. Otherwise it is only flushed.
    """
    n = next(_numbers)
    placed_at = placed_at or T0 + timedelta(minutes=n)
    o = Order(number=number or f"T-{n:06d}", company_id=buyer.company_id,
              unit_id=unit.id if unit else buyer.unit_id,
              jobsite_id=jobsite.id if jobsite else None,
              ship_to="1 rue du Test\n69002 Lyon" if jobsite else "", placed_by_id=buyer.id,
              on_behalf_by_id=on_behalf_by.id if on_behalf_by else None, po_number=po,
              notes=notes, payment_terms=PaymentTerms.NET30, currency="EUR", status=status,
              placed_at=placed_at, content_version=1, **columns)
    for position, (product, quantity, *rest) in enumerate(lines):
        cents = rest[0] if rest else 100
        extra = {"shipped_qty": 0, "backordered_qty": 0, **(rest[1] if len(rest) > 1 else {})}
        o.lines.append(OrderLine(position=position, product_id=product.id, sku=product.sku,
                                 name=product.name_fr, quantity=quantity, unit_price_cents=cents,
                                 line_total_cents=cents * quantity, **extra))
    o.subtotal_cents = o.total_cents = sum(line.line_total_cents for line in o.lines)
    db.session.add(o)
    db.session.flush()
    if route:
        with current_app.test_request_context():  # routing writes emails with links
            route_new_order(o, buyer, placed_at)
    if route or commit:
        db.session.commit()
    return o


def orders_of(company) -> list[Order]:
    """The company's orders as the database now holds them, oldest first."""
    db.session.expire_all()
    return list(db.session.query(Order).filter_by(company_id=company.id).order_by(Order.id))


def cart_with(user, *lines) -> list[CartLine]:
    """Put (product, quantity[, note]) lines straight in the user's cart. Commits."""
    cart = db.session.query(Cart).filter_by(user_id=user.id).one_or_none()
    if cart is None:
        cart = Cart(user_id=user.id, company_id=user.company_id)
        db.session.add(cart)
        db.session.flush()
    made = []
    for position, (product, quantity, *rest) in enumerate(lines):
        line = CartLine(cart_id=cart.id, product_id=product.id, quantity=quantity,
                        note=rest[0] if rest else "", position=position)
        db.session.add(line)
        made.append(line)
    db.session.commit()
    return made


def shopping_list(owner, name="Site list", *, shared=False, unit=None, lines=()) -> ShoppingList:
    """A list of `owner`'s with (product, quantity) lines."""
    sl = ShoppingList(company_id=owner.company_id, owner_id=owner.id, name=name, shared=shared,
                      unit_id=unit.id if unit else None)
    for position, (product, quantity) in enumerate(lines):
        sl.lines.append(ShoppingListLine(product_id=product.id, quantity=quantity,
                                         position=position))
    db.session.add(sl)
    db.session.flush()
    return sl


def event(order, kind, *, status=None, actor=None, message="", at=None) -> OrderEvent:
    e = OrderEvent(order_id=order.id, kind=kind, status=status,
                   actor_id=actor.id if actor else None, message=message,
                   at=at or order.placed_at + timedelta(hours=1))
    db.session.add(e)
    db.session.flush()
    return e


def shipment(order, items, *, carrier="Geodis", tracking="GEO123456789FR", at=None) -> Shipment:
    """A shipment of (order line, quantity) items; the lines count them as shipped."""
    s = Shipment(order_id=order.id, carrier=carrier, tracking_number=tracking,
                 shipped_at=at or order.placed_at + timedelta(days=1))
    for line, quantity in items:
        s.lines.append(ShipmentLine(order_line_id=line.id, quantity=quantity))
        line.shipped_qty += quantity
    db.session.add(s)
    db.session.flush()
    return s
