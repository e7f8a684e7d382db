"""Reading claims: what a buyer may still report on an order, one claim for its reader, and
the staff's queue. A claim of another company's order is None (the view's 404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Claim, ClaimStatus, Order, OrderLine, Shipment, Stock, Warehouse
from portal.services import delivery
from portal.services.claims.rules import Delivered, LineClaims, line_claims
from portal.services.orders import find_order

QUEUE_SIZE = 100


def _deliveries(order: Order, line_id: int) -> list[Delivered]:
    return [Delivered(sl.quantity, s.delivered_at) for s in order.shipments
            if s.delivered_at is not None for sl in s.lines if sl.order_line_id == line_id]


def _claimed(order_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(Claim.order_line_id, func.sum(Claim.quantity)).where(Claim.order_id == order_id)
        .group_by(Claim.order_line_id)).all()
    return {int(line_id): int(qty) for line_id, qty in rows}


def line_state(order: Order, line: OrderLine, now: datetime, window_days: int) -> LineClaims:
    return line_claims(_deliveries(order, line.id), _claimed(order.id).get(line.id, 0), now,
                       window_days)


@dataclass
class OrderClaims:
    """An order's claims, newest first, and what each line may still report."""

    claims: list[Claim] = field(default_factory=list)
    lines: dict[int, LineClaims] = field(default_factory=dict)
    # Replacement shipments: shipment id -> the claim it settled.
    replacements: dict[int, Claim] = field(default_factory=dict)


def for_order(order: Order, now: datetime, window_days: int) -> OrderClaims:
    claims = list(db.session.scalars(
        select(Claim).where(Claim.order_id == order.id)
        .options(joinedload(Claim.line)).order_by(Claim.id.desc())))
    claimed: dict[int, int] = {}
    for claim in claims:
        claimed[claim.order_line_id] = claimed.get(claim.order_line_id, 0) + claim.quantity
    lines = {line.id: line_claims(_deliveries(order, line.id), claimed.get(line.id, 0), now,
                                  window_days) for line in order.lines}
    return OrderClaims(claims, lines, {c.shipment_id: c for c in claims if c.shipment_id})


def line_for_customer(user, order_id: int, line_id: int) -> tuple[Order, OrderLine] | None:
    order = find_order(user, order_id)
    line = next((x for x in order.lines if x.id == line_id), None) if order else None
    return (order, line) if line is not None else None


def claim_for_customer(user, order_id: int, claim_id: int) -> Claim | None:
    order = find_order(user, order_id)
    claim = db.session.get(Claim, claim_id) if order else None
    return claim if claim is not None and claim.order_id == order.id else None


def shipment_for_customer(user, order_id: int, shipment_id: int) -> Shipment | None:
    order = find_order(user, order_id)
    shipment = db.session.get(Shipment, shipment_id) if order else None
    return shipment if shipment is not None and shipment.order_id == order.id else None


def claim_for_staff(claim_id: int) -> Claim | None:
    return db.session.scalar(
        select(Claim).where(Claim.id == claim_id).options(
            joinedload(Claim.order).joinedload(Order.company), joinedload(Claim.line),
            joinedload(Claim.reported_by),
            joinedload(Claim.order).selectinload(Order.shipments)))


def queue(status: ClaimStatus | None) -> list[Claim]:
    """Open claims oldest first (the work to do); settled ones newest first."""
    query = select(Claim).options(joinedload(Claim.order).joinedload(Order.company),
                                  joinedload(Claim.line))
    if status == ClaimStatus.OPEN:
        query = query.where(Claim.status == ClaimStatus.OPEN).order_by(Claim.reported_at,
                                                                       Claim.id)
    else:
        query = query.where(Claim.status != ClaimStatus.OPEN).order_by(Claim.resolved_at.desc(),
                                                                       Claim.id.desc())
    return list(db.session.scalars(query.limit(QUEUE_SIZE)))


def open_count() -> int:
    return db.session.scalar(select(func.count(Claim.id))
                             .where(Claim.status == ClaimStatus.OPEN)) or 0


@dataclass(frozen=True)
class ReshipFrom:
    """The warehouses a replacement may leave from, with what each has free of the product,
    and the one the form starts at: the customer's own when it has enough, else the first
    that has."""

    choices: list[tuple[Warehouse, int]]
    proposed: int | None


def reship_from(claim: Claim) -> ReshipFrom:
    free = {wid: qty - reserved for wid, qty, reserved in db.session.execute(
        select(Stock.warehouse_id, Stock.quantity, Stock.reserved)
        .where(Stock.product_id == claim.line.product_id))}
    choices = [(w, max(free.get(w.id, 0), 0)) for w in db.session.scalars(
        select(Warehouse).order_by(Warehouse.code))]
    enough = [w.id for w, units in choices if units >= claim.quantity]
    own = delivery.serving_warehouse_id(claim.order.company, claim.order.jobsite)
    return ReshipFrom(choices, own if own in enough else (enough[0] if enough else None))
