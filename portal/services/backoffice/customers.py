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
from portal.models.labels import PAYMENT_TERMS_LABELS
from portal.services import DomainError, accounts, credit, selling, text

PER_PAGE = 20
# 10 million euros: far above any real credit line, well inside a 32-bit cents column.
MAX_CREDIT_CENTS = 1_000_000_000
_MONEY = re.compile(r"([0-9]{1,10})(?:[.,]([0-9]{1,2}))?")
_SPACES = re.compile(r"[ \u00a0\u202f]")

# (code, label) for the terms select, in the enum's order.
PAYMENT_TERMS = tuple(PAYMENT_TERMS_LABELS.items())

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
               Order.placed_at, Order.storefront_id)
        .where(Order.company_id == company.id)  # from every storefront
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
    country: str | None = None  # None: leave as is
    legal_id: str | None = None
    po_rule: str | None = None  # "ask", "reuse" or "generate"; None: leave as is


def contract_list(company: Company) -> PriceList | None:
    return db.session.get(PriceList, company.price_list_id) if company.price_list_id else None


def terms_options() -> tuple[list, list]:
    """(customer groups, contract price lists) as (id, code, name) rows, by name."""
    groups = db.session.execute(
        select(CustomerGroup.id, CustomerGroup.code, CustomerGroup.name)
        .order_by(CustomerGroup.name)).all()
    lists = db.session.execute(
        select(PriceList.id, PriceList.code, PriceList.name)
        .where(PriceList.is_base.is_(False)).order_by(PriceList.name)).all()
    return groups, lists


def top_level_categories() -> list[Category]:
    return list(db.session.scalars(
        select(Category).where(Category.parent_id.is_(None))
        .order_by(Category.position, Category.id)))


def allowed_category_ids(company: Company) -> set[int]:
    return set(db.session.scalars(
        select(VisibilityRule.category_id).where(VisibilityRule.company_id == company.id,
                                                 VisibilityRule.storefront_id.is_(None),
                                                 VisibilityRule.category_id.is_not(None))))


def update_customer(company: Company, staff: User, changes: CustomerChanges) -> dict:
    """Apply the staff admin's changes; returns (and audits) what actually changed."""
    if not may_edit(staff):
        raise DomainError(_("You are not allowed to do this."))
    if changes.customer_group_id is not None and db.session.get(
            CustomerGroup, changes.customer_group_id) is None:
        raise DomainError(_("Choose a customer group from the list."))
    if changes.price_list_id is not None:
        price_list = db.session.get(PriceList, changes.price_list_id)
        if price_list is None:
            raise DomainError(_("Choose a price list from the list."))
        from portal.services.storefronts import list_currency_problem

        problem = list_currency_problem(price_list, price_list.currency, company)
        if problem:
            raise DomainError(problem, field="price_list")
    if changes.status is not None and (
            changes.status not in EDITABLE_STATUSES or company.status not in EDITABLE_STATUSES):
        raise DomainError(_("This status cannot be set here."))
    credit.check_limit(changes.credit_limit_cents)
    diff: dict = {}
    if changes.country is not None:
        country, legal_id = check_tax_identity(changes.country, changes.legal_id)
        for name, new in (("country", country), ("legal_id", legal_id)):
            if getattr(company, name) != new:
                diff[name] = [getattr(company, name), new]
                setattr(company, name, new)
    if changes.po_rule is not None and changes.po_rule not in ("ask", "reuse", "generate"):
        raise DomainError(_("Choose a PO number rule from the list."))
    for name in ("customer_group_id", "price_list_id", "payment_terms", "credit_limit_cents",
                 "po_required", "po_rule", "status"):
        new = getattr(changes, name)
        if name in ("status", "po_rule") and new is None:
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


_COUNTRY = re.compile(r"[A-Z]{2}")


def check_tax_identity(raw_country: str | None, raw_id: str | None) -> tuple[str, str]:
    """The company's country and legal id as they will be stored, or a DomainError at the
    field: in the seller's country a SIRET or a VAT number of it; in another EU country its
    VAT number (or nothing: then it pays the seller's VAT); elsewhere any reference."""
    from portal.services.backoffice.applications import check_legal_id, legal_id_message

    country = (raw_country or "").strip().upper()
    if not _COUNTRY.fullmatch(country):
        raise DomainError(_("Enter the country as its two-letter code (FR, BE, DE, CH…)."),
                          field="country")
    value = selling.normalize_vat_number(raw_id)
    if not value:
        return country, ""
    if country == selling.storefront_country():
        check = check_legal_id(value)
        if check.problem:
            raise DomainError(legal_id_message(check), field="legal_id")
        return country, check.value
    if country in selling.EU_COUNTRIES:
        problem = selling.vat_number_problem(value, country)
        if problem:
            raise DomainError(problem, field="legal_id")
        return country, value
    return country, text.clean_line(raw_id or "")[:40]


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
        VisibilityRule.company_id == company.id, VisibilityRule.storefront_id.is_(None),
        VisibilityRule.category_id.in_(current - wanted)))
    db.session.add_all(VisibilityRule(company_id=company.id, category_id=cid)
                       for cid in sorted(wanted - current))
    return {"visible_categories": [sorted(current), sorted(wanted)]}
