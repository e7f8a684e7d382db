"""Products, categories, warehouses and stock, and who may see what."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false, true

from portal.extensions import db
from portal.models.base import UTCDateTime, str_enum, trigram_index, utcnow


class TaxClass(StrEnum):
    """A product's VAT class; its rate depends on the storefront's country (the table lives in
    services/selling/tax.py)."""

    STANDARD = "standard"
    INTERMEDIATE = "intermediate"
    REDUCED = "reduced"
    SUPER_REDUCED = "super_reduced"
    EXEMPT = "exempt"


class Category(db.Model):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Category | None] = relationship(remote_side=[id])

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fr


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("case_pack >= 1", name="case_pack_positive"),
        CheckConstraint("order_multiple >= 1", name="order_multiple_positive"),
        Index("ix_products_category_active", "category_id", "active"),
        trigram_index("ix_products_search_trgm", "search_text"),
        # Quick order's "did you mean": SKUs sharing a half of an unknown code ('%00000').
        trigram_index("ix_products_sku_trgm", "sku"),
        # The few products with a service interval, found without reading the catalogue
        # (the home's "to replace" card asks on every visit).
        Index("ix_products_service_interval", "id",
              postgresql_where=text("service_interval_months IS NOT NULL"),
              sqlite_where=text("service_interval_months IS NOT NULL")),
        # The few discontinued products (2 % of the catalogue), which the same card crosses
        # with what the buyer bought.
        Index("ix_products_discontinued", "id", postgresql_where=text("discontinued"),
              sqlite_where=text("discontinued = 1")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    gtin: Mapped[str | None] = mapped_column(String(14), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    brand: Mapped[str] = mapped_column(String(80), default="", index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    # Unit of measure code: "each", "kg", "m", "l", "m2", "bag", "roll" ...
    uom: Mapped[str] = mapped_column(String(12), default="each")
    case_pack: Mapped[int] = mapped_column(Integer, default=1)
    # What a case physically is ("bag of 25", "pallet of 40"); see services/catalog/packs.py.
    pack_kind: Mapped[str] = mapped_column(String(12), default="case", server_default="case")
    # The step a quantity moves by: 1 (sold by the unit), half a case, or a full case.
    order_multiple: Mapped[int] = mapped_column(Integer, default=1)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=2)
    # "Replace every N months" (a filter, a blade): suggested again to a buyer who bought it
    # once, when the time has come (services/ordering/service_due.py). None: no interval.
    service_interval_months: Mapped[int | None] = mapped_column(Integer)
    discontinued: Mapped[bool] = mapped_column(Boolean, default=False)
    replacement_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    tax_class: Mapped[TaxClass] = mapped_column(
        str_enum(TaxClass, "tax_class"), default=TaxClass.STANDARD, server_default="standard")
    # Lower-cased, accent-free "sku gtin name brand description" in both languages,
    # kept by services.catalog for the LIKE/trigram fallback of search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship()
    replacement: Mapped[Product | None] = relationship(remote_side=[id])
    stock: Mapped[list[Stock]] = relationship(back_populates="product")

    def __init__(self, **kw):
        kw.setdefault("case_pack", 1)
        kw.setdefault("pack_kind", "case")
        kw.setdefault("order_multiple", kw["case_pack"])
        kw.setdefault("lead_time_days", 2)
        kw.setdefault("discontinued", False)
        kw.setdefault("active", True)
        kw.setdefault("uom", "each")
        kw.setdefault("tax_class", TaxClass.STANDARD)
        super().__init__(**kw)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fr

    def description(self, lang: str) -> str:
        return self.description_en if lang == "en" else self.description_fr


class Warehouse(db.Model):
    """A place stock is held and shipped from, with its calendar: orders placed before the
    cut-off (minutes after local midnight, the seller's timezone) leave the same working day
    (ISO weekday digits, "12345" = Monday to Friday; French public holidays closed when
    `public_holidays` is off-work). See services/delivery/dates.py."""

    __tablename__ = "warehouses"
    __table_args__ = (
        CheckConstraint("cutoff_minutes >= 0 AND cutoff_minutes < 1440", name="cutoff_in_day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(120), default="")
    cutoff_minutes: Mapped[int] = mapped_column(Integer, default=840, server_default="840")
    working_days: Mapped[str] = mapped_column(String(7), default="12345",
                                              server_default="12345")
    holidays_closed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # A branch where consumers collect their orders (click-and-collect), and its opening
    # hours as the seller writes them ("lun.-ven. 7 h-12 h, 13 h 30-17 h").
    collection_point: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    opening_hours: Mapped[str] = mapped_column(Text, default="", server_default="")


class DeliveryZone(db.Model):
    """A part of a warehouse's area that is farther away: `transit_days` working days more on
    the road (0: delivered the next working day, as the warehouse's own area), its own order
    cut-off (minutes after local midnight; None: the warehouse's) and the weekdays a truck goes
    there (ISO digits, "24" = Tuesday and Thursday; None: every working day). A jobsite is put
    in a zone (units.zone_id); see services/delivery/dates.py."""

    __tablename__ = "delivery_zones"
    __table_args__ = (
        CheckConstraint("transit_days >= 0 AND transit_days <= 30", name="transit_in_range"),
        CheckConstraint("cutoff_minutes IS NULL OR (cutoff_minutes >= 0 AND "
                        "cutoff_minutes < 1440)", name="zone_cutoff_in_day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"),
                                              index=True)
    name: Mapped[str] = mapped_column(String(80))
    transit_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cutoff_minutes: Mapped[int | None] = mapped_column(Integer)
    delivery_days: Mapped[str | None] = mapped_column(String(7))


class Stock(db.Model):
    __tablename__ = "stock"
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    __table_args__ = (CheckConstraint("reserved >= 0", name="reserved_not_negative"),)
    quantity: Mapped[int] = mapped_column(Integer, default=0)  # on hand
    # Promised to placed orders not shipped yet (services/delivery/stock.py keeps it): available
    # to promise is quantity - reserved, and a reservation never takes more than is on hand.
    reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    product: Mapped[Product] = relationship(back_populates="stock")
    warehouse: Mapped[Warehouse] = relationship()


class ProductSubstitute(db.Model):
    """The seller's substitutes for a product, in order of preference: offered to a buyer
    when the product cannot be delivered in time (only those the buyer may see and order)."""

    __tablename__ = "product_substitutes"
    __table_args__ = (
        CheckConstraint("product_id <> substitute_id", name="not_itself"),
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"),
                                            primary_key=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"),
                                               primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class VisibilityRule(db.Model):
    """An allow-list entry: when a company (or else its group) has any, it sees only those.

    Exactly one of customer_group_id / company_id is set, and one of category_id / product_id.
    A category entry covers its sub-categories.
    """

    __tablename__ = "visibility_rules"
    __table_args__ = (
        CheckConstraint(
            "(customer_group_id IS NULL) <> (company_id IS NULL)", name="one_audience"
        ),
        CheckConstraint("(category_id IS NULL) <> (product_id IS NULL)", name="one_target"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_groups.id"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    # Set: the entry is the company's choice for its people on that storefront only (a
    # contractor's crew on its employee store); None: for the company's own storefront.
    storefront_id: Mapped[int | None] = mapped_column(ForeignKey("storefronts.id"))
