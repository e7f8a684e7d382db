"""Who may see which quote: the customer's side (the buyer it is for, the company admin) and
the seller's (staff admins; sales reps for their customers' quotes and for quotes of
customers no rep looks after). Anything else answers like a missing quote (None)."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Quote, QuoteStatus, QuoteVersion, RepAssignment, Role

QUEUE_MAX = 100
ANSWERING_ROLES = (Role.STAFF_ADMIN, Role.SALES_REP)


def _customer_clause(user):
    clause = Quote.company_id == user.company_id
    if user.role != Role.COMPANY_ADMIN:
        clause = clause & (Quote.buyer_id == user.id)
    return clause


def find_for_customer(user, quote_id: int) -> Quote | None:
    if getattr(user, "company_id", None) is None or user.role == Role.VIEWER:
        return None
    return db.session.scalar(select(Quote).where(Quote.id == quote_id, _customer_clause(user)))


def customer_quotes(user) -> list[Quote]:
    """The user's quotes (all the company's for its admin), newest first."""
    if getattr(user, "company_id", None) is None:
        return []
    return list(db.session.scalars(
        select(Quote).where(_customer_clause(user))
        .options(selectinload(Quote.buyer))
        .order_by(Quote.updated_at.desc(), Quote.id.desc()).limit(QUEUE_MAX)))


def _staff_clause(user):
    if user.role == Role.STAFF_ADMIN:
        return None
    if user.role == Role.SALES_REP:
        mine = select(RepAssignment.company_id).where(RepAssignment.rep_id == user.id)
        return or_(Quote.rep_id == user.id, Quote.rep_id.is_(None), Quote.company_id.in_(mine))
    return Quote.id.is_(None)


def find_for_staff(user, quote_id: int) -> Quote | None:
    if user.role not in ANSWERING_ROLES:
        return None
    stmt = select(Quote).where(Quote.id == quote_id)
    clause = _staff_clause(user)
    return db.session.scalar(stmt if clause is None else stmt.where(clause))


def staff_queue(user) -> tuple[list[Quote], list[Quote]]:
    """(requests waiting for an answer, oldest first; the others, latest first)."""
    if user.role not in ANSWERING_ROLES:
        return [], []
    stmt = select(Quote).options(selectinload(Quote.company), selectinload(Quote.buyer))
    clause = _staff_clause(user)
    if clause is not None:
        stmt = stmt.where(clause)
    waiting = list(db.session.scalars(
        stmt.where(Quote.status == QuoteStatus.REQUESTED)
        .order_by(Quote.updated_at, Quote.id).limit(QUEUE_MAX)))
    others = list(db.session.scalars(
        stmt.where(Quote.status != QuoteStatus.REQUESTED)
        .order_by(Quote.updated_at.desc(), Quote.id.desc()).limit(QUEUE_MAX)))
    return waiting, others


def waiting_count(user) -> int:
    """Requests waiting for this staff member's answer (the home card), one statement."""
    if user.role not in ANSWERING_ROLES:
        return 0
    stmt = select(func.count(Quote.id)).where(Quote.status == QuoteStatus.REQUESTED)
    clause = _staff_clause(user)
    return db.session.scalar(stmt if clause is None else stmt.where(clause)) or 0


def version_of(quote: Quote, number: int | None = None) -> QuoteVersion | None:
    """A version of the quote (its current one by default), lines and products loaded."""
    wanted = quote.current_version if number is None else number
    return db.session.scalar(
        select(QuoteVersion).where(QuoteVersion.quote_id == quote.id,
                                   QuoteVersion.number == wanted)
        .options(selectinload(QuoteVersion.lines)))


def assigned_rep_id(company_id: int) -> int | None:
    """The customer's rep (the first assigned), or None: any sales staff answers."""
    return db.session.scalar(select(RepAssignment.rep_id)
                             .where(RepAssignment.company_id == company_id)
                             .order_by(RepAssignment.id).limit(1))


def recent_orders(company_id: int, limit: int = 5) -> list:
    """The customer's latest orders, for the rep pricing its quote (the history at hand)."""
    from portal.models import Order

    return list(db.session.scalars(
        select(Order).where(Order.company_id == company_id)
        .order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit)))
