"""Issuing invoices and credit notes.

An invoice is issued when goods ship (`invoice_shipment`, called by fulfilment where every
shipment is recorded: the back office and the API give the same result): its lines are the
shipped quantities at the order's frozen prices and VAT rates, its VAT the per-rate table of
`totals_by_rate` (one rounding rule, the order's), its scheme and legal mention the order's.
Its due date follows the order's payment terms (net 30/60/90 days from the issue date); an
order paid in advance has its invoice paid at once by that prepayment.

Nothing edits an invoice afterwards. A correction or goods taken back is a credit note
(`credit_note`): its own number in the AV series, the invoice it corrects, the quantities
credited at the invoice's prices and rates.

INVOICES_ISSUED_BY = "erp" turns issuing off: the seller's ERP issues them instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoicePayment,
    Order,
    OrderLine,
    PaymentTerms,
    Shipment,
)
from portal.services import DomainError, NotFound, accounts
from portal.services.billing.contacts import bill_to, service_code_of
from portal.services.billing.numbering import ERP_SERIES, take_number, take_sequence
from portal.services.selling import totals_by_rate

TERMS_DAYS = {PaymentTerms.PREPAY: 0, PaymentTerms.NET30: 30, PaymentTerms.NET60: 60,
              PaymentTerms.NET90: 90}


@dataclass(frozen=True)
class Billed:
    """One line to put on a document: which order line, how many, at what price and rate."""

    order_line_id: int | None
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    tax_rate_bp: int


def issued_by_portal() -> bool:
    return current_app.config.get("INVOICES_ISSUED_BY", "portal") == "portal"


def due_date(terms: PaymentTerms, issued_on: date) -> date:
    return issued_on + timedelta(days=TERMS_DAYS.get(PaymentTerms(terms), 30))


def write_document(order: Order, kind: InvoiceKind, lines: list[Billed], now: datetime, *,
                   issued_on: date | None = None, number: str | None = None, **extra) -> Invoice:
    """Write one document. `number`: the ERP's own (its row's sequence then comes from a
    series of its own), else the next of the portal's series; `issued_on`: today's date
    unless the ERP says when it issued it."""
    issued_on = issued_on or now.date()
    if number is None:
        series, sequence, number = take_number(kind, issued_on.year)
    else:
        series, sequence = ERP_SERIES, take_sequence(ERP_SERIES, issued_on.year)
    pairs = [(b.tax_rate_bp, b.quantity * b.unit_price_cents) for b in lines]
    subtotal = sum(cents for _rate, cents in pairs)
    tax = sum(row.tax_cents for row in totals_by_rate(pairs))
    buyer = bill_to(order.company)
    invoice = Invoice(
        number=number, series=series, year=issued_on.year, sequence=sequence, kind=kind,
        company_id=order.company_id, order_id=order.id, issued_at=now, issued_on=issued_on,
        currency=order.currency, tax_scheme=order.tax_scheme, subtotal_cents=subtotal,
        tax_cents=tax, total_cents=subtotal + tax, buyer_name=buyer.name,
        buyer_address=buyer.address, buyer_postal_code=buyer.postal_code,
        buyer_city=buyer.city, buyer_country=buyer.country,
        buyer_legal_id=order.company.legal_id or "", order_number=order.number,
        # A public order: its commitment number (BT-13) and the service code typed with it
        # (BT-10), else the customer's billing profile's.
        po_number=order.po_number or "",
        buyer_reference=order.service_code or service_code_of(order.company_id),
        **extra)
    for position, b in enumerate(lines, start=1):
        invoice.lines.append(InvoiceLine(
            position=position, order_line_id=b.order_line_id, sku=b.sku, name=b.name,
            quantity=b.quantity, unit_price_cents=b.unit_price_cents,
            line_total_cents=b.quantity * b.unit_price_cents, tax_rate_bp=b.tax_rate_bp))
    db.session.add(invoice)
    db.session.flush()
    return invoice


def invoice_shipment(order: Order, shipped: list[tuple[OrderLine, int]], shipment: Shipment,
                     now: datetime, *, notify: bool = True) -> Invoice | None:
    """The invoice of one shipment (None when the ERP issues invoices, or nothing shipped).
    `notify=False` writes no e-mail (the demo's history)."""
    if not issued_by_portal() or not shipped:
        return None
    if shipment.id is None:
        db.session.flush()
    lines = [Billed(line.id, line.sku, line.name, qty, line.unit_price_cents, line.tax_rate_bp)
             for line, qty in shipped]
    invoice = write_document(order, InvoiceKind.INVOICE, lines, now, shipment_id=shipment.id,
                             due_on=due_date(order.payment_terms, now.date()),
                             prepaid=order.payment_terms == PaymentTerms.PREPAY)
    return issued(invoice, order, now, notify=notify)


def issued(invoice: Invoice, order: Order, now: datetime, *, notify: bool = True) -> Invoice:
    """What follows any new invoice, the portal's or the ERP's: a prepaid order's invoice is
    paid by its prepayment, and the billing recipients get it by e-mail."""
    if invoice.prepaid and invoice.total_cents > 0:
        # The transfer was recorded before the order reached the warehouse.
        db.session.add(InvoicePayment(invoice_id=invoice.id, company_id=order.company_id,
                                      amount_cents=invoice.total_cents, received_on=now.date(),
                                      reference=_("Paid at collection of order %(number)s",
                                                  number=order.number)
                                      if order.pay_at_collection else
                                      _("Prepayment of order %(number)s", number=order.number),
                                      recorded_at=now))
    if notify:
        from portal.services.billing.mailing import invoice_issued

        invoice_issued(invoice)
    return invoice


def credited_quantities(invoice_id: int) -> dict[int, int]:
    """Quantities already credited per invoice line position."""
    rows = db.session.execute(
        select(InvoiceLine.position, func.sum(InvoiceLine.quantity))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(Invoice.credits_id == invoice_id).group_by(InvoiceLine.position)).all()
    return {int(position): int(qty) for position, qty in rows}


def credit_note(staff, invoice_id: int, raw_quantities: dict[int, str], reason: str,
                now: datetime) -> Invoice:
    """A credit note against an invoice: the typed quantity of each of its lines (by
    position), at the invoice's prices and rates; audited. DomainError, nothing written, on
    a bad quantity, more than is left to credit, nothing to credit or no reason."""
    invoice = db.session.scalars(select(Invoice).where(Invoice.id == invoice_id)
                                 .with_for_update()).one_or_none()
    if invoice is None or invoice.kind != InvoiceKind.INVOICE:
        raise NotFound()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why you credit this invoice: the customer will read it."),
                          field="reason")
    if len(reason) > 500:
        raise DomainError(_("Keep the reason under 500 characters."), field="reason")
    done = credited_quantities(invoice.id)
    lines = []
    for line in invoice.lines:
        raw = (raw_quantities.get(line.position) or "").strip()
        if not raw:
            continue
        left = line.quantity - done.get(line.position, 0)
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
            raise DomainError(_("Enter a whole number of units for %(sku)s.", sku=line.sku),
                              field=f"qty-{line.position}")
        qty = int(raw)
        if qty > left:
            raise DomainError(_("At most %(left)d units of %(sku)s are left to credit.",
                                left=left, sku=line.sku), field=f"qty-{line.position}")
        if qty:
            lines.append(Billed(line.order_line_id, line.sku, line.name, qty,
                                line.unit_price_cents, line.tax_rate_bp))
    if not lines:
        raise DomainError(_("Enter the quantity to credit on at least one line."))
    note = write_document(invoice.order, InvoiceKind.CREDIT_NOTE, lines, now,
                          credits_id=invoice.id, reason=reason, prepaid=invoice.prepaid)
    accounts.record(staff, "invoice.credit_note", note,
                    {"invoice": invoice.number, "credit_note": note.number,
                     "total_cents": note.total_cents, "reason": reason},
                    company_id=invoice.company_id)
    from portal.services.billing.mailing import invoice_issued

    invoice_issued(note)
    return note
