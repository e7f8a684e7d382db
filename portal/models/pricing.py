"""Price lists and their quantity tiers, time-limited promotions, and the contract prices an
accepted quote gives one customer. Money is integer cents; dates are inclusive local days."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class PriceList(db.Model):
    """A base list (is_base), a customer group's list, or one company's contract list."""

    __tablename__ = "price_lists"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    is_base: Mapped[bool] = mapped_column(Boolean, default=False)
    # Outside these days (either end open) the list does not apply: the chain falls through to
    # the next list (services/selling/rules.py `in_force`).
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)


class PriceTier(db.Model):
    """Unit price from min_qty units upward (1, half case, full case, volume)."""

    __tablename__ = "price_tiers"
    __table_args__ = (
        UniqueConstraint("price_list_id", "product_id", "min_qty"),
        CheckConstraint("min_qty >= 1", name="min_qty_positive"),
        CheckConstraint("unit_price_cents >= 0", name="price_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    price_list_id: Mapped[int] = mapped_column(ForeignKey("price_lists.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    min_qty: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)

    price_list: Mapped[PriceList] = relationship()


class Promotion(db.Model):
    """A product's price, or a share off its price, for a period, for one customer group or
    everyone (`customer_group_id` None). Buyers pay the better of it and their usual price."""

    __tablename__ = "promotions"
    __table_args__ = (
        CheckConstraint("(unit_price_cents IS NULL) <> (percent_off_bp IS NULL)",
                        name="price_or_percent"),
        CheckConstraint("unit_price_cents IS NULL OR unit_price_cents >= 0",
                        name="price_not_negative"),
        CheckConstraint("percent_off_bp IS NULL OR (percent_off_bp > 0 AND "
                        "percent_off_bp < 10000)", name="percent_in_range"),
        CheckConstraint("starts_on <= ends_on", name="dates_in_order"),
        Index("ix_promotions_product_ends", "product_id", "ends_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    customer_group_id: Mapped[int | None] = mapped_column(ForeignKey("customer_groups.id"))
    unit_price_cents: Mapped[int | None] = mapped_column(Integer)
    percent_off_bp: Mapped[int | None] = mapped_column(Integer)  # 1500 = 15 %
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product = relationship("Product")
    customer_group = relationship("CustomerGroup")


class ContractPrice(db.Model):
    """One company's negotiated unit price for a product until `valid_until`, made when its
    buyer accepted a quote whose rep said so. It replaces the list's tiers for that company."""

    __tablename__ = "contract_prices"
    __table_args__ = (
        UniqueConstraint("company_id", "product_id", name="uq_contract_prices_company_product"),
        CheckConstraint("unit_price_cents >= 0", name="price_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[date] = mapped_column(Date)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product = relationship("Product")
