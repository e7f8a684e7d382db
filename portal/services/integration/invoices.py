"""Invoices as the API shows them, and the API's two writes on them.

Reading: a page of invoices and credit notes by an opaque cursor over (changed_at, id), where
an invoice changes when it is issued, paid (a payment recorded) or credited (a credit note
against it): rows are written once, so the instant is the latest of those, computed in SQL.
One document carries its lines, its per-rate VAT (`totals_by_rate`, as printed), its status,
what is left to pay and its payments. A customer's client reads its company's only.

Writing goes through billing's own use cases (`record_client_payment`,
`register_erp_invoice`): this module only maps the API's shape onto them and their refusals'
fields onto the API's pointers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select, type_coerce, union_all
from sqlalchemy.orm import aliased, selectinload

from portal.extensions import db
from portal.models import Invoice, InvoicePayment, Order
from portal.models.base import UTCDateTime
from portal.services import DomainError, billing
from portal.services.integration.audit import audit
from portal.services.integration.orders import decode_cursor, encode_cursor
from portal.services.selling import totals_by_rate

# The billing forms' field names, as the API's body names them.
POINTERS = {"amount": "amount_cents"}


def _changes(company_id: int | None, since: datetime | None):
    """(invoice_id, at) for every change: issued, a payment recorded, a credit note issued
    against it; only those at or after `since` when given. An invoice's latest change is the
    max of its rows, and it changed since X exactly when one of its rows is at or after X, so
    the filter can go into each branch, before grouping: a page reads only what changed."""
    credit = aliased(Invoice)
    branches = [
        select(Invoice.id.label("invoice_id"), Invoice.issued_at.label("at"))
        .where(*_of(Invoice, company_id), *_since(Invoice.issued_at, since)),
        select(InvoicePayment.invoice_id, InvoicePayment.recorded_at)
        .where(*_of(InvoicePayment, company_id), *_since(InvoicePayment.recorded_at, since)),
        select(credit.credits_id, credit.issued_at)
        .where(credit.credits_id.is_not(None), *_of(credit, company_id),
               *_since(credit.issued_at, since)),
    ]
    return union_all(*branches).subquery("changes")


def _of(model, company_id):
    return () if company_id is None else (model.company_id == company_id,)


def _since(column, since):
    return () if since is None else (column >= since,)


def invoices_page(company_id: int | None, *, cursor: str | None = None,
                  updated_since: datetime | None = None,
                  limit: int = 100) -> tuple[list[dict], str | None, bool]:
    """One page in (changed_at, id) order, serialized; the cursor after it; whether more."""
    if updated_since is not None and updated_since.tzinfo is None:
        updated_since = updated_since.replace(tzinfo=UTC)
    after_at, after_id = decode_cursor(cursor) if cursor else (None, None)
    since = max((t for t in (updated_since, after_at) if t is not None), default=None)
    changes = _changes(company_id, since)
    changed = type_coerce(func.max(changes.c.at), UTCDateTime)
    query = select(changes.c.invoice_id, changed.label("changed_at")).group_by(
        changes.c.invoice_id)
    if after_at is not None:
        query = query.having(or_(changed > after_at,
                                 and_(changed == after_at, changes.c.invoice_id > after_id)))
    rows = db.session.execute(query.order_by(changed, changes.c.invoice_id)
                              .limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return [], cursor, False
    when = {r.invoice_id: r.changed_at for r in rows}
    found = {i.id: i for i in db.session.scalars(
        select(Invoice).where(Invoice.id.in_(list(when))).options(
            selectinload(Invoice.lines), selectinload(Invoice.payments),
            selectinload(Invoice.credits)))}
    invoices = [found[r.invoice_id] for r in rows]
    after = encode_cursor(rows[-1].changed_at, rows[-1].invoice_id)
    return serialize(invoices, when), after, more


def invoice_for(company_id: int | None, number: str) -> Invoice | None:
    """One invoice or credit note by its number; None when missing or another company's."""
    query = select(Invoice).where(Invoice.number == number).options(
        selectinload(Invoice.lines), selectinload(Invoice.payments),
        selectinload(Invoice.credits))
    if company_id is not None:
        query = query.where(Invoice.company_id == company_id)
    return db.session.scalar(query)


def describe(invoice: Invoice) -> dict:
    db.session.expire(invoice)
    fresh = invoice_for(None, invoice.number)
    changes = _changes(None, None)
    changed = db.session.scalar(select(type_coerce(func.max(changes.c.at), UTCDateTime))
                                .where(changes.c.invoice_id == fresh.id))
    return serialize([fresh], {fresh.id: changed})[0]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def serialize(invoices: list[Invoice], changed: dict[int, datetime]) -> list[dict]:
    today = datetime.now(UTC).date()
    return [_one(row, changed.get(row.invoice.id)) for row in billing.rows_for(invoices, today)]


def _one(row, changed_at) -> dict:
    invoice = row.invoice
    pairs = [(line.tax_rate_bp, line.line_total_cents) for line in invoice.lines]
    return {
        "number": invoice.number, "kind": invoice.kind.value,
        "issued_by": "erp" if invoice.series == billing.ERP_SERIES else "portal",
        "order_id": invoice.order_id, "order_number": invoice.order_number,
        "company_id": invoice.company_id, "po_number": invoice.po_number,
        "credits": invoice.credits.number if invoice.credits else None,
        "reason": invoice.reason, "issued_on": _iso(invoice.issued_on),
        "due_on": _iso(invoice.due_on), "currency": invoice.currency,
        "tax_scheme": invoice.tax_scheme.value, "status": row.status.value,
        "subtotal_cents": invoice.subtotal_cents, "tax_cents": invoice.tax_cents,
        "total_cents": invoice.total_cents, "paid_cents": row.paid_cents,
        "credited_cents": row.credited_cents, "outstanding_cents": row.outstanding_cents,
        "vat": [{"rate_bp": r.rate_bp, "base_cents": r.base_cents, "tax_cents": r.tax_cents}
                for r in totals_by_rate(pairs)],
        "lines": [{"position": line.position, "order_line_id": line.order_line_id,
                   "sku": line.sku, "name": line.name, "quantity": line.quantity,
                   "unit_price_cents": line.unit_price_cents,
                   "line_total_cents": line.line_total_cents, "tax_rate_bp": line.tax_rate_bp}
                  for line in invoice.lines],
        "payments": [{"amount_cents": p.amount_cents, "received_on": _iso(p.received_on),
                      "reference": p.reference} for p in invoice.payments],
        "changed_at": _iso(changed_at),
    }


@contextmanager
def _as_pointers() -> Iterator[None]:
    """Billing's refusals name its form fields; the API names its body's."""
    try:
        yield
    except DomainError as e:
        if e.field in POINTERS:
            e.field = POINTERS[e.field]
        raise


def record_payment(invoice: Invoice, client, amount_cents: int, received_on, reference: str,
                   now: datetime) -> None:
    with _as_pointers():
        billing.record_client_payment(client, invoice.id, amount_cents, received_on,
                                      reference, now)


def register_invoice(order: Order, client, body, now: datetime) -> Invoice:
    """The ERP's invoice of `order` (`body`: the API's validated model)."""
    erp = billing.ErpInvoice(
        number=body.number, issued_on=body.issued_on, due_on=body.due_on,
        lines=[billing.ErpLine(line.line_id, line.sku, line.quantity, line.unit_price_cents,
                               line.tax_rate_bp) for line in body.lines],
        vat=[(v.rate_bp, v.base_cents, v.tax_cents) for v in body.vat],
        total_cents=body.total_cents)
    invoice = billing.register_erp_invoice(order, erp, now)
    audit(client, "invoice.registered", invoice,
          {"invoice": invoice.number, "order": order.number, "total_cents": invoice.total_cents})
    return invoice

