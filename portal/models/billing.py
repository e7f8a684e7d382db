"""Billing: who pays for a company (billing profile), invoices and credit notes with their
frozen lines, the yearly number counters, payments and overdue reminders sent.

An invoice row and its lines are written once, when goods ship, and never changed: what is
paid is read from its payments, a correction is a credit note (another invoice row whose
`credits_id` names the invoice it corrects).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import Company, User
from portal.models.base import UTCDateTime, str_enum, utcnow
from portal.models.orders import Order, TaxScheme


class InvoiceKind(StrEnum):
    INVOICE = "invoice"  # UNTDID 1001 code 380
    CREDIT_NOTE = "credit_note"  # code 381


class BillingProfile(db.Model):
    """Who receives a company's invoices and reminders, and the address printed on them."""

    __tablename__ = "billing_profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), unique=True)
    # A user of the company (any role: often a viewer from accounting); none: the admins.
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(160), default="")
    line1: Mapped[str] = mapped_column(String(200), default="")
    line2: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="FR")
    # A public-sector buyer invoiced through Chorus Pro: its service code goes on every
    # invoice (BT-10) and each order needs its legal commitment number (the PO number).
    public_sector: Mapped[bool] = mapped_column(Boolean, default=False)
    service_code: Mapped[str] = mapped_column(String(100), default="")

    company: Mapped[Company] = relationship()
    contact: Mapped[User | None] = relationship()


class InvoiceCounter(db.Model):
    """The last number used per series and year; its row is locked FOR UPDATE while a number
    is taken, so two shipments at once get two consecutive numbers, never one twice."""

    __tablename__ = "invoice_counters"
    series: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(db.Model):
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("series", "year", "sequence", name="uq_invoices_sequence"),
        Index("ix_invoices_company_issued", "company_id", "issued_on"),
        CheckConstraint("total_cents >= 0", name="invoice_total_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    series: Mapped[str] = mapped_column(String(4))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[InvoiceKind] = mapped_column(str_enum(InvoiceKind, "invoice_kind"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    # A credit note: the invoice it corrects.
    credits_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    tax_scheme: Mapped[TaxScheme] = mapped_column(str_enum(TaxScheme, "tax_scheme"))
    subtotal_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    # The buyer as invoiced, frozen: a later change of name or address leaves it as sent.
    buyer_name: Mapped[str] = mapped_column(String(160))
    buyer_address: Mapped[str] = mapped_column(Text, default="")
    buyer_postal_code: Mapped[str] = mapped_column(String(20), default="")
    buyer_city: Mapped[str] = mapped_column(String(120), default="")
    buyer_country: Mapped[str] = mapped_column(String(2), default="FR")
    buyer_legal_id: Mapped[str] = mapped_column(String(40), default="")
    order_number: Mapped[str] = mapped_column(String(20))
    po_number: Mapped[str] = mapped_column(String(40), default="")
    # Chorus Pro's service code of a public-sector buyer, frozen (empty otherwise).
    buyer_reference: Mapped[str] = mapped_column(String(100), default="")
    prepaid: Mapped[bool] = mapped_column(Boolean, default=False)

    company: Mapped[Company] = relationship()
    order: Mapped[Order] = relationship()
    credits: Mapped[Invoice | None] = relationship(remote_side=[id])
    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.position", cascade="all, delete-orphan")
    payments: Mapped[list[InvoicePayment]] = relationship(
        back_populates="invoice", order_by="InvoicePayment.id")


class InvoiceLine(db.Model):
    __tablename__ = "invoice_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="invoice_quantity_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"))
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    line_total_cents: Mapped[int] = mapped_column(Integer)
    tax_rate_bp: Mapped[int] = mapped_column(Integer)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class InvoicePayment(db.Model):
    """Money received against one invoice (a transfer recorded by staff, or the prepayment)."""

    __tablename__ = "invoice_payments"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="payment_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(80), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invoice: Mapped[Invoice] = relationship(back_populates="payments")


class InvoiceReminder(db.Model):
    """One overdue reminder sent: at most one per invoice and step (unique)."""

    __tablename__ = "invoice_reminders"
    __table_args__ = (UniqueConstraint("invoice_id", "step", name="uq_invoice_reminder_step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    step: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
