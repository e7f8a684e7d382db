"""Use cases of claims: a buyer reports a problem with a delivered line; the seller's staff
settle it by reshipping the units or crediting them. Each writes a timeline entry (the
buyer's e-mail and the ERP's webhook follow from it) and never commits."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.extensions import db
from portal.models import (
    Claim,
    ClaimStatus,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Order,
    OrderLine,
    Role,
    Shipment,
    ShipmentLine,
    User,
)
from portal.services import DomainError, billing, delivery
from portal.services.claims.queries import line_state
from portal.services.claims.rules import REASON_LABELS, check_report
from portal.services.fulfilment import (
    Conflict,
    Forbidden,
    Photo,
    notify,
    shipment_warehouse,
    store_photo,
)

HANDS = (Role.FULFILMENT, Role.STAFF_ADMIN)


def report(user: User, order: Order, line: OrderLine, raw_reason: str, raw_qty: str,
           raw_note: str, photo: Photo | None, now: datetime, window_days: int) -> Claim:
    """A buyer's report on one line of an order they may see (the view found it)."""
    if line.order_id != order.id:
        raise DomainError(_("This line is not part of this order."))
    # Two reports typed at once on one line cannot both take the last units.
    db.session.execute(select(OrderLine.id).where(OrderLine.id == line.id).with_for_update())
    state = line_state(order, line, now, window_days)
    reason, qty, note = check_report(state, raw_reason, raw_qty, raw_note, now)
    key = store_photo(photo)
    claim = Claim(order_id=order.id, order_line_id=line.id, company_id=order.company_id,
                  reason=reason, quantity=qty, note=note, photo_key=key,
                  status=ClaimStatus.OPEN, reported_by_id=user.id, reported_at=now)
    db.session.add(claim)
    db.session.flush()
    notify.record(order, user, "claim", None, "claim_reported",
                  _params(claim, line, reason=str(reason), photo=bool(key)), now)
    return claim


def _params(claim: Claim, line: OrderLine, **more) -> dict:
    return {"claim_id": claim.id, "sku": line.sku, "qty": claim.quantity, **more}


def _settle(claim: Claim, actor: User, status: ClaimStatus, now: datetime, **values) -> None:
    if actor.role not in HANDS:
        raise Forbidden(_("Your role may not do this."))
    # Conditional: a claim is settled once, whoever taps first.
    changed = db.session.execute(
        update(Claim).where(Claim.id == claim.id, Claim.status == ClaimStatus.OPEN)
        .values(status=status, resolved_by_id=actor.id, resolved_at=now, **values)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise Conflict(_("This claim is already settled."))
    for column, value in {"status": status, "resolved_by_id": actor.id, "resolved_at": now,
                          **values}.items():
        set_committed_value(claim, column, value)


def reship(claim: Claim, actor: User, carrier: str, tracking: str, raw_warehouse,
           now: datetime) -> Shipment:
    """A replacement shipment of the claimed units (no new invoice: they were paid for once);
    they leave the chosen warehouse's stock."""
    carrier, tracking = (carrier or "").strip(), (tracking or "").strip()
    if len(carrier) > 80 or len(tracking) > 80:
        raise DomainError(_("Keep the carrier and tracking number under 80 characters."))
    if claim.status != ClaimStatus.OPEN:
        raise Conflict(_("This claim is already settled."))
    order, line = claim.order, claim.line
    try:
        warehouse = shipment_warehouse(order, raw_warehouse)
    except DomainError as problem:
        raise DomainError(str(problem), field="warehouse") from None
    if warehouse is not None:
        try:
            delivery.take_for_shipment(order, warehouse, [(line, claim.quantity)])
        except delivery.OverShipment as problem:
            raise DomainError(next(iter(problem.errors.values()), str(problem)),
                              field="warehouse") from None
    shipment = Shipment(order_id=order.id, warehouse_id=warehouse.id if warehouse else None,
                        carrier=carrier, tracking_number=tracking, shipped_at=now,
                        created_by_id=actor.id)
    shipment.lines.append(ShipmentLine(order_line_id=line.id, quantity=claim.quantity))
    db.session.add(shipment)
    db.session.flush()
    _settle(claim, actor, ClaimStatus.RESHIPPED, now, shipment_id=shipment.id)
    notify.record(order, actor, "claim", None, "claim_reshipped",
                  _params(claim, line, carrier=carrier, tracking=tracking), now)
    return shipment


def credit(claim: Claim, actor: User, now: datetime) -> Claim:
    """The claimed units credited at the order's price: a credit note against the invoices
    of the line when the portal issues invoices, else the amount recorded for the ERP."""
    if claim.status != ClaimStatus.OPEN:
        raise Conflict(_("This claim is already settled."))
    order, line = claim.order, claim.line
    note_id, number = None, ""
    if billing.issued_by_portal():
        notes = _credit_notes(claim, actor, now)
        if notes:
            note_id, number = notes[0].id, ", ".join(n.number for n in notes)
    cents = claim.quantity * line.unit_price_cents
    _settle(claim, actor, ClaimStatus.CREDITED, now, credit_note_id=note_id, credit_cents=cents)
    notify.record(order, actor, "claim", None, "claim_credited",
                  _params(claim, line, amount=cents, currency=order.currency,
                          credit_note=number), now)
    return claim


def _credit_notes(claim: Claim, actor: User, now: datetime) -> list[Invoice]:
    """Credit notes for the claimed units, from the line's invoices oldest first (none when
    the line was never invoiced); refused when fewer units are left to credit."""
    rows = db.session.execute(
        select(Invoice.id, InvoiceLine.position, InvoiceLine.quantity)
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .where(Invoice.order_id == claim.order_id, Invoice.kind == InvoiceKind.INVOICE,
               InvoiceLine.order_line_id == claim.order_line_id)
        .order_by(Invoice.id, InvoiceLine.position)).all()
    if not rows:
        return []
    wanted, plan = claim.quantity, []
    for invoice_id, position, quantity in rows:
        left = quantity - billing.credited_quantities(invoice_id).get(position, 0)
        take = min(left, wanted)
        if take > 0:
            plan.append((invoice_id, position, take))
            wanted -= take
        if wanted == 0:
            break
    if wanted:
        raise DomainError(_("Only %(num)s units of this line are left to credit on its "
                            "invoices.", num=claim.quantity - wanted))
    reason = _("Claim %(id)s: %(reason)s, %(sku)s", id=claim.id,
               reason=REASON_LABELS[claim.reason], sku=claim.line.sku)
    return [billing.credit_note(actor, invoice_id, {position: str(take)}, reason, now)
            for invoice_id, position, take in plan]
