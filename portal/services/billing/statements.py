"""What a company owes: each invoice's status, the balance and the overdue amount, and who
may read them.

An invoice's outstanding amount is its total, less its credit notes, less its payments. Its
status on a given day: paid (nothing outstanding), overdue (outstanding after its due date),
partly paid (something paid, the rest not yet due), open. The balance is the sum of what is
outstanding; the overdue amount, that of the overdue invoices.

Who may read: a company's admins, its approvers and its billing contact read every invoice and
the statement; a buyer reads the invoices of the orders they placed; nobody else, and another
company's invoice is answered like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Invoice, InvoiceKind, InvoicePayment, Role
from portal.services.billing.contacts import is_billing_contact

READERS = (Role.COMPANY_ADMIN, Role.APPROVER)


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CREDIT_NOTE = "credit_note"


STATUS_WORDS = {
    InvoiceStatus.OPEN: (_l("Open"), ""),
    InvoiceStatus.PARTLY_PAID: (_l("Partly paid"), "warn"),
    InvoiceStatus.PAID: (_l("Paid"), "ok"),
    InvoiceStatus.OVERDUE: (_l("Overdue"), "bad"),
    InvoiceStatus.CREDIT_NOTE: (_l("Credit note"), ""),
}


def status_of(kind, due_on: date | None, paid: int, outstanding: int,
              today: date) -> InvoiceStatus:
    """The status of one document on `today` (a pure rule)."""
    if kind == InvoiceKind.CREDIT_NOTE:
        return InvoiceStatus.CREDIT_NOTE
    if outstanding <= 0:
        return InvoiceStatus.PAID
    if due_on is not None and due_on < today:
        return InvoiceStatus.OVERDUE
    return InvoiceStatus.PARTLY_PAID if paid > 0 else InvoiceStatus.OPEN


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    paid_cents: int
    credited_cents: int
    status: InvoiceStatus

    @property
    def outstanding_cents(self) -> int:
        if self.invoice.kind == InvoiceKind.CREDIT_NOTE:
            return 0
        return max(0, self.invoice.total_cents - self.credited_cents - self.paid_cents)

    @property
    def status_label(self) -> str:
        return str(STATUS_WORDS[self.status][0])

    @property
    def tone(self) -> str:
        return STATUS_WORDS[self.status][1]


SETTLED_SHOWN = 20
_FIRST = {InvoiceStatus.OVERDUE: 0, InvoiceStatus.PARTLY_PAID: 1, InvoiceStatus.OPEN: 1}


@dataclass(frozen=True)
class Statement:
    """Every document of a company with what is owed; `shown` is what the page lists: what
    is still to pay first (overdue, then by due date), then the latest settled ones."""

    rows: list[InvoiceRow]
    currency: str

    @property
    def shown(self) -> list[InvoiceRow]:
        owed = sorted((r for r in self.rows if r.status in _FIRST),
                      key=lambda r: (_FIRST[r.status], r.invoice.due_on, r.invoice.id))
        settled = [r for r in self.rows if r.status not in _FIRST]
        return owed + settled[:SETTLED_SHOWN]

    @property
    def hidden_count(self) -> int:
        return len(self.rows) - len(self.shown)

    @property
    def balance_cents(self) -> int:
        return sum(row.outstanding_cents for row in self.rows)

    @property
    def overdue_cents(self) -> int:
        return sum(row.outstanding_cents for row in self.rows
                   if row.status == InvoiceStatus.OVERDUE)

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.rows if row.status == InvoiceStatus.OVERDUE)


def _paid(invoice_ids) -> dict[int, int]:
    if not invoice_ids:
        return {}
    return dict(db.session.execute(
        select(InvoicePayment.invoice_id, func.sum(InvoicePayment.amount_cents))
        .where(InvoicePayment.invoice_id.in_(invoice_ids))
        .group_by(InvoicePayment.invoice_id)).all())


def _credited(invoice_ids) -> dict[int, int]:
    if not invoice_ids:
        return {}
    return dict(db.session.execute(
        select(Invoice.credits_id, func.sum(Invoice.total_cents))
        .where(Invoice.credits_id.in_(invoice_ids)).group_by(Invoice.credits_id)).all())


def rows_for(invoices: list[Invoice], today: date) -> list[InvoiceRow]:
    """Each document with what was paid and credited, in two statements whatever the count."""
    ids = [i.id for i in invoices]
    paid, credited = _paid(ids), _credited(ids)
    rows = []
    for invoice in invoices:
        p, c = int(paid.get(invoice.id, 0)), int(credited.get(invoice.id, 0))
        outstanding = invoice.total_cents - c - p
        rows.append(InvoiceRow(invoice, p, c,
                               status_of(invoice.kind, invoice.due_on, p, outstanding, today)))
    return rows


def statement(company, today: date) -> Statement:
    """Every invoice and credit note of the company, newest first, with the balance."""
    # A credit note names its invoice on the page: loaded with it, not one query per note.
    invoices = list(db.session.scalars(
        select(Invoice).options(joinedload(Invoice.credits))
        .where(Invoice.company_id == company.id)
        .order_by(Invoice.issued_on.desc(), Invoice.id.desc())))
    return Statement(rows_for(invoices, today), company.currency)


def owed_cents(company_id: int) -> int:
    """What the company's invoices still ask to be paid (credit notes and payments taken off,
    each invoice at least zero): the credit exposure's unpaid invoices."""
    invoices = list(db.session.execute(
        select(Invoice.id, Invoice.total_cents).where(
            Invoice.company_id == company_id, Invoice.kind == InvoiceKind.INVOICE)).all())
    ids = [i for i, _total in invoices]
    paid, credited = _paid(ids), _credited(ids)
    return sum(max(0, total - int(paid.get(i, 0)) - int(credited.get(i, 0)))
               for i, total in invoices)


def may_read_statement(user) -> bool:
    if user is None or getattr(user, "company_id", None) is None:
        return False
    return user.role in READERS or is_billing_contact(user)


def invoice_for(user, invoice_id: int) -> Invoice | None:
    """The invoice if `user` may read it (see the module docstring), else None (a 404)."""
    invoice = db.session.scalars(select(Invoice).options(joinedload(Invoice.order))
                                 .where(Invoice.id == invoice_id)).one_or_none()
    if invoice is None or user is None or user.company_id != invoice.company_id:
        return None
    if may_read_statement(user) or invoice.order.placed_by_id == user.id:
        return invoice
    return None


def invoices_of_order(user, order) -> list[InvoiceRow]:
    """The invoices of one order the user may read (the buyer's order page)."""
    if user is None or getattr(user, "company_id", None) != order.company_id:
        return []
    if not (order.placed_by_id == user.id or may_read_statement(user)):
        return []
    invoices = list(db.session.scalars(select(Invoice).where(Invoice.order_id == order.id)
                                       .order_by(Invoice.id)))
    return rows_for(invoices, datetime.now(UTC).date())
