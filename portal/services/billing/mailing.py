"""E-mails about invoices, to the company's billing recipients (contacts.recipients): a new
invoice or credit note, and overdue reminders. Written to the outbox in the caller's
transaction."""

from __future__ import annotations

from portal.formatting import money
from portal.models import Invoice
from portal.services.billing.contacts import recipients
from portal.services.messaging import email_link, queue_email


def _send(kind: str, invoice: Invoice, **context) -> int:
    people = recipients(invoice.company_id)
    link = email_link("billing.invoice", invoice_id=invoice.id)
    for person in people:
        queue_email(kind, person.email, person.language or invoice.company.language,
                    "invoice_issued" if kind == "invoice_issued" else "invoice_overdue",
                    invoice=invoice, person=person, money=money, link=link,
                    pdf_link=email_link("billing.invoice_pdf", invoice_id=invoice.id),
                    **context)
    return len(people)


def invoice_issued(invoice: Invoice) -> int:
    return _send("invoice_issued", invoice)


def invoice_overdue(invoice: Invoice, outstanding_cents: int, step: int) -> int:
    return _send("invoice_overdue", invoice, outstanding_cents=outstanding_cents, step=step)
