"""Invoices the seller's ERP issued (INVOICES_ISSUED_BY = "erp"), registered through the API.

The ERP keeps its own number and dates; the portal checks what it can check from the order —
each line is one of the order's lines, not invoiced beyond what left (what was shipped, once a
shipment is recorded; what was ordered before), and the per-rate VAT and total the ERP
printed equal those of `totals_by_rate`, the one rounding rule — then writes the invoice with
`issuing`'s own writer. From there it is an invoice like the portal's: the billing contact's
e-mail, the statement, the credit exposure, payments, credit notes, Factur-X.

When the portal issues invoices itself, a second issuer would bill the goods twice: refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from portal.extensions import db
from portal.models import Invoice, InvoiceKind, InvoiceLine, Order, OrderStatus, PaymentTerms
from portal.models.orders import TaxScheme
from portal.services import DomainError
from portal.services.billing.issuing import Billed, issued, issued_by_portal, write_document
from portal.services.selling import rate_label, totals_by_rate

# Letters, digits, dot, dash, underscore: the number travels in URLs (/invoices/{number}).
NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}")
# The portal's own series (credit notes are still numbered by the portal).
PORTAL_NUMBER = re.compile(r"(FA|AV)-\d{4}-\d{6}")
INVOICEABLE = (OrderStatus.SUBMITTED, OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_SHIPPED,
               OrderStatus.SHIPPED, OrderStatus.DELIVERED)


class IssuedByPortal(DomainError):
    """INVOICES_ISSUED_BY is "portal": the ERP's invoices are not taken (409)."""

    status = 409
    code = "invoices_issued_by_portal"


class NumberTaken(DomainError):
    """Another invoice already has this number (409)."""

    status = 409
    code = "invoice_number_taken"


class NotInvoiceable(DomainError):
    """The order is not in a status that can be invoiced (409, the status named)."""

    status = 409
    code = "not_possible"

    def __init__(self, message: str, order_status: str):
        super().__init__(message)
        self.extra = {"order_status": order_status}


@dataclass(frozen=True)
class ErpLine:
    """One line as the ERP invoiced it: an order line by id, else by SKU."""

    line_id: int | None
    sku: str | None
    quantity: int
    unit_price_cents: int
    tax_rate_bp: int


@dataclass(frozen=True)
class ErpInvoice:
    number: str
    issued_on: date
    due_on: date
    lines: list[ErpLine]
    vat: list[tuple[int, int, int]]  # (rate_bp, base_cents, tax_cents) as printed by the ERP
    total_cents: int


def invoiced_quantities(order_id: int) -> dict[int, int]:
    """Units of each order line its invoices bill, less those its credit notes gave back."""
    sign = case((Invoice.kind == InvoiceKind.CREDIT_NOTE, -InvoiceLine.quantity),
                else_=InvoiceLine.quantity)
    rows = db.session.execute(
        select(InvoiceLine.order_line_id, func.sum(sign))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(Invoice.order_id == order_id, InvoiceLine.order_line_id.is_not(None))
        .group_by(InvoiceLine.order_line_id)).all()
    return {int(line_id): int(qty) for line_id, qty in rows}


def _check_header(order: Order, erp: ErpInvoice, today: date) -> None:
    if issued_by_portal():
        raise IssuedByPortal(_("The portal issues the invoices (INVOICES_ISSUED_BY is "
                               "\"portal\"): an invoice from the ERP would bill the goods "
                               "twice. Nothing was recorded."))
    if order.status not in INVOICEABLE:
        raise NotInvoiceable(_("An order in this status cannot be invoiced."),
                             order.status.value)
    if not NUMBER.fullmatch(erp.number or ""):
        raise DomainError(_("Give the invoice number: up to 20 letters, digits, dots, dashes "
                            "or underscores."), field="number")
    if PORTAL_NUMBER.fullmatch(erp.number):
        raise DomainError(_("This number is in the portal's own series: give the ERP's "
                            "number."), field="number")
    if db.session.scalar(select(Invoice.id).where(Invoice.number == erp.number)) is not None:
        raise NumberTaken(_("Invoice %(number)s is already recorded. Nothing was recorded.",
                            number=erp.number), field="number")
    if erp.issued_on > today:
        raise DomainError(_("The issue date cannot be in the future."), field="issued_on")
    if erp.due_on < erp.issued_on:
        raise DomainError(_("The due date cannot be before the issue date."), field="due_on")


def _billed_lines(order: Order, erp: ErpInvoice) -> list[Billed]:
    by_id = {line.id: line for line in order.lines}
    cap_shipped = bool(order.shipments)
    done = invoiced_quantities(order.id)
    billed = []
    for i, wanted in enumerate(erp.lines):
        if wanted.line_id is not None:
            line = by_id.get(wanted.line_id)
            if line is None:
                raise DomainError(_("Not a line of this order."), field=f"lines/{i}/line_id")
        else:
            matches = [line for line in order.lines if line.sku == wanted.sku]
            if len(matches) != 1:
                raise DomainError(
                    _("No line of this order has this SKU.") if not matches else
                    _("Several lines of this order have this SKU: give its line_id."),
                    field=f"lines/{i}/sku")
            line = matches[0]
        limit = line.shipped_qty if cap_shipped else line.quantity
        left = limit - done.get(line.id, 0)
        if wanted.quantity <= 0 or wanted.quantity > left:
            words = dict(sku=line.sku, left=max(left, 0), limit=limit,
                         done=done.get(line.id, 0))
            raise DomainError(
                _("%(sku)s: at most %(left)d units are left to invoice (%(limit)d shipped, "
                  "%(done)d already invoiced).", **words) if cap_shipped else
                _("%(sku)s: at most %(left)d units are left to invoice (%(limit)d ordered, "
                  "%(done)d already invoiced).", **words), field=f"lines/{i}/quantity")
        if order.tax_scheme != TaxScheme.DOMESTIC and wanted.tax_rate_bp != 0:
            raise DomainError(_("This order is invoiced without VAT (reverse charge or "
                                "export): the rate must be 0."), field=f"lines/{i}/tax_rate_bp")
        done[line.id] = done.get(line.id, 0) + wanted.quantity
        billed.append(Billed(line.id, line.sku, line.name, wanted.quantity,
                             wanted.unit_price_cents, wanted.tax_rate_bp))
    if not billed:
        raise DomainError(_("An invoice needs at least one line."), field="lines")
    return billed


def _check_totals(billed: list[Billed], erp: ErpInvoice) -> None:
    computed = totals_by_rate((b.tax_rate_bp, b.quantity * b.unit_price_cents) for b in billed)
    stated = {rate: (base, tax) for rate, base, tax in erp.vat}
    if sorted(stated) != sorted(row.rate_bp for row in computed) or len(stated) != len(erp.vat):
        raise DomainError(_("Give one VAT entry per rate of the lines: %(rates)s.",
                            rates=", ".join(rate_label(r.rate_bp) for r in computed)),
                          field="vat")
    index = {rate: i for i, (rate, _b, _t) in enumerate(erp.vat)}
    for row in computed:
        base, tax = stated[row.rate_bp]
        i = index[row.rate_bp]
        if base != row.base_cents:
            raise DomainError(_("VAT %(rate)s: the lines add up to a base of %(cents)d cents.",
                                rate=rate_label(row.rate_bp), cents=row.base_cents),
                              field=f"vat/{i}/base_cents")
        if tax != row.tax_cents:
            raise DomainError(_("VAT %(rate)s: %(cents)d cents (the rate applied once to the "
                                "base, rounded half up).", rate=rate_label(row.rate_bp),
                                cents=row.tax_cents), field=f"vat/{i}/tax_cents")
    total = sum(r.base_cents + r.tax_cents for r in computed)
    if erp.total_cents != total:
        raise DomainError(_("The lines and their VAT add up to %(cents)d cents.", cents=total),
                          field="total_cents")


def register_erp_invoice(order: Order, erp: ErpInvoice, now: datetime) -> Invoice:
    """The ERP's invoice of (part of) `order`, checked, written and sent like the portal's.
    Refused with nothing written: a DomainError naming the field."""
    _check_header(order, erp, now.date())
    billed = _billed_lines(order, erp)
    _check_totals(billed, erp)
    invoice = write_document(order, InvoiceKind.INVOICE, billed, now, issued_on=erp.issued_on,
                             number=erp.number, due_on=erp.due_on,
                             prepaid=order.payment_terms == PaymentTerms.PREPAY)
    return issued(invoice, order, now)
