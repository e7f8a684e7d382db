"""The seller's side of invoices: the list (newest first, one customer or all) and one
invoice, for staff admins and for sales reps on the customers they look after (the same
scoping as the customer pages: backoffice.find_customer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Invoice, RepAssignment, Role

PAGE = 50


def _scoped(stmt, user):
    if user.role == Role.SALES_REP:
        mine = select(RepAssignment.company_id).where(RepAssignment.rep_id == user.id)
        return stmt.where(Invoice.company_id.in_(mine))
    return stmt


def invoices_for_staff(user, company_id: int | None = None) -> list[Invoice]:
    stmt = select(Invoice).options(joinedload(Invoice.company))
    if company_id is not None:
        stmt = stmt.where(Invoice.company_id == company_id)
    stmt = _scoped(stmt, user).order_by(Invoice.issued_at.desc(), Invoice.id.desc()).limit(PAGE)
    return list(db.session.scalars(stmt))


def invoice_for_staff(user, invoice_id: int) -> Invoice | None:
    if user is None or user.role not in (Role.STAFF_ADMIN, Role.SALES_REP):
        return None
    return db.session.scalar(_scoped(select(Invoice).where(Invoice.id == invoice_id), user))
