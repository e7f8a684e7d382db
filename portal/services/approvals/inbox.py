"""Who may decide an approval request, what waits for whom, what the approval page shows.

`may_decide(user, request)` checks the company, the role and the unit ancestry (an approver
decides for their unit and the units below it; a company admin for the whole company;
nobody for their own order). The inbox is one query, bounded, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import ApprovalRequest, ApprovalStatus, Order, OrderLine, Role, Unit, User
from portal.services.approvals import rules as rules_mod


@dataclass(frozen=True)
class InboxItem:
    request: ApprovalRequest
    order: Order
    buyer_name: str
    jobsite_name: str | None
    line_count: int


# -- who may decide, what waits for whom ------------------------------------------------------

def unit_parents(company_id: int) -> dict[int, int | None]:
    return dict(db.session.execute(
        select(Unit.id, Unit.parent_id).where(Unit.company_id == company_id)).all())


def may_decide(user, approval_request: ApprovalRequest, parents=None) -> bool:
    """May `user` decide this request (its status aside)? Company and unit ancestry checked."""
    if (getattr(user, "company_id", None) is None or user.disabled
            or approval_request.company_id != user.company_id
            or user.role not in (Role.APPROVER, Role.COMPANY_ADMIN)):
        return False
    requester = db.session.scalar(
        select(Order.placed_by_id).where(Order.id == approval_request.order_id))
    return rules_mod.may_decide(
        user_id=user.id, user_role=user.role, user_unit_id=user.unit_id, requester_id=requester,
        approver_role=approval_request.approver_role,
        approver_unit_id=approval_request.approver_unit_id,
        approver_user_id=approval_request.approver_user_id,
        parents=parents if parents is not None else unit_parents(user.company_id))


def find_for_decider(user, request_id) -> ApprovalRequest | None:
    """The request if this user may see and decide it; None (a 404) for anything else."""
    if not isinstance(request_id, int) or getattr(user, "company_id", None) is None:
        return None
    req = db.session.get(ApprovalRequest, request_id)
    if req is None or req.company_id != user.company_id or not may_decide(user, req):
        return None
    return req


def _waiting_clause(user, parents):
    mine = [ApprovalRequest.approver_user_id == user.id]
    if user.role == Role.COMPANY_ADMIN:
        mine.append(ApprovalRequest.approver_role == Role.COMPANY_ADMIN)
    if user.role == Role.APPROVER:
        is_approver_step = and_(ApprovalRequest.approver_role == Role.APPROVER,
                                ApprovalRequest.approver_user_id.is_(None))
        if user.unit_id is None:
            mine.append(is_approver_step)
        else:
            below = rules_mod.subtree(user.unit_id, parents)
            mine.append(and_(is_approver_step, ApprovalRequest.approver_unit_id.in_(below)))
    return and_(ApprovalRequest.company_id == user.company_id,
                ApprovalRequest.status == ApprovalStatus.PENDING,
                Order.placed_by_id != user.id, or_(*mine))


def inbox(user, limit: int = 200) -> list[InboxItem]:
    """Requests waiting for this user, oldest first, in one query."""
    if user.company_id is None:
        return []
    buyer, jobsite = aliased(User), aliased(Unit)
    lines = (select(func.count(OrderLine.id)).where(OrderLine.order_id == Order.id)
             .correlate(Order).scalar_subquery())
    rows = db.session.execute(
        select(ApprovalRequest, Order, buyer.name, jobsite.name, lines)
        .join(Order, Order.id == ApprovalRequest.order_id)
        .join(buyer, buyer.id == Order.placed_by_id)
        .outerjoin(jobsite, jobsite.id == Order.jobsite_id)
        .where(_waiting_clause(user, unit_parents(user.company_id)))
        .order_by(ApprovalRequest.created_at, ApprovalRequest.id).limit(limit)
    ).all()
    return [InboxItem(*row) for row in rows]


def trim_lines(req: ApprovalRequest) -> list:
    """(id, sku, name, name_en) of the order's lines in their order: what a trim may change."""
    return db.session.execute(
        select(OrderLine.id, OrderLine.sku, OrderLine.name, OrderLine.name_en)
        .where(OrderLine.order_id == req.order_id)
        .order_by(OrderLine.position, OrderLine.id)).all()


def inbox_count(user) -> int:
    if user.company_id is None:
        return 0
    return db.session.scalar(
        select(func.count(ApprovalRequest.id)).join(Order, Order.id == ApprovalRequest.order_id)
        .where(_waiting_clause(user, unit_parents(user.company_id)))) or 0


def step_label(req: ApprovalRequest, units: dict[int, str], people: dict[int, str]) -> str:
    """Who a step waits for, in a few words ("Purchasing manager, Agence")."""
    if req.approver_user_id is not None:
        return people.get(req.approver_user_id, "?")
    if req.approver_role == Role.APPROVER:
        where = units.get(req.approver_unit_id) if req.approver_unit_id else None
        return (_("Purchasing manager, %(unit)s", unit=where) if where
                else _("Purchasing manager"))
    return _("Company admin")


def detail_facts(req: ApprovalRequest) -> dict:
    """What the approval page shows: the order, its lines, the steps of its current content."""
    order = db.session.get(Order, req.order_id)
    steps = db.session.scalars(
        select(ApprovalRequest)
        .where(ApprovalRequest.order_id == order.id,
               ApprovalRequest.content_version == order.content_version,
               ApprovalRequest.status != ApprovalStatus.SUPERSEDED)
        .order_by(ApprovalRequest.step, ApprovalRequest.id)).all()
    units = dict(db.session.execute(
        select(Unit.id, Unit.name).where(Unit.company_id == order.company_id)).all())
    named = {s.approver_user_id for s in steps if s.approver_user_id}
    people = dict(db.session.execute(
        select(User.id, User.name).where(User.id.in_(named))).all()) if named else {}
    return {"order": order, "lines": list(order.lines), "buyer": order.placed_by,
            "jobsite": order.jobsite, "steps": steps,
            "step_labels": {s.id: step_label(s, units, people) for s in steps}}
