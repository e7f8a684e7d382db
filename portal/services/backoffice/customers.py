"""Customers as the seller's staff see them: who sees which, search, details, commercial terms.

Staff admins see every company; a sales rep only the companies assigned to them (any other
id behaves like a missing one); fulfilment does not manage customers. Only staff admins
change groups, price lists, terms, limits, status and catalog visibility, and every change
is written to the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, false, func, or_, select

from portal.extensions import db
from portal.models import (
    AuditEntry,
    Category,
    Company,
    CompanyStatus,
    CustomerGroup,
    Order,
    OrderStatus,
    PaymentTerms,
    PriceList,
    RepAssignment,
    Role,
    User,
    VisibilityRule,
)
from portal.services import DomainError, accounts

PER_PAGE = 20
# 10 million euros: far above any real credit line, well inside a 32-bit cents column.
MAX_CREDIT_CENTS = 1_000_000_000
_MONEY = re.compile(r"([0-9]{1,10})(?:[.,]([0-9]{1,2}))?")
_SPACES = re.compile(r"[ \u00a0\u202f]")

PAYMENT_TERMS = (
    (PaymentTerms.PREPAY, _l("Prepayment")),
    (PaymentTerms.NET30, _l("Net 30 days")),
    (PaymentTerms.NET60, _l("Net 60 days")),
    (PaymentTerms.NET90, _l("Net 90 days")),
)
STATUS_LABELS = {
    CompanyStatus.PENDING: _l("Pending review"),
    CompanyStatus.ACTIVE: _l("Active"),
    CompanyStatus.SUSPENDED: _l("Suspended"),
    CompanyStatus.REJECTED: _l("Application rejected"),
}


def terms_label(terms) -> str:
    return str(dict(PAYMENT_TERMS).get(terms, terms))


def status_label(status) -> str:
    return str(STATUS_LABELS.get(status, status))


def write_audit(action: str, obj, *, actor: User | None, company_id: int | None = None,
                acting_staff: User | None = None, detail: dict | None = None) -> AuditEntry:
    """One audit row in the caller's transaction (accounts.record), with the acting staff."""
    entry = accounts.record(actor, action, obj, detail, company_id=company_id)
    if acting_staff is not None:
        entry.acting_staff_id = acting_staff.id
    return entry


# ---------------------------------------------------------------- pure rules

def parse_money_cents(raw: str | None) -> int | None:
    """'5000', '5 000,50', '5000.5' -> cents; '' -> None (no limit). Raises ValueError.

    Strict: ASCII digits, one decimal separator, at most two decimals; no signs, exponents,
    'NaN' or thousands commas (a comma is the French decimal separator).
    """
    text = _SPACES.sub("", raw or "")
    if not text:
        return None
    match = _MONEY.fullmatch(text)
    if match is None or not text.isascii():
        raise ValueError(text)
    units, decimals = match.group(1), (match.group(2) or "").ljust(2, "0")
    cents = int(units) * 100 + int(decimals)
    if cents > MAX_CREDIT_CENTS:
        raise ValueError(text)
    return cents


def cents_to_input(cents: int | None) -> str:
    """The value a money field shows: '5000.00', or '' for none."""
    if cents is None:
        return ""
    return f"{cents // 100}.{cents % 100:02d}"


# ---------------------------------------------------------------- who sees which customer

def may_manage(user) -> bool:
    return user.role in (Role.STAFF_ADMIN, Role.SALES_REP)


def may_edit(user) -> bool:
    """Terms, limits, prices and status: staff admins only (reps cannot)."""
    return user.role == Role.STAFF_ADMIN


def assigned_company_ids(user) -> Select:
    return select(RepAssignment.company_id).where(RepAssignment.rep_id == user.id)


def scope_clause(user, column=Company.id):
    """A WHERE clause on a company id column: the customers this staff member looks after."""
    if user.role == Role.STAFF_ADMIN:
        return None
    if user.role == Role.SALES_REP:
        return column.in_(assigned_company_ids(user))
    return false()


def find_customer(user, company_id: int) -> Company | None:
    """The company if this staff member may see it; None for missing and foreign alike."""
    stmt = select(Company).where(Company.id == company_id)
    clause = scope_clause(user)
    if clause is not None:
        stmt = stmt.where(clause)
    return db.session.scalar(stmt)


@dataclass(frozen=True)
class CustomerPage:
    rows: list
    query: str
    page: int
    has_next: bool


def search_customers(user, query: str = "", page: int = 1) -> CustomerPage:
    """Companies by name or legal id (VAT/SIRET), A to Z, one page at a time."""
    query = (query or "").strip()[:80]
    page = max(1, min(page, 10_000))
    stmt = select(Company.id, Company.name, Company.legal_id, Company.status, Company.trade)
    clause = scope_clause(user)
    if clause is not None:
        stmt = stmt.where(clause)
    if query:
        legal = _SPACES.sub("", query).upper()
        stmt = stmt.where(or_(
            func.lower(Company.name).contains(query.lower(), autoescape=True),
            Company.legal_id.contains(legal, autoescape=True),
        ))
    rows = db.session.execute(
        stmt.order_by(Company.name, Company.id).offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE + 1)
    ).all()
    return CustomerPage(list(rows[:PER_PAGE]), query, page, len(rows) > PER_PAGE)


@dataclass(frozen=True)
class Overview:
    users: list
    recent_orders: list
    waiting_approval: int
    buyers: list  # active buyers a staff member may order for


RECENT_ORDERS = 10


def customer_overview(company: Company) -> Overview:
    users = list(db.session.scalars(
        select(User).where(User.company_id == company.id).order_by(User.name, User.id)))
    orders = db.session.execute(
        select(Order.id, Order.number, Order.status, Order.total_cents, Order.currency,
               Order.placed_at)
        .where(Order.company_id == company.id)
        .order_by(Order.placed_at.desc(), Order.id.desc()).limit(RECENT_ORDERS)
    ).all()
    waiting = db.session.scalar(
        select(func.count(Order.id)).where(Order.company_id == company.id,
                                           Order.status == OrderStatus.PENDING_APPROVAL)
    ) or 0
    buyers = [u for u in users if u.role == Role.BUYER and not u.disabled]
    return Overview(users, list(orders), waiting, buyers if company.is_active else [])


# ---------------------------------------------------------------- editing terms

EDITABLE_STATUSES = (CompanyStatus.ACTIVE, CompanyStatus.SUSPENDED)


@dataclass(frozen=True)
class CustomerChanges:
    customer_group_id: int | None
    price_list_id: int | None
    payment_terms: PaymentTerms
    credit_limit_cents: int | None
    po_required: bool
    status: CompanyStatus | None  # None: leave as is (pending/rejected companies)
    category_ids: frozenset[int]  # top-level categories allowed; empty = no restriction


def top_level_categories() -> list[Category]:
    return list(db.session.scalars(
        select(Category).where(Category.parent_id.is_(None))
        .order_by(Category.position, Category.id)))


def allowed_category_ids(company: Company) -> set[int]:
    return set(db.session.scalars(
        select(VisibilityRule.category_id).where(VisibilityRule.company_id == company.id,
                                                 VisibilityRule.category_id.is_not(None))))


def update_customer(company: Company, staff: User, changes: CustomerChanges) -> dict:
    """Apply the staff admin's changes; returns (and audits) what actually changed."""
    if not may_edit(staff):
        raise DomainError(_("You are not allowed to do this."))
    if changes.customer_group_id is not None and db.session.get(
            CustomerGroup, changes.customer_group_id) is None:
        raise DomainError(_("Choose a customer group from the list."))
    if changes.price_list_id is not None and db.session.get(
            PriceList, changes.price_list_id) is None:
        raise DomainError(_("Choose a price list from the list."))
    if changes.status is not None and (
            changes.status not in EDITABLE_STATUSES or company.status not in EDITABLE_STATUSES):
        raise DomainError(_("This status cannot be set here."))
    diff: dict = {}
    for name in ("customer_group_id", "price_list_id", "payment_terms", "credit_limit_cents",
                 "po_required", "status"):
        new = getattr(changes, name)
        if name == "status" and new is None:
            continue
        old = getattr(company, name)
        if old != new:
            diff[name] = [_plain(old), _plain(new)]
            setattr(company, name, new)
    diff.update(_set_visibility(company, changes.category_ids))
    if diff:
        write_audit("customer.updated", company, actor=staff, company_id=company.id,
                    detail=diff)
    return diff


def _plain(value):
    return str(value) if isinstance(value, PaymentTerms | CompanyStatus) else value


def _set_visibility(company: Company, category_ids: frozenset[int]) -> dict:
    """Company allow-list of top-level categories; only this screen's rows are touched."""
    top = {c.id for c in top_level_categories()}
    wanted = set(category_ids)
    if not wanted <= top:
        raise DomainError(_("Choose categories from the list."))
    current = allowed_category_ids(company) & top
    if wanted == current:
        return {}
    db.session.execute(delete(VisibilityRule).where(
        VisibilityRule.company_id == company.id, VisibilityRule.category_id.in_(current - wanted)))
    db.session.add_all(VisibilityRule(company_id=company.id, category_id=cid)
                       for cid in sorted(wanted - current))
    return {"visible_categories": [sorted(current), sorted(wanted)]}
