"""Price lists and their quantity tiers. Money is integer cents."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


class PriceList(db.Model):
    """A base list (is_base), a customer group's list, or one company's contract list."""

    __tablename__ = "price_lists"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    is_base: Mapped[bool] = mapped_column(Boolean, default=False)


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
