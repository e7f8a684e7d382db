"""Stock that means something: reservations per warehouse, from placing to shipping.

- `reserve_order`: placing an order holds, line by line, what the serving warehouse has
  available (on hand - reserved), then what the others have; the rest is a backorder with a
  later date (accepted, never refused: B2B buyers want the order in). A reservation never
  takes more than is on hand: the stock rows are locked (SELECT ... FOR UPDATE, in product
  and warehouse order so two orders cannot deadlock) and the UPDATE checks it again.
- `release_order`: a cancelled or rejected order gives its units back.
- `fit_order`: reservations shrink to what is left to ship (after a trim or a shipment).
- `take_for_shipment`: a warehouse ships at most what it holds less what it promised to
  other orders; the order's own reservation there is consumed.
Use cases change the session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import case, select, update

from portal.extensions import db
from portal.models import Order, OrderLine, Stock, StockReservation, Warehouse
from portal.services import DomainError
from portal.services.delivery import promise
from portal.services.delivery.dates import split


class OverShipment(DomainError):
    """A warehouse cannot ship what it does not hold; `errors` maps order line ids to why."""

    def __init__(self, message: str, errors: dict[int, str]):
        super().__init__(message)
        self.errors = errors


def _lock(product_ids: Iterable[int]) -> dict[tuple[int, int], Stock]:
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Stock).where(Stock.product_id.in_(ids))
        .order_by(Stock.product_id, Stock.warehouse_id).with_for_update()
        .execution_options(populate_existing=True)).all()
    return {(row.product_id, row.warehouse_id): row for row in rows}


def _hold(row: Stock, units: int) -> int:
    """Reserve up to `units` of `row`; the UPDATE re-checks on-hand (belt and braces where
    FOR UPDATE is ignored)."""
    take = min(units, row.quantity - row.reserved)
    if take <= 0:
        return 0
    changed = db.session.execute(
        update(Stock).where(Stock.product_id == row.product_id,
                            Stock.warehouse_id == row.warehouse_id,
                            Stock.quantity - Stock.reserved >= take)
        .values(reserved=Stock.reserved + take).execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        return 0
    row.reserved += take
    return take


def reserve_order(order: Order, now: datetime) -> None:
    """Hold stock for each line of a new order and date each line's parts."""
    serving = promise.order_route(order)
    rows = _lock(line.product_id for line in order.lines)
    calendars = {wid: serving.calendar(wid) for wid in promise.sites()}
    local = promise.local(now)
    # Collected at a branch: only the branch's stock is held; the rest comes there.
    order_ids = [serving.warehouse_id] if serving.collect \
        else promise.warehouse_order(serving.warehouse_id)
    db.session.flush()
    for line in order.lines:
        left, holdings = line.quantity, []
        for wid in order_ids:
            row = rows.get((line.product_id, wid))
            if row is None or left <= 0:
                continue
            taken = _hold(row, left)
            if taken:
                db.session.add(StockReservation(order_line_id=line.id, product_id=line.product_id,
                                                warehouse_id=wid, quantity=taken))
                holdings.append((calendars[wid], taken))
                left -= taken
        parts = split(line.quantity, holdings, local, serving.calendar(),
                      line.product.lead_time_days)
        line.promised_date = parts[0].on if parts else None
        line.backordered_qty = left
        line.backorder_date = parts[-1].on if left else None


def _reservations(order: Order) -> list[StockReservation]:
    ids = [line.id for line in order.lines]
    if not ids:
        return []
    return list(db.session.scalars(select(StockReservation)
                                   .where(StockReservation.order_line_id.in_(ids))
                                   .order_by(StockReservation.id)))


def _give_back(held: StockReservation, units: int) -> None:
    db.session.execute(
        update(Stock).where(Stock.product_id == held.product_id,
                            Stock.warehouse_id == held.warehouse_id)
        .values(reserved=case((Stock.reserved > units, Stock.reserved - units), else_=0))
        .execution_options(synchronize_session=False))
    held.quantity -= units
    if held.quantity <= 0:
        db.session.delete(held)


def release_order(order: Order) -> int:
    """Give back every unit the order holds (cancelled, rejected); returns how many."""
    _lock(line.product_id for line in order.lines)
    released = 0
    for held in _reservations(order):
        released += held.quantity
        _give_back(held, held.quantity)
    db.session.flush()
    return released


def fit_order(order: Order) -> None:
    """Shrink what each line holds to what is left to ship, latest warehouses first."""
    by_line: dict[int, list[StockReservation]] = {}
    for held in _reservations(order):
        by_line.setdefault(held.order_line_id, []).append(held)
    for line in order.lines:
        extra = sum(h.quantity for h in by_line.get(line.id, ())) - max(
            0, line.quantity - line.shipped_qty)
        for held in reversed(by_line.get(line.id, [])):
            if extra <= 0:
                break
            units = min(extra, held.quantity)
            _give_back(held, units)
            extra -= units
    db.session.flush()


def take_for_shipment(order: Order, warehouse: Warehouse,
                      quantities: list[tuple[OrderLine, int]]) -> None:
    """Ship these units from `warehouse`: refused (nothing changed) when it does not hold
    them beyond what it promised to other orders; else on hand falls, and the order's own
    reservation there is consumed first."""
    rows = _lock(line.product_id for line, _q in quantities)
    own: dict[int, StockReservation] = {
        h.order_line_id: h for h in _reservations(order) if h.warehouse_id == warehouse.id}
    errors: dict[int, str] = {}
    wanted: dict[int, int] = {}
    for line, qty in quantities:
        wanted[line.product_id] = wanted.get(line.product_id, 0) + qty
    for line, _qty in quantities:
        row = rows.get((line.product_id, warehouse.id))
        on_hand = row.quantity if row else 0
        mine = sum(h.quantity for lid, h in own.items()
                   if h.product_id == line.product_id)
        may = max(0, on_hand - (row.reserved if row else 0) + mine)
        if wanted[line.product_id] > may:
            errors[line.id] = _(
                "%(code)s holds %(on_hand)s on hand, %(free)s of them for this order: ship "
                "%(free)s at most from there.", code=warehouse.code, on_hand=on_hand, free=may)
    if errors:
        raise OverShipment(_("A warehouse cannot ship more than it holds."), errors)
    for line, qty in quantities:
        held = own.get(line.id)
        consumed = min(qty, held.quantity) if held else 0
        if consumed:
            _give_back(held, consumed)
        db.session.execute(
            update(Stock).where(Stock.product_id == line.product_id,
                                Stock.warehouse_id == warehouse.id)
            .values(quantity=Stock.quantity - qty).execution_options(synchronize_session=False))
    db.session.flush()


def reserved_by_order(order: Order) -> dict[int, list[tuple[int, int]]]:
    """{order line id: [(warehouse id, units held)]}, for the staff's order page."""
    out: dict[int, list[tuple[int, int]]] = {}
    for held in _reservations(order):
        out.setdefault(held.order_line_id, []).append((held.warehouse_id, held.quantity))
    return out



def reserved_of(product_id: int) -> dict[int, int]:
    """{warehouse id: units reserved} of one product, where any are."""
    rows = db.session.execute(select(Stock.warehouse_id, Stock.reserved)
                              .where(Stock.product_id == product_id, Stock.reserved > 0))
    return dict(rows.all())
