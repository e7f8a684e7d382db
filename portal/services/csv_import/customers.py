"""Customers: one company per distinct company_name, one user per row.

Companies are created active (they are existing customers being migrated); their users get
an invitation to choose a password when the import is committed, never a password.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    CUSTOMER_ROLES,
    Address,
    Company,
    CompanyStatus,
    CustomerGroup,
    PaymentTerms,
    Role,
    User,
)
from portal.services.csv_import import cells
from portal.services.csv_import.base import Checker, RowCheck, Writer, also_on
from portal.services.csv_import.parse import Row, Spec

SPEC = Spec(
    columns=("company_name", "legal_id", "trade", "customer_group", "payment_terms",
             "credit_limit", "po_required", "address_line", "postal_code", "city",
             "user_email", "user_name", "user_role"),
    required=frozenset({"company_name", "user_email", "user_name"}),
)
COMPANY_FIELDS = ("legal_id", "trade", "customer_group", "payment_terms", "credit_limit",
                  "po_required", "address_line", "postal_code", "city")
ROLES = tuple(r.value for r in CUSTOMER_ROLES)
TERMS = tuple(t.value for t in PaymentTerms)


def company_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class CompanyData:
    name: str
    legal_id: str
    trade: str
    group_id: int | None
    payment_terms: str
    credit_limit_cents: int | None
    po_required: bool
    address: tuple[str, str, str] | None


@dataclass(frozen=True)
class CustomerPlan:
    line: int
    key: str
    company: CompanyData | None  # set on the row that creates the company
    email: str
    name: str
    role: str


class CustomersChecker(Checker):
    key_columns = ("company_name", "user_email", *COMPANY_FIELDS)

    def __init__(self):
        super().__init__()
        self.companies: dict[str, tuple[int, dict[str, str]]] = {}
        self.emails: dict[str, int] = {}
        self._groups: dict[str, int] | None = None

    def groups(self) -> dict[str, int]:
        if self._groups is None:
            self._groups = {code.upper(): gid for gid, code in
                            db.session.execute(select(CustomerGroup.id, CustomerGroup.code))}
        return self._groups

    def remember(self, row: Row) -> None:
        key = company_key(row.cells.get("company_name", ""))
        if key and key not in self.companies:
            self.companies[key] = (row.line, {f: row.cells.get(f, "") for f in COMPANY_FIELDS})
        address = row.cells.get("user_email", "").lower()
        if address and address not in self.emails:
            self.emails[address] = row.line

    def check(self, rows: list[Row]):
        emails = {r.cells.get("user_email", "").lower() for r in rows} - {""}
        taken_emails = set(db.session.scalars(select(User.email).where(User.email.in_(emails))))
        names = {company_key(r.cells.get("company_name", "")) for r in rows} - {""}
        new_names = [n for n in names if n not in self.companies]
        taken_names = {company_key(n) for n in db.session.scalars(
            select(Company.name).where(func.lower(Company.name).in_(new_names)))}
        errors, plans, counts = [], [], Counter()
        for row in rows:
            c = RowCheck(row)
            plan = self._check_row(c, taken_emails, taken_names)
            self.remember(row)
            errors.extend(c.errors)
            if c.ok and plan is not None:
                plans.append(plan)
                counts["users"] += 1
                counts["companies"] += plan.company is not None
        return errors, plans, counts

    def _check_row(self, c: RowCheck, taken_emails, taken_names) -> CustomerPlan | None:
        name = c.need("company_name", cells.text, 160)
        address = c.need("user_email", cells.email)
        user_name = c.need("user_name", cells.text, 120)
        role = c.get("user_role", cells.choice, ROLES, default=Role.BUYER.value)
        if address:
            if address in self.emails:
                c.fail("user_email", also_on(self.emails[address]))
            elif address in taken_emails:
                c.fail("user_email", _("an account with this email already exists"))
        if not name:
            return None
        key = company_key(name)
        first = self.companies.get(key)
        company = None
        if first is None:
            if key in taken_names:
                c.fail("company_name", _("a company with this name already exists"))
            company = self._company(c, name)
        else:
            for field in COMPANY_FIELDS:
                value = c.raw(field)
                if value and value != first[1][field]:
                    c.fail(field, _("differs from line %(line)s for the same company",
                                    line=first[0]))
        if not c.ok:
            return None
        return CustomerPlan(c.row.line, key, company, address, user_name, role)

    def _company(self, c: RowCheck, name: str) -> CompanyData | None:
        legal_id = c.get("legal_id", cells.text, 40, default="")
        trade = c.get("trade", cells.text, 80, default="")
        group_code = c.get("customer_group", cells.code, default=None)
        group_id = None
        if group_code:
            group_id = self.groups().get(group_code.upper())
            if group_id is None:
                c.fail("customer_group", _("unknown customer group"))
        terms = c.get("payment_terms", cells.choice, TERMS, default=PaymentTerms.NET30.value)
        credit = c.get("credit_limit", cells.money, default=None)
        po_required = c.get("po_required", cells.boolean, default=False)
        parts = (c.get("address_line", cells.text, 200, default=""),
                 c.get("postal_code", cells.text, 20, default=""),
                 c.get("city", cells.text, 120, default=""))
        if any(parts) and not all(parts):
            for column, value in zip(("address_line", "postal_code", "city"), parts, strict=True):
                if not value:
                    c.fail(column, _("required with an address"))
        if not c.ok:
            return None
        return CompanyData(name, legal_id or "", trade or "", group_id, terms, credit,
                           bool(po_required), parts if all(parts) else None)


class CustomersWriter(Writer):
    def __init__(self, actor, now: datetime):
        self.actor, self.now = actor, now
        self.company_ids: dict[str, int] = {}
        self.users: list[User] = []

    def write(self, plans: list[CustomerPlan]) -> None:
        created = []
        for plan in plans:
            if plan.company is not None:
                created.append((plan.key, self._company(plan.company), plan.company))
        db.session.flush()
        for key, company, data in created:
            self.company_ids[key] = company.id
            if data.address:
                line1, postal_code, city = data.address
                db.session.add(Address(company_id=company.id, label=_("Head office"),
                                       line1=line1, postal_code=postal_code, city=city,
                                       is_billing=True))
        for plan in plans:
            user = User(email=plan.email, name=plan.name, role=Role(plan.role),
                        company_id=self.company_ids[plan.key])
            db.session.add(user)
            self.users.append(user)
        db.session.flush()

    def _company(self, data: CompanyData) -> Company:
        company = Company(name=data.name, legal_id=data.legal_id, trade=data.trade,
                          status=CompanyStatus.ACTIVE, customer_group_id=data.group_id,
                          payment_terms=PaymentTerms(data.payment_terms),
                          credit_limit_cents=data.credit_limit_cents, po_required=data.po_required,
                          created_at=self.now)
        db.session.add(company)
        return company

    def finish(self) -> dict:
        from portal.services.accounts import send_invitation

        for user in self.users:
            send_invitation(user, invited_by=None)
        return {"companies": len(self.company_ids), "users": len(self.users),
                "invitations": len(self.users)}
