"""Ordering on behalf of a customer: a sales rep (or staff admin) signs in as one of the
customer's buyers for a while, and every order placed meanwhile records who really did it.

The session holds `acting_for = {user_id, staff_id, staff_version, company, user}`. The staff
member is re-checked on every use (`acting_staff()`): still staff, not disabled, same session
version (signing out everywhere ends acting too), still assigned to that company. Only active
buyers of an active company can be acted as: never approvers or admins, so a rep can neither
approve orders nor change the customer's users or limits while acting.

Checkout records the staff member with `place_order(..., on_behalf_by=acting_staff())`.
"""

from __future__ import annotations

from flask import session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.models import Company, RepAssignment, Role, User
from portal.services import DomainError
from portal.services.backoffice.customers import write_audit

ACTING_KEY = "acting_for"
ACTING_ROLES = (Role.STAFF_ADMIN, Role.SALES_REP)


def may_act_for(staff: User | None, company_id: int | None) -> bool:
    """Staff admins for any customer; sales reps for the customers assigned to them."""
    if staff is None or company_id is None or staff.disabled or staff.company_id is not None:
        return False
    if staff.role == Role.STAFF_ADMIN:
        return True
    if staff.role == Role.SALES_REP:
        return db.session.scalar(select(RepAssignment.id).where(
            RepAssignment.rep_id == staff.id, RepAssignment.company_id == company_id)) is not None
    return False


def actable_user(company: Company, user_id: int) -> User | None:
    """An active buyer of this company, or None (an approver or admin is never offered)."""
    user = db.session.get(User, user_id)
    if user is None or user.company_id != company.id or user.role != Role.BUYER \
            or user.disabled:
        return None
    return user


def start(staff: User, company: Company, customer: User) -> dict:
    """Check and audit; returns the value the view stores in the session after signing in."""
    if not may_act_for(staff, company.id):
        raise DomainError(_("You are not allowed to do this."))
    if not company.is_active:
        raise DomainError(_("This customer's account is not active: nobody can order for it."))
    if customer.company_id != company.id or customer.role != Role.BUYER or customer.disabled:
        raise DomainError(_("You can only order as one of the customer's active buyers."))
    write_audit("acting.started", customer, actor=staff, company_id=company.id,
                acting_staff=staff)
    return {"user_id": customer.id, "staff_id": staff.id,
            "staff_version": staff.session_version, "company": company.name,
            "user": customer.name}


def returning_staff(acting: dict | None) -> User | None:
    """The staff member to return to: still staff, enabled, same session version."""
    staff_id = acting.get("staff_id") if isinstance(acting, dict) else None
    staff = db.session.get(User, staff_id) if isinstance(staff_id, int) else None
    if staff is None or staff.role not in ACTING_ROLES or staff.disabled \
            or staff.session_version != acting.get("staff_version"):
        return None
    return staff


def staff_for(acting: dict | None, customer) -> User | None:
    """The staff member behind this acting session, re-checked from the database, or None."""
    if not isinstance(acting, dict) or customer is None:
        return None
    if not getattr(customer, "is_authenticated", False) or acting.get("user_id") != customer.id:
        return None
    staff_id = acting.get("staff_id")
    staff = db.session.get(User, staff_id) if isinstance(staff_id, int) else None
    if staff is None or staff.role not in ACTING_ROLES:
        return None
    if staff.session_version != acting.get("staff_version"):
        return None
    if not may_act_for(staff, customer.company_id):
        return None
    return staff


def acting_staff() -> User | None:
    """The staff member ordering for the signed-in customer right now, or None."""
    return staff_for(session.get(ACTING_KEY), current_user)


def stop(staff: User, customer: User) -> None:
    write_audit("acting.stopped", customer, actor=staff, company_id=customer.company_id,
                acting_staff=staff)
