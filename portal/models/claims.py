"""What a buyer reports after a delivery (short, damaged, wrong product) and how the seller
settled it: a replacement shipment or a credit (services/claims)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import UTCDateTime, str_enum
from portal.models.orders import Order, OrderLine, Shipment


class ClaimReason(StrEnum):
    SHORT = "short"
    DAMAGED = "damaged"
    WRONG = "wrong_product"


class ClaimStatus(StrEnum):
    OPEN = "open"
    RESHIPPED = "reshipped"
    CREDITED = "credited"


class Claim(db.Model):
    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        # The staff's queue: open claims, oldest first.
        Index("ix_claims_status_reported", "status", "reported_at"),
        Index("ix_claims_order", "order_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    reason: Mapped[ClaimReason] = mapped_column(str_enum(ClaimReason, "claim_reason"))
    quantity: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    # A private stored file (kind "delivery-proof"), served by the claim's own routes.
    photo_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[ClaimStatus] = mapped_column(str_enum(ClaimStatus, "claim_status"))
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reshipped: the replacement shipment. Credited: the credit note (when the portal issues
    # invoices), and the amount credited, excluding VAT, in the order's currency.
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    credit_cents: Mapped[int | None] = mapped_column(Integer)

    order: Mapped[Order] = relationship()
    line: Mapped[OrderLine] = relationship()
    reported_by: Mapped[User] = relationship(foreign_keys=[reported_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    shipment: Mapped[Shipment | None] = relationship()
