"""Orders as the API shows them: pages by an opaque cursor over (updated_at, id), one order
with its frozen lines, delivery place, approvals and shipments, and the ERP's own number."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    Order,
    OrderLine,
    OrderReference,
    OrderStatus,
    Shipment,
    ShipmentLine,
)
from portal.services import DomainError, delivery
from portal.services.integration.audit import audit


class BadParameter(DomainError):
    """A query parameter the API cannot read (400)."""

    status = 400
    code = "bad_parameter"


class BadCursor(BadParameter):
    """The cursor was not one this API handed out (400, the same code as any parameter, as
    the API answered from its first version)."""


def encode_cursor(updated_at: datetime, order_id: int) -> str:
    raw = json.dumps([updated_at.astimezone(UTC).isoformat(), order_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        when, order_id = json.loads(raw)
        at = datetime.fromisoformat(when)
        if at.tzinfo is None or not isinstance(order_id, int) or isinstance(order_id, bool):
            raise ValueError(order_id)
        return at, order_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise BadCursor(_("This cursor is not valid: pass the next_cursor of a page.")) from None


def _loaded(query):
    # Lines and shipments are read as plain rows in `serialize`: building ORM objects for
    # the ~10 lines of each of 500 orders was most of a page's time.
    return query.options(
        selectinload(Order.company), selectinload(Order.unit), selectinload(Order.jobsite),
        selectinload(Order.placed_by), selectinload(Order.collect_warehouse))


def orders_page(company_id: int | None, *, cursor: str | None = None,
                updated_since: datetime | None = None, status: str | None = None,
                limit: int = 100) -> tuple[list[Order], str | None, bool]:
    """One page in (updated_at, id) order: orders, the cursor after the last, whether more."""
    query = select(Order)
    if company_id is not None:
        query = query.where(Order.company_id == company_id)
    if status:
        if status not in {s.value for s in OrderStatus}:
            raise BadParameter(_("Unknown status: %(status)s.", status=status))
        query = query.where(Order.status == OrderStatus(status))
    if updated_since is not None:
        if updated_since.tzinfo is None:
            updated_since = updated_since.replace(tzinfo=UTC)
        query = query.where(Order.updated_at >= updated_since)
    if cursor:
        at, last_id = decode_cursor(cursor)
        query = query.where(or_(Order.updated_at > at,
                                and_(Order.updated_at == at, Order.id > last_id)))
    query = _loaded(query.order_by(Order.updated_at, Order.id).limit(limit + 1))
    orders = list(db.session.scalars(query))
    more = len(orders) > limit
    orders = orders[:limit]
    after = encode_cursor(orders[-1].updated_at, orders[-1].id) if orders else cursor
    return orders, after, more


def order_for(company_id: int | None, order_id: int) -> Order | None:
    """One order, or None when it does not exist or belongs to another company."""
    query = _loaded(select(Order).where(Order.id == order_id))
    if company_id is not None:
        query = query.where(Order.company_id == company_id)
    return db.session.scalar(query)


def expire(order: Order) -> None:
    """Forget what was loaded of this order: the fulfilment actions update it in SQL."""
    db.session.expire(order)


def set_erp_number(order: Order, erp_number: str, client, now: datetime) -> None:
    erp_number = " ".join(erp_number.split())
    if not erp_number:
        raise DomainError(_("The ERP number cannot be blank."))
    ref = db.session.get(OrderReference, order.id)
    before = ref.erp_number if ref else None
    if ref is None:
        db.session.add(OrderReference(order_id=order.id, erp_number=erp_number, updated_at=now))
    else:
        ref.erp_number, ref.updated_at = erp_number, now
    order.updated_at = now
    audit(client, "order.erp_number", order, {"before": before, "after": erp_number})


def erp_numbers(order_ids: list[int]) -> dict[int, str]:
    if not order_ids:
        return {}
    rows = db.session.execute(select(OrderReference.order_id, OrderReference.erp_number)
                              .where(OrderReference.order_id.in_(order_ids)))
    return dict(rows.all())


def _approvals(order_ids: list[int]) -> dict[int, list[ApprovalRequest]]:
    found: dict[int, list[ApprovalRequest]] = {i: [] for i in order_ids}
    if order_ids:
        query = (select(ApprovalRequest).where(ApprovalRequest.order_id.in_(order_ids))
                 .options(selectinload(ApprovalRequest.decided_by))
                 .order_by(ApprovalRequest.step, ApprovalRequest.id))
        for request in db.session.scalars(query):
            found[request.order_id].append(request)
    return found


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _party(obj):
    return {"id": obj.id, "name": obj.name} if obj is not None else None


def _branch(warehouse):
    """The branch a click-and-collect order is collected at (None: delivered)."""
    if warehouse is None:
        return None
    return {"id": warehouse.id, "code": warehouse.code, "name": warehouse.name,
            "city": warehouse.city}


def serialize(orders: list[Order]) -> list[dict]:
    """Plain dicts in the API's shape, for a batch (five statements whatever its size)."""
    ids = [o.id for o in orders]
    refs, approvals = erp_numbers(ids), _approvals(ids)
    lines, shipments = _lines(ids), _shipments(ids)
    return [_one(o, refs.get(o.id), approvals[o.id], lines.get(o.id, []),
                 shipments.get(o.id, [])) for o in orders]


def _lines(order_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    if not order_ids:
        return found
    L = OrderLine
    rows = db.session.execute(
        select(L.order_id, L.id, L.position, L.sku, L.name, L.quantity, L.unit_price_cents,
               L.line_total_cents, L.note, L.shipped_qty, L.backordered_qty, L.backorder_date,
               L.promised_date, L.no_substitute)
        .where(L.order_id.in_(order_ids)).order_by(L.order_id, L.position, L.id))
    for r in rows:
        found.setdefault(r.order_id, []).append({
            "id": r.id, "position": r.position, "sku": r.sku, "name": r.name,
            "quantity": r.quantity, "unit_price_cents": r.unit_price_cents,
            "line_total_cents": r.line_total_cents, "note": r.note,
            "shipped_qty": r.shipped_qty, "backordered_qty": r.backordered_qty,
            "no_substitute": r.no_substitute,
            "backorder_date": _iso(r.backorder_date), "promised_date": _iso(r.promised_date),
            # The same dated parts the buyer sees: units in stock, then the backorder.
            "delivery": [{"quantity": p.quantity, "date": p.on.isoformat(),
                          "in_stock": p.in_stock}
                         for p in delivery.order_parts(r.quantity, r.shipped_qty,
                                                       r.backordered_qty, r.promised_date,
                                                       r.backorder_date)]})
    return found


def _shipments(order_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    if not order_ids:
        return found
    by_id = {}
    for r in db.session.execute(
            select(Shipment.order_id, Shipment.id, Shipment.carrier, Shipment.tracking_number,
                   Shipment.shipped_at).where(Shipment.order_id.in_(order_ids))
            .order_by(Shipment.id)):
        by_id[r.id] = {"id": r.id, "carrier": r.carrier, "tracking_number": r.tracking_number,
                       "shipped_at": _iso(r.shipped_at), "lines": {}}
        found.setdefault(r.order_id, []).append(by_id[r.id])
    if by_id:
        for r in db.session.execute(
                select(ShipmentLine.shipment_id, ShipmentLine.order_line_id,
                       ShipmentLine.quantity).where(ShipmentLine.shipment_id.in_(list(by_id)))):
            by_id[r.shipment_id]["lines"][str(r.order_line_id)] = r.quantity
    return found


def _one(order: Order, erp_number: str | None, approvals, lines, shipments) -> dict:
    return {
        "id": order.id, "number": order.number, "erp_number": erp_number,
        "status": order.status.value, "company": _party(order.company),
        "unit": _party(order.unit), "po_number": order.po_number, "currency": order.currency,
        "service_code": order.service_code,
        "subtotal_cents": order.subtotal_cents, "tax_cents": order.tax_cents,
        "total_cents": order.total_cents, "placed_at": _iso(order.placed_at),
        "updated_at": _iso(order.updated_at), "notes": order.notes,
        "placed_by": {"name": order.placed_by.name, "email": order.placed_by.email},
        "delivery": {"jobsite": _party(order.jobsite), "ship_to": order.ship_to,
                     "site_contact": order.site_contact, "window": order.delivery_window,
                     "notes": order.delivery_notes, "requested_date": _iso(order.requested_date),
                     "collect_at": _branch(order.collect_warehouse),
                     "pay_at_collection": order.pay_at_collection},
        "lines": lines,
        "approvals": [{"step": a.step, "status": str(a.status), "reason": a.reason,
                       "decided_by": a.decided_by.name if a.decided_by else None,
                       "decided_at": _iso(a.decided_at), "comment": a.comment} for a in approvals],
        "shipments": shipments,
    }
