"""Framework contracts ("marché public", "accord-cadre") of a public-sector storefront.

A contract belongs to one customer company (a public body) of a storefront of kind `public`:
a reference, a title, a validity period (inclusive local days), a ceiling amount excl. VAT and
its catalog, one fixed unit price per product. During its validity it is the buyer's whole
assortment and price book (services/selling/framework.py); its orders (`orders.
framework_contract_id`) count against the ceiling (services/contracts).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow
from portal.models.catalog import Product


class FrameworkContract(db.Model):
    __tablename__ = "framework_contracts"
    __table_args__ = (
        UniqueConstraint("company_id", "reference", name="uq_framework_contract_reference"),
        CheckConstraint("ceiling_cents > 0", name="framework_ceiling_positive"),
        CheckConstraint("ends_on >= starts_on", name="framework_period_ordered"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    storefront_id: Mapped[int] = mapped_column(ForeignKey("storefronts.id"))
    reference: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    ceiling_cents: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list[FrameworkContractLine]] = relationship(
        back_populates="contract", order_by="FrameworkContractLine.id",
        cascade="all, delete-orphan")


class FrameworkContractLine(db.Model):
    """One product of the contract's catalog at its fixed unit price (cents, excl. VAT)."""

    __tablename__ = "framework_contract_lines"
    __table_args__ = (
        UniqueConstraint("contract_id", "product_id", name="uq_framework_line_product"),
        CheckConstraint("unit_price_cents > 0", name="framework_price_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("framework_contracts.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    unit_price_cents: Mapped[int] = mapped_column(Integer)

    contract: Mapped[FrameworkContract] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
