"""Overdue reminders, an hourly duty of `portal worker` (portal/worker/duties.py).

An invoice still outstanding INVOICE_REMINDER_DAYS[i] days after its due date gets reminder
step i+1, once: the step is written in invoice_reminders (unique per invoice and step) with
the e-mail, in one transaction. A worker that was stopped for a while sends only the latest
step reached, not every step missed.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import Invoice, InvoiceKind, InvoiceReminder
from portal.services.billing.mailing import invoice_overdue
from portal.services.billing.statements import InvoiceStatus, rows_for

DEFAULT_STEPS = (1, 15, 30)


def step_reached(days_overdue: int, steps) -> int:
    """The reminder step (1-based) reached after `days_overdue` days; 0 for none yet."""
    return sum(1 for days in steps if days_overdue >= days)


def send_overdue_reminders(now: datetime) -> int:
    """Send the reminders due now; the caller commits. Returns how many invoices were
    reminded."""
    steps = tuple(current_app.config.get("INVOICE_REMINDER_DAYS", DEFAULT_STEPS))
    today = now.date()
    candidates = list(db.session.scalars(select(Invoice).where(
        Invoice.kind == InvoiceKind.INVOICE, Invoice.due_on < today)
        .order_by(Invoice.id)))
    rows = [r for r in rows_for(candidates, today) if r.status == InvoiceStatus.OVERDUE]
    if not rows:
        return 0
    sent = set(db.session.execute(select(InvoiceReminder.invoice_id, InvoiceReminder.step).where(
        InvoiceReminder.invoice_id.in_([r.invoice.id for r in rows]))).all())
    reminded = 0
    for row in rows:
        step = step_reached((today - row.invoice.due_on).days, steps)
        if step == 0 or (row.invoice.id, step) in sent:
            continue
        db.session.add(InvoiceReminder(invoice_id=row.invoice.id, step=step, sent_at=now))
        invoice_overdue(row.invoice, row.outstanding_cents, step)
        reminded += 1
    return reminded
