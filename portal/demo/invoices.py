"""The demo's invoices: Durand Bâtiment's accountant, Hélène Vidal (compta@demo.test, a viewer
of the company), is its billing contact; every shipment of its last 75 days has its invoice
(issued when it shipped, by the same service as a real shipment, without the e-mails);
invoices whose due date has passed are paid, except the latest of them, left overdue; one
invoice not yet due is partly paid. So the statement is alive whatever the date of seeding.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    BillingProfile,
    Company,
    InvoicePayment,
    Order,
    Role,
    Shipment,
    User,
)
from portal.services import billing

ACCOUNTANT_EMAIL = "compta@demo.test"
WINDOW_DAYS = 75


def seed_invoices(now: datetime, password_hash: str) -> int:
    """Write the demo's billing contact, invoices and payments; returns the invoices made."""
    company = db.session.scalar(select(Company).where(Company.name == "Durand Bâtiment"))
    if company is None:
        return 0
    accountant = User(email=ACCOUNTANT_EMAIL, name="Hélène Vidal", company_id=company.id,
                      role=Role.VIEWER, language="fr", phone="04 78 62 41 15",
                      password_hash=password_hash)
    db.session.add(accountant)
    db.session.flush()
    db.session.add(BillingProfile(company_id=company.id, contact_id=accountant.id,
                                  name="Durand Bâtiment — Comptabilité",
                                  line1="24 rue Marius Berliet", line2="Service comptabilité",
                                  postal_code="69008", city="Lyon", country="FR"))
    shipments = db.session.scalars(
        select(Shipment).join(Order).options(selectinload(Shipment.lines))
        .where(Order.company_id == company.id,
               Shipment.shipped_at >= now - timedelta(days=WINDOW_DAYS))
        .order_by(Shipment.shipped_at, Shipment.id)).all()
    invoices = []
    for shipment in shipments:
        order = shipment.order
        lines = {line.id: line for line in order.lines}
        shipped = [(lines[s.order_line_id], s.quantity) for s in shipment.lines]
        invoice = billing.invoice_shipment(order, shipped, shipment, shipment.shipped_at,
                                           notify=False)
        if invoice is not None:
            invoices.append(invoice)
    due = [i for i in invoices if i.due_on < now.date() and not i.prepaid]
    for invoice in due[:-1]:
        _paid(invoice, invoice.total_cents, invoice.due_on - timedelta(days=2))
    upcoming = [i for i in invoices if i.due_on >= now.date() and not i.prepaid]
    if upcoming:
        _paid(upcoming[0], upcoming[0].total_cents // 2, now.date())
    db.session.flush()
    return len(invoices)


def _paid(invoice, cents: int, on) -> None:
    db.session.add(InvoicePayment(invoice_id=invoice.id, company_id=invoice.company_id,
                                  amount_cents=cents, received_on=on,
                                  reference=f"VIR DURAND {invoice.number}",
                                  recorded_at=datetime.combine(on, datetime.min.time(),
                                                               invoice.issued_at.tzinfo)))
