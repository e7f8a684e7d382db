"""The fulfilment queue: orders waiting for work, oldest first, filtered for one warehouse,
or the orders whose number, PO number or lines match what the warehouse typed (a customer on
the phone gives their order number)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import Order, OrderLine, OrderStatus, Shipment, Stock, Warehouse
from portal.services.fulfilment.rules import OPEN_STATUSES
from portal.services.orders import matching as order_matching

PAGE_SIZE = 30


@dataclass(frozen=True)
class QueueRow:
    order: Order
    line_count: int
    remaining_units: int


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    page: int
    has_more: bool


def statuses_for(choice: str) -> tuple[OrderStatus, ...]:
    """'open' (the default), 'all', or one status value; anything else means 'open'."""
    if choice == "all":
        return tuple(OrderStatus)
    if choice in OrderStatus._value2member_map_:
        return (OrderStatus(choice),)
    return OPEN_STATUSES


def queue(statuses, warehouse_id: int | None = None, page: int = 1,
          search: str = "", storefront_id: int | None = None) -> QueuePage:
    """Three bounded queries: the page's order ids (index on status, placed_at), the orders,
    and their line counts — never a grouping over every order line of the database. Every
    storefront's orders come to the one queue; `storefront_id` shows one storefront's."""
    ids = select(Order.id).where(Order.status.in_(statuses))
    if storefront_id:
        ids = ids.where(Order.storefront_id == storefront_id)
    if search.strip():
        ids = ids.where(order_matching(search.strip()))
    if warehouse_id:
        # Kept simple: the warehouse holds some stock of at least one of the order's products.
        ids = ids.where(exists().where(
            OrderLine.order_id == Order.id, Stock.product_id == OrderLine.product_id,
            Stock.warehouse_id == warehouse_id, Stock.quantity > 0))
    page = max(page, 1)
    page_ids = list(db.session.scalars(
        ids.order_by(Order.placed_at, Order.id).offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)))
    orders = {o.id: o for o in db.session.scalars(
        select(Order).where(Order.id.in_(page_ids)).options(
            joinedload(Order.company), joinedload(Order.collect_warehouse)))}
    totals = {order_id: (lines, remaining) for order_id, lines, remaining in db.session.execute(
        select(OrderLine.order_id, func.count(OrderLine.id),
               func.sum(OrderLine.quantity - OrderLine.shipped_qty))
        .where(OrderLine.order_id.in_(page_ids)).group_by(OrderLine.order_id))}
    rows = [QueueRow(orders[i], totals.get(i, (0, 0))[0] or 0, totals.get(i, (0, 0))[1] or 0)
            for i in page_ids]
    return QueuePage(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)


def warehouses() -> list[Warehouse]:
    return list(db.session.scalars(select(Warehouse).order_by(Warehouse.code)))


def order_for_staff(order_id: int) -> Order | None:
    """Everything the order page shows, in a few queries whatever the number of lines."""
    return db.session.scalar(
        select(Order).where(Order.id == order_id).options(
            joinedload(Order.company), joinedload(Order.placed_by), joinedload(Order.jobsite),
            joinedload(Order.collect_warehouse),
            selectinload(Order.lines),
            selectinload(Order.shipments).selectinload(Shipment.lines),
            selectinload(Order.shipments).joinedload(Shipment.warehouse),
        )
    )


def recent_events(order: Order, limit: int = 20):
    from portal.models import OrderEvent

    return list(db.session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id)
        .options(joinedload(OrderEvent.actor)).order_by(OrderEvent.id.desc()).limit(limit)
    ))


def open_count() -> int:
    return db.session.scalar(
        select(func.count(Order.id)).where(Order.status.in_(OPEN_STATUSES))) or 0
