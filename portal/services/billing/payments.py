"""Payments against an invoice, recorded by the seller's staff or by an API client.

A payment is at most what is left to pay on the invoice (its total, less its credit notes and
the payments already recorded): more is refused with the amount left, nothing written. The
invoice row is locked while the payment is checked, so two staff typing the same transfer at
once cannot both pass. Each payment is audited.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.formatting import money
from portal.models import Invoice, InvoiceKind, InvoicePayment, Role
from portal.services import DomainError, NotAllowed, NotFound, accounts
from portal.services.billing.statements import rows_for

MAY_RECORD = (Role.STAFF_ADMIN,)


def may_record_payments(user) -> bool:
    return user is not None and user.role in MAY_RECORD


def record_payment(staff, invoice_id: int, amount_cents: int | None, received_on: date | None,
                   reference: str, now: datetime) -> InvoicePayment:
    if not may_record_payments(staff):
        raise NotAllowed()
    return _record(invoice_id, amount_cents, received_on, reference, now, actor=staff,
                   recorded_by_id=staff.id)


def record_client_payment(client, invoice_id: int, amount_cents: int | None,
                          received_on: date | None, reference: str,
                          now: datetime) -> InvoicePayment:
    """The same payment recorded by an API client (its scope checked by the API): no user
    recorded it, the audit row names the client."""
    return _record(invoice_id, amount_cents, received_on, reference, now, actor=None,
                   recorded_by_id=None,
                   who={"api_client": client.name, "api_client_id": client.id})


def _record(invoice_id: int, amount_cents: int | None, received_on: date | None,
            reference: str, now: datetime, *, actor, recorded_by_id: int | None,
            who: dict | None = None) -> InvoicePayment:
    invoice = db.session.scalars(select(Invoice).where(Invoice.id == invoice_id)
                                 .with_for_update()).one_or_none()
    if invoice is None or invoice.kind != InvoiceKind.INVOICE:
        raise NotFound()
    if amount_cents is None or amount_cents <= 0:
        raise DomainError(_("Enter the amount received, more than zero."), field="amount")
    [row] = rows_for([invoice], now.date())
    left = row.outstanding_cents
    if amount_cents > left:
        raise DomainError(
            _("This payment (%(amount)s) is more than what is left to pay on %(number)s: "
              "%(left)s. Nothing was recorded.", amount=money(amount_cents, invoice.currency),
              number=invoice.number, left=money(left, invoice.currency)), field="amount")
    received_on = received_on or now.date()
    if received_on > now.date():
        raise DomainError(_("The date received cannot be in the future."), field="received_on")
    reference = (reference or "").strip()
    if len(reference) > 80:
        raise DomainError(_("Keep the reference under 80 characters."), field="reference")
    payment = InvoicePayment(invoice_id=invoice.id, company_id=invoice.company_id,
                             amount_cents=amount_cents, received_on=received_on,
                             reference=reference, recorded_by_id=recorded_by_id, recorded_at=now)
    db.session.add(payment)
    accounts.record(actor, "invoice.payment", invoice,
                    {**(who or {}), "invoice": invoice.number, "amount_cents": amount_cents,
                     "received_on": received_on.isoformat(), "reference": reference,
                     "left_cents": left - amount_cents}, company_id=invoice.company_id)
    return payment
