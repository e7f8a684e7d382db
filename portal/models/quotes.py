"""Quotes: a buyer's request for prices, the seller's answers in versions, and the thread.

Version 0 holds what was asked (the buyer's lines, with an optional target price each);
every answer the seller sends is the next version, with a quoted unit price on each line, so
the buyer can compare one round with the one before. The order made when the buyer accepts
points back at its quote (`orders.quote_id`, unique: one quote, at most one order).
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
from portal.models.accounts import Company, Unit, User
from portal.models.base import UTCDateTime, str_enum, utcnow
from portal.models.catalog import Product
from portal.models.orders import Order


class QuoteStatus(StrEnum):
    REQUESTED = "requested"  # waits for the seller's answer (a first one, or a renewal)
    SENT = "sent"  # answered: the buyer may accept until its validity date
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class Quote(db.Model):
    __tablename__ = "quotes"
    __table_args__ = (
        Index("ix_quotes_company_status", "company_id", "status"),
        # The sales queue: open requests, oldest first.
        Index("ix_quotes_status_updated", "status", "updated_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    # The buyer the quote is for (who asked, or whom staff started it for).
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Staff who started it after a phone call; None when the buyer asked.
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The customer's assigned rep when the request came in; None: any sales staff.
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[QuoteStatus] = mapped_column(str_enum(QuoteStatus, "quote_status"))
    jobsite_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    needed_by: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # The version the buyer sees now (0 until the seller answers).
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    valid_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    company: Mapped[Company] = relationship()
    buyer: Mapped[User] = relationship(foreign_keys=[buyer_id])
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    rep: Mapped[User | None] = relationship(foreign_keys=[rep_id])
    jobsite: Mapped[Unit | None] = relationship()
    versions: Mapped[list[QuoteVersion]] = relationship(
        back_populates="quote", order_by="QuoteVersion.number", cascade="all, delete-orphan")
    messages: Mapped[list[QuoteMessage]] = relationship(
        back_populates="quote", order_by="QuoteMessage.id", cascade="all, delete-orphan")
    order: Mapped[Order | None] = relationship(back_populates="quote", uselist=False)


class QuoteVersion(db.Model):
    """One round: 0 is the request, 1.. the seller's answers."""

    __tablename__ = "quote_versions"
    __table_args__ = (UniqueConstraint("quote_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    valid_until: Mapped[date | None] = mapped_column(Date)
    delivery_terms: Mapped[str] = mapped_column(String(300), default="")
    # The rep's "make these contract prices for this customer until": accepting this version
    # writes the accepted lines' prices as ContractPrice rows until this day.
    contract_until: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")

    quote: Mapped[Quote] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
    lines: Mapped[list[QuoteLine]] = relationship(
        back_populates="version", order_by="QuoteLine.position", cascade="all, delete-orphan")


class QuoteLine(db.Model):
    __tablename__ = "quote_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_cents IS NULL OR unit_price_cents > 0",
                        name="price_positive"),
        Index("ix_quote_lines_version", "version_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("quote_versions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    target_price_cents: Mapped[int | None] = mapped_column(Integer)
    # The customer's own price when quoted (None: price on request), then the quoted one.
    list_price_cents: Mapped[int | None] = mapped_column(Integer)
    unit_price_cents: Mapped[int | None] = mapped_column(Integer)
    discount_bp: Mapped[int | None] = mapped_column(Integer)
    # The product the buyer asked for, when the seller offers another one instead.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    note: Mapped[str] = mapped_column(String(300), default="")

    version: Mapped[QuoteVersion] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(foreign_keys=[product_id])
    replaces: Mapped[Product | None] = relationship(foreign_keys=[replaces_id])


class QuoteMessage(db.Model):
    __tablename__ = "quote_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"),
                                          index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Written by the seller's staff (True) or by the customer.
    from_seller: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A photo or a PDF sent with the message (a plan, a spec sheet): its key in
    # services/storage (private kind "quote-attachment") and the name it was sent under.
    attachment_key: Mapped[str | None] = mapped_column(String(120))
    attachment_name: Mapped[str | None] = mapped_column(String(120))

    quote: Mapped[Quote] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()
