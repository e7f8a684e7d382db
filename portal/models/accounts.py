"""Customer companies, their unit tree and jobsites, addresses, users and seller staff."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, str_enum, utcnow
from portal.models.storefronts import storefront_column, storefront_key


class CompanyStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REJECTED = "rejected"


class PaymentTerms(StrEnum):
    PREPAY = "prepay"
    NET30 = "net30"
    NET60 = "net60"
    NET90 = "net90"


class Role(StrEnum):
    # Customer roles
    COMPANY_ADMIN = "company_admin"
    APPROVER = "approver"
    BUYER = "buyer"
    VIEWER = "viewer"
    # Seller staff roles
    STAFF_ADMIN = "staff_admin"
    SALES_REP = "sales_rep"
    FULFILMENT = "fulfilment"


CUSTOMER_ROLES = (Role.COMPANY_ADMIN, Role.APPROVER, Role.BUYER, Role.VIEWER)
STAFF_ROLES = (Role.STAFF_ADMIN, Role.SALES_REP, Role.FULFILMENT)


class UnitKind(StrEnum):
    DIVISION = "division"
    BRANCH = "branch"
    JOBSITE = "jobsite"


class CustomerGroup(db.Model):
    __tablename__ = "customer_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    price_list_id: Mapped[int | None] = mapped_column(ForeignKey("price_lists.id"))


class Company(db.Model):
    __tablename__ = "companies"
    __table_args__ = (storefront_key("companies"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    legal_id: Mapped[str] = mapped_column(String(40), default="")  # VAT or SIRET
    # Where the company is established for VAT (ISO 3166 alpha-2): with `legal_id`, it decides
    # domestic VAT, reverse charge or export (services/selling/tax.py).
    country: Mapped[str] = mapped_column(String(2), default="FR", server_default="FR")
    trade: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[CompanyStatus] = mapped_column(
        str_enum(CompanyStatus, "company_status"), index=True
    )
    customer_group_id: Mapped[int | None] = mapped_column(ForeignKey("customer_groups.id"))
    # Contract price list of this company alone; wins over the group's list.
    price_list_id: Mapped[int | None] = mapped_column(ForeignKey("price_lists.id"))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    language: Mapped[str] = mapped_column(String(5), default="fr")
    payment_terms: Mapped[PaymentTerms] = mapped_column(
        str_enum(PaymentTerms, "payment_terms"), default=PaymentTerms.NET30
    )
    credit_limit_cents: Mapped[int | None] = mapped_column(Integer)
    po_required: Mapped[bool] = mapped_column(Boolean, default=False)
    # What checkout proposes as the PO number (services/ordering/po_rule.py): "ask" (nothing),
    # "reuse" (the repeated order's, else the buyer's last) or "generate" (date and count).
    po_rule: Mapped[str] = mapped_column(String(10), default="ask", server_default="ask")
    phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The CRM's or ERP's own id of this customer (the API upserts by it); unique overall.
    external_ref: Mapped[str | None] = mapped_column(String(80), unique=True)
    # The warehouse that serves this customer first (a jobsite may name its own); others
    # complete what it lacks. None: the seller's first warehouse.
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    # The storefront its people sign in on (models/storefronts.py; 1 = the trade portal).
    storefront_id: Mapped[int] = storefront_column()

    group: Mapped[CustomerGroup | None] = relationship()
    units: Mapped[list[Unit]] = relationship(back_populates="company", order_by="Unit.id")
    addresses: Mapped[list[Address]] = relationship(
        back_populates="company", foreign_keys="Address.company_id", order_by="Address.id"
    )

    def __init__(self, **kw):
        kw.setdefault("status", CompanyStatus.PENDING)
        kw.setdefault("currency", "EUR")
        kw.setdefault("language", "fr")
        kw.setdefault("payment_terms", PaymentTerms.NET30)
        kw.setdefault("po_required", False)
        kw.setdefault("po_rule", "ask")
        kw.setdefault("country", "FR")
        super().__init__(**kw)

    @property
    def is_active(self) -> bool:
        return self.status == CompanyStatus.ACTIVE


class Address(db.Model):
    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), default="FR")
    is_billing: Mapped[bool] = mapped_column(Boolean, default=False)

    company: Mapped[Company] = relationship(back_populates="addresses", foreign_keys=[company_id])

    def one_line(self) -> str:
        parts = [self.line1, self.line2, f"{self.postal_code} {self.city}"]
        return ", ".join(p for p in parts if p)


class Unit(db.Model):
    """A division, branch or jobsite of a company; jobsites are places goods are delivered to."""

    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("company_id", "external_ref", name="uq_units_external_ref"),
        # Made on PostgreSQL only: SQLite adds the column without copying the table.
        ForeignKeyConstraint(["zone_id"], ["delivery_zones.id"], ondelete="SET NULL",
                             name="fk_units_zone_id_delivery_zones").ddl_if(
                                 dialect="postgresql"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[UnitKind] = mapped_column(str_enum(UnitKind, "unit_kind"))
    name: Mapped[str] = mapped_column(String(160))
    budget_cents: Mapped[int | None] = mapped_column(Integer)  # monthly, optional
    address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))
    # Jobsite details
    project_code: Mapped[str] = mapped_column(String(40), default="")
    site_contact_name: Mapped[str] = mapped_column(String(120), default="")
    site_contact_phone: Mapped[str] = mapped_column(String(40), default="")
    delivery_window: Mapped[str] = mapped_column(String(120), default="")
    delivery_notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # The ERP's or CRM's own id of this unit or jobsite, unique within the company.
    external_ref: Mapped[str | None] = mapped_column(String(80))
    # A jobsite served by another warehouse than its company's (None: the company's).
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    # A jobsite in a farther delivery zone of its warehouse (None: the warehouse's own area).
    zone_id: Mapped[int | None] = mapped_column(Integer)

    company: Mapped[Company] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id])
    address: Mapped[Address | None] = relationship()


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("company_id", "external_ref", name="uq_users_external_ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    # None for seller staff.
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    # Signs in on this storefront instead of the company's (a crew member on the company's
    # employee store); None: the company's.
    storefront_id: Mapped[int | None] = mapped_column(ForeignKey("storefronts.id"))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    order_limit_cents: Mapped[int | None] = mapped_column(Integer)
    monthly_budget_cents: Mapped[int | None] = mapped_column(Integer)
    # A crew member's yearly allowance (calendar year, the seller's time zone): an order
    # beyond what is left of it waits for their site manager (services/approvals/allowance).
    yearly_allowance_cents: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(5))
    phone: Mapped[str] = mapped_column(String(40), default="")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped on sign-out, password change and disabling: every older session ends.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_jobsite_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The CRM's own id of this person, unique within the company (the API upserts by it).
    external_ref: Mapped[str | None] = mapped_column(String(80))
    # The weekly "due to reorder" e-mail (services/ordering/digest.py): asked for, and the
    # Monday of the last week it was considered (sent, or nothing was due).
    due_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    due_digest_week: Mapped[date | None] = mapped_column(Date)

    company: Mapped[Company | None] = relationship()
    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    last_jobsite: Mapped[Unit | None] = relationship(foreign_keys=[last_jobsite_id])

    def __init__(self, **kw):
        kw.setdefault("session_version", 1)
        kw.setdefault("disabled", False)
        kw.setdefault("password_hash", "")
        kw["email"] = kw["email"].strip().lower()
        super().__init__(**kw)

    # Flask-Login protocol: the session id carries the version, so bumping it logs out.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return not self.disabled

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


class RepAssignment(db.Model):
    """Which customers a sales rep looks after."""

    __tablename__ = "rep_assignments"
    __table_args__ = (UniqueConstraint("rep_id", "company_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)


class TokenPurpose(StrEnum):
    RESET = "reset"
    INVITE = "invite"


class UserToken(db.Model):
    """Single-use password reset / invitation token; only its hash is stored."""

    __tablename__ = "user_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
