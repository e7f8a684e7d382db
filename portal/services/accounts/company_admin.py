"""Company administration by a company admin: users, units, approval rules; all audited.

Every id that arrives from a form is checked against the admin's own company here, so a
view cannot hand a foreign unit, user or category to a use case. Amounts typed by people go
through `parse_amount` (strict, no floats). Use cases change the session, never commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import CUSTOMER_ROLES, Address, Role, Unit, UnitKind, User
from portal.security import end_all_sessions
from portal.services import DomainError
from portal.services.accounts.audit import record
from portal.services.accounts.signin import find_user_by_email, send_invitation
from portal.services.text import clean_line

MAX_AMOUNT_CENTS = 10_000_000 * 100
_AMOUNT = re.compile(r"([0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:[.,]([0-9]+))?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_email(text: str) -> bool:
    """An address a message can be sent to: one @, a dotted domain, at most 254 characters."""
    return len(text) <= 254 and _EMAIL.fullmatch(text) is not None


class AmountError(ValueError):
    """An amount a person typed is not acceptable; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_amount_cents(raw) -> int | None:
    """"1000", "1 000,50", "1000.5" -> cents; blank -> None (no limit).

    ASCII digits only, an optional group of thousands separated by spaces, a comma or a dot
    before at most two decimals, 0 to 10,000,000. Refuses NaN, Infinity, exponents, signs.
    Raises AmountError("format" | "negative" | "decimals" | "range").
    """
    text = (raw if isinstance(raw, str) else "").strip()
    if not text:
        return None
    if len(text) > 24:
        raise AmountError("format")
    if text.startswith("-"):
        raise AmountError("negative")
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise AmountError("format")
    whole, decimals = match.group(1), match.group(2) or ""
    if len(decimals) > 2:
        raise AmountError("decimals")
    value = Decimal(re.sub(r"[^0-9]", "", whole) + "." + (decimals or "0"))
    cents = int(value * 100)
    if cents > MAX_AMOUNT_CENTS:
        raise AmountError("range")
    return cents


def amount_message(code: str) -> str:
    return {
        "negative": _("Enter an amount of 0 or more."),
        "decimals": _("Use at most two decimals."),
        "range": _("Enter an amount up to 10,000,000."),
    }.get(code, _("Enter an amount in figures, like 1500 or 1 500,50."))


def parse_amount(raw) -> int | None:
    try:
        return parse_amount_cents(raw)
    except AmountError as exc:
        raise DomainError(amount_message(exc.code)) from None


# -- units -------------------------------------------------------------------------------------

KIND_RANK = {UnitKind.DIVISION: 0, UnitKind.BRANCH: 1, UnitKind.JOBSITE: 2}


def company_units(company_id: int, include_archived: bool = True) -> list[Unit]:
    stmt = select(Unit).where(Unit.company_id == company_id).order_by(Unit.name, Unit.id)
    if not include_archived:
        stmt = stmt.where(Unit.archived.is_(False))
    return list(db.session.scalars(stmt))


def unit_tree(company_id: int, include_archived: bool = True) -> list[tuple[Unit, int]]:
    """Units in tree order (divisions, their branches, their jobsites) with their depth."""
    units = company_units(company_id, include_archived)
    known = {u.id for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in known else None
        children.setdefault(parent, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


def own_unit(admin, unit_id: int | None, *, allow_archived: bool = False) -> Unit | None:
    """A unit of the admin's company (None stays None); anything else is refused."""
    if unit_id is None:
        return None
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.company_id != admin.company_id or (unit.archived and
                                                               not allow_archived):
        raise DomainError(_("Choose a unit of your company."))
    return unit


@dataclass(frozen=True)
class UnitData:
    kind: str
    name: str
    parent_id: int | None = None
    budget_cents: int | None = None
    project_code: str = ""
    site_contact_name: str = ""
    site_contact_phone: str = ""
    delivery_window: str = ""
    delivery_notes: str = ""
    line1: str = ""
    line2: str = ""
    postal_code: str = ""
    city: str = ""


def _check_unit(admin, data: UnitData, unit: Unit | None) -> tuple[UnitKind, Unit | None]:
    if data.kind not in {k.value for k in UnitKind}:
        raise DomainError(_("Choose a kind of unit."), field="kind")
    kind = UnitKind(data.kind)
    if not clean_line(data.name):
        raise DomainError(_("Enter a name."), field="name")
    parent = own_unit(admin, data.parent_id)
    if parent is not None:
        if KIND_RANK[parent.kind] >= KIND_RANK[kind]:
            raise DomainError(_("A division holds branches, a branch holds jobsites."))
        if unit is not None and unit.id in _ancestors(parent):
            raise DomainError(_("A unit cannot be placed under itself."))
    if unit is not None and kind != unit.kind and _children(unit):
        raise DomainError(_("This unit has units below it: its kind cannot change."))
    if kind == UnitKind.JOBSITE and not (clean_line(data.line1) and clean_line(data.postal_code)
                                         and clean_line(data.city)):
        raise DomainError(_("A jobsite needs a delivery address: street, postal code, city."))
    return kind, parent


def _ancestors(unit: Unit) -> list[int]:
    found, current = [], unit
    while current is not None and current.id not in found:
        found.append(current.id)
        current = current.parent
    return found


def _children(unit: Unit) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id,
                                                      Unit.archived.is_(False))))


def save_unit(admin, data: UnitData, unit: Unit | None = None) -> Unit:
    """Create (unit None) or edit a unit of the admin's company."""
    kind, parent = _check_unit(admin, data, unit)
    creating = unit is None
    if creating:
        unit = Unit(company_id=admin.company_id, kind=kind, name="", archived=False)
        db.session.add(unit)
    before = _unit_snapshot(unit)
    unit.kind, unit.name = kind, clean_line(data.name)[:160]
    unit.parent_id = parent.id if parent else None
    unit.budget_cents = data.budget_cents
    # The delivery zone is the seller's (services/delivery/zones.py); a jobsite keeps it.
    if kind != UnitKind.JOBSITE:
        unit.zone_id = None
    for attr, size in (("project_code", 40), ("site_contact_name", 120),
                       ("site_contact_phone", 40), ("delivery_window", 120),
                       ("delivery_notes", 2000)):
        setattr(unit, attr, getattr(data, attr).strip()[:size])
    if clean_line(data.line1) or kind == UnitKind.JOBSITE:
        address = unit.address or Address(company_id=admin.company_id, line1="",
                                          postal_code="", city="", country="FR")
        address.label = unit.name[:120]  # a unit name holds 160 characters, a label 120
        address.line1, address.line2 = data.line1.strip()[:200], data.line2.strip()[:200]
        address.postal_code, address.city = data.postal_code.strip()[:20], data.city.strip()[:120]
        unit.address = address
    db.session.flush()
    record(admin, "unit.create" if creating else "unit.update", unit,
           {"before": before, "after": _unit_snapshot(unit)})
    return unit


def _unit_snapshot(unit: Unit) -> dict:
    return {"kind": str(unit.kind) if unit.kind else None, "name": unit.name,
            "parent_id": unit.parent_id, "budget_cents": unit.budget_cents,
            "zone_id": unit.zone_id}


def set_unit_archived(admin, unit: Unit, archived: bool) -> None:
    if unit.company_id != admin.company_id:
        raise DomainError(_("Choose a unit of your company."))
    if archived and _children(unit):
        raise DomainError(_("Archive the units below it first."))
    if not archived and unit.parent is not None and unit.parent.archived:
        raise DomainError(_("Restore the unit above it first."))
    unit.archived = archived
    record(admin, "unit.archive" if archived else "unit.restore", unit, {"name": unit.name})


# -- users -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UserData:
    name: str
    role: str
    unit_id: int | None = None
    order_limit_cents: int | None = None
    monthly_budget_cents: int | None = None
    email: str = ""
    yearly_allowance_cents: int | None = None
    storefront_id: int | None = None  # an employee store (storefronts.crew checks it)


def company_users(company_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.company_id == company_id).order_by(User.name, User.id)))


def _check_user(admin, data: UserData) -> Role:
    if not clean_line(data.name) or len(clean_line(data.name)) > 120:
        raise DomainError(_("Enter a name (up to 120 characters)."), field="name")
    if data.role not in {r.value for r in CUSTOMER_ROLES}:
        raise DomainError(_("Choose a role."), field="role")
    own_unit(admin, data.unit_id)
    return Role(data.role)


def _snapshot(user: User) -> dict:
    return {"name": user.name, "role": str(user.role), "unit_id": user.unit_id,
            "order_limit_cents": user.order_limit_cents,
            "monthly_budget_cents": user.monthly_budget_cents,
            "yearly_allowance_cents": user.yearly_allowance_cents,
            "storefront_id": user.storefront_id, "disabled": user.disabled}


def invite_user(admin, data: UserData, *, signed: bool = True) -> User:
    """Create the account (no password) and queue the set-password invitation.

    `signed`: the invitation names the admin who sent it; a system creating accounts (the
    CRM through the API) sends the unsigned one, as the back office and the CSV import do.
    """
    role = _check_user(admin, data)
    email = (data.email or "").strip().lower()
    if not is_email(email):
        raise DomainError(_("Enter a valid email address."), field="email")
    if find_user_by_email(email) is not None:
        raise DomainError(_("This email cannot be invited: it already has an account."),
                          field="email")
    user = User(email=email, name=clean_line(data.name), company_id=admin.company_id, role=role,
                unit_id=data.unit_id, order_limit_cents=data.order_limit_cents,
                monthly_budget_cents=data.monthly_budget_cents,
                yearly_allowance_cents=data.yearly_allowance_cents,
                storefront_id=data.storefront_id, password_hash="")
    db.session.add(user)
    db.session.flush()
    send_invitation(user, admin if signed else None)
    record(admin, "user.invite", user, {"email": email, "after": _snapshot(user)})
    return user


def _other_active_admins(user: User) -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.company_id == user.company_id,
                                          User.role == Role.COMPANY_ADMIN,
                                          User.disabled.is_(False), User.id != user.id)) or 0


def update_user(admin, user: User, data: UserData) -> None:
    role = _check_user(admin, data)
    if user.company_id != admin.company_id:
        raise DomainError(_("Choose a user of your company."))
    if (user.role == Role.COMPANY_ADMIN and role != Role.COMPANY_ADMIN and not user.disabled
            and _other_active_admins(user) == 0):
        raise DomainError(_("The company needs at least one active admin."))
    before = _snapshot(user)
    user.name, user.role, user.unit_id = clean_line(data.name), role, data.unit_id
    user.order_limit_cents = data.order_limit_cents
    user.monthly_budget_cents = data.monthly_budget_cents
    user.yearly_allowance_cents = data.yearly_allowance_cents
    record(admin, "user.update", user, {"before": before, "after": _snapshot(user)})


def set_user_disabled(admin, user: User, disabled: bool) -> None:
    """Disabling ends every open session of the user at once."""
    if user.company_id != admin.company_id:
        raise DomainError(_("Choose a user of your company."))
    if disabled and user.id == admin.id:
        raise DomainError(_("You cannot disable your own account."))
    if disabled and user.role == Role.COMPANY_ADMIN and _other_active_admins(user) == 0:
        raise DomainError(_("The company needs at least one active admin."))
    if user.disabled == disabled:
        return
    user.disabled = disabled
    if disabled:
        end_all_sessions(user)
    record(admin, "user.disable" if disabled else "user.enable", user, {"email": user.email})
