"""Orders with lines frozen at order time, their status history and shipments."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false

from portal.extensions import db
from portal.models.accounts import Company, PaymentTerms, Unit, User
from portal.models.base import UTCDateTime, str_enum, trigram_index, utcnow
from portal.models.catalog import Product, Warehouse
from portal.models.storefronts import storefront_column, storefront_key

if TYPE_CHECKING:
    from portal.models.content import TermsVersion
    from portal.models.contracts import FrameworkContract
    from portal.models.quotes import Quote


class OrderStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    REJECTED = "rejected"
    # On account over the company's credit limit: waits for the seller's credit check
    # (services/credit) instead of going to the warehouse.
    CREDIT_HOLD = "credit_hold"
    # On prepayment terms: waits for its bank transfer (services/credit/payment.py).
    AWAITING_PAYMENT = "awaiting_payment"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class TaxScheme(StrEnum):
    """How an order is taxed, frozen when placed (services/selling/tax.py decides)."""

    DOMESTIC = "domestic"  # the storefront's rates, per product tax class
    REVERSE_CHARGE = "reverse_charge"  # intra-EU business with a valid VAT number: no VAT
    EXPORT = "export"  # outside the EU: no VAT


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_company_placed", "company_id", "placed_at"),
        Index("ix_orders_company_status", "company_id", "status"),
        Index("ix_orders_placed_by", "placed_by_id", "placed_at"),
        # The fulfilment queue: open orders, oldest first, across all companies.
        Index("ix_orders_status_placed", "status", "placed_at"),
        Index("ix_orders_storefront_placed", "storefront_id", "placed_at"),
        storefront_key("orders"),
        trigram_index("ix_orders_search_trgm", "search_text"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    # Where it was placed (the company's storefront then); back-office lists filter by it.
    storefront_id: Mapped[int] = storefront_column()
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    jobsite_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # The delivery address as it was when ordered.
    ship_to: Mapped[str] = mapped_column(Text, default="")
    site_contact: Mapped[str] = mapped_column(String(200), default="")
    delivery_window: Mapped[str] = mapped_column(String(120), default="")
    delivery_notes: Mapped[str] = mapped_column(Text, default="")
    # The value before a change is loaded when it changes (active_history): what each buyer
    # bought is recomputed for the buyer it leaves too (services/ordering/bought.py).
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), active_history=True)
    on_behalf_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    po_number: Mapped[str] = mapped_column(String(40), default="", index=True)
    # A public buyer's service code (Chorus Pro's BT-10), typed at checkout ("" elsewhere);
    # their legal commitment number is the PO number (BT-13).
    service_code: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # The framework contract it was ordered under (its ceiling counts it); None elsewhere.
    framework_contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework_contracts.id"), index=True)
    requested_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    payment_terms: Mapped[PaymentTerms] = mapped_column(str_enum(PaymentTerms, "payment_terms"))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    subtotal_cents: Mapped[int] = mapped_column(Integer, default=0)
    tax_cents: Mapped[int] = mapped_column(Integer, default=0)
    tax_scheme: Mapped[TaxScheme] = mapped_column(
        str_enum(TaxScheme, "tax_scheme"), default=TaxScheme.DOMESTIC, server_default="domestic")
    total_cents: Mapped[int] = mapped_column(Integer, default=0)
    # Loaded before it changes (active_history): what the buyer bought moves only when the
    # status enters or leaves rejected and cancelled (services/ordering/bought.py).
    status: Mapped[OrderStatus] = mapped_column(str_enum(OrderStatus, "order_status"),
                                                active_history=True)
    # Bumped whenever lines change: approvals are bound to one version of the content.
    content_version: Mapped[int] = mapped_column(Integer, default=1)
    # Single-use token of the checkout form: a replayed submit finds the order already placed.
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Order-history search looks here (see services/orders/search.py).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The quote this order accepted (unique: one quote makes one order at most).
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"), unique=True)
    # The terms of sale the buyer accepted when placing it (none published then: empty).
    terms_version_id: Mapped[int | None] = mapped_column(ForeignKey("terms_versions.id"))
    # Click-and-collect: the branch the buyer collects it at (None: delivered), and whether it
    # is paid there, at the counter, rather than by transfer before it is prepared.
    collect_warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    pay_at_collection: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default=false())

    company: Mapped[Company] = relationship()
    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    jobsite: Mapped[Unit | None] = relationship(foreign_keys=[jobsite_id])
    placed_by: Mapped[User] = relationship(foreign_keys=[placed_by_id])
    on_behalf_by: Mapped[User | None] = relationship(foreign_keys=[on_behalf_by_id])
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.position", cascade="all, delete-orphan"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id", cascade="all, delete-orphan"
    )
    shipments: Mapped[list[Shipment]] = relationship(
        back_populates="order", order_by="Shipment.id", cascade="all, delete-orphan"
    )
    quote: Mapped[Quote | None] = relationship(back_populates="order")
    terms_version: Mapped[TermsVersion | None] = relationship()
    framework_contract: Mapped[FrameworkContract | None] = relationship()
    collect_warehouse: Mapped[Warehouse | None] = relationship()


class OrderLine(db.Model):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        Index("ix_order_lines_order", "order_id"),
        Index("ix_order_lines_product", "product_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # Loaded before they change (active_history), like Order.placed_by_id: what each buyer
    # bought is recomputed for the product or order a line leaves too.
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          active_history=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), active_history=True)
    # Frozen at order time: what was bought, at which price.
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    # The English name frozen alongside (`name` holds the French one): each reader sees the
    # line in their language (see services/orders/line_names.py).
    name_en: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    line_total_cents: Mapped[int] = mapped_column(Integer)
    # The VAT rate of this line when ordered, in basis points (550 = 5.5 %): a later change of
    # the product's tax class or of the law does not touch a placed order.
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=2000, server_default="2000")
    note: Mapped[str] = mapped_column(String(500), default="")
    shipped_qty: Mapped[int] = mapped_column(Integer, default=0)
    backordered_qty: Mapped[int] = mapped_column(Integer, default=0)
    backorder_date: Mapped[date | None] = mapped_column(Date)
    # The delivery date promised when placed for the units reserved in stock (the rest, if
    # any, is `backordered_qty` on `backorder_date`): services/delivery.
    promised_date: Mapped[date | None] = mapped_column(Date)
    # The buyer asked for this product and no other: the warehouse must not substitute it.
    no_substitute: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()


class OrderEvent(db.Model):
    """One entry of an order's timeline: a status change, a decision, a trim, a note."""

    __tablename__ = "order_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))  # status, approval, trim, shipment, note
    status: Mapped[OrderStatus | None] = mapped_column(str_enum(OrderStatus, "order_status"))
    # What happened, as a code and its parameters, put into words in the reader's language
    # (services/orders/events.py). Rows written before codes existed keep their text in
    # `message`, shown as it was.
    code: Mapped[str | None] = mapped_column(String(40))
    params: Mapped[dict | None] = mapped_column(JSON)
    message: Mapped[str] = mapped_column(Text, default="")

    order: Mapped[Order] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Shipment(db.Model):
    __tablename__ = "shipments"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    carrier: Mapped[str] = mapped_column(String(80), default="")
    tracking_number: Mapped[str] = mapped_column(String(80), default="")
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Proof of delivery (services/fulfilment/proof.py): when it was handed over, to whom, and
    # a photo (a private stored file of kind "delivery-proof"). None: not delivered yet.
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    proof_key: Mapped[str | None] = mapped_column(String(200))

    order: Mapped[Order] = relationship(back_populates="shipments")
    warehouse: Mapped[Warehouse | None] = relationship()
    lines: Mapped[list[ShipmentLine]] = relationship(cascade="all, delete-orphan")


class ShipmentLine(db.Model):
    __tablename__ = "shipment_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(
        ForeignKey("shipments.id", ondelete="CASCADE"), index=True
    )
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    quantity: Mapped[int] = mapped_column(Integer)

    order_line: Mapped[OrderLine] = relationship()


class StockReservation(db.Model):
    """Units of one warehouse's stock held for one order line, from placing until they ship
    (consumed) or the order is cancelled or rejected (released): services/delivery/stock.py."""

    __tablename__ = "stock_reservations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_stock_reservations_line", "order_line_id"),
        Index("ix_stock_reservations_stock", "product_id", "warehouse_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    quantity: Mapped[int] = mapped_column(Integer)


class BoughtProduct(db.Model):
    """What one buyer has bought of one product, over the orders that count (placed by them,
    not rejected or cancelled): what the home's "due to reorder" and "to replace" cards read
    instead of the buyer's order lines. Kept in step by services/ordering/bought.py."""

    __tablename__ = "bought_products"
    __table_args__ = (Index("ix_bought_products_user_last", "user_id", "last_at"),)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"),
                                            primary_key=True)
    # The latest order's moment and the quantity of its line (the largest, if it has two).
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_quantity: Mapped[int] = mapped_column(Integer)
    most: Mapped[int] = mapped_column(Integer)  # the largest line quantity ever ordered
    # Each UTC day it was ordered on in the last year, with that day's largest line quantity
    # (in no set order): "2026-11-02:12 2026-11-16:10".
    days: Mapped[str] = mapped_column(Text, default="")
