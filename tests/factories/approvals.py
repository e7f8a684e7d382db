"""Approval rules with their steps, and the requests an order is waiting on."""

import itertools

from portal.extensions import db
from portal.models import ApprovalRequest, ApprovalRule, ApprovalStatus, ApprovalStep, Role

_seq = itertools.count(1)


def rule(company, *steps, name=None, position=None, **conditions) -> ApprovalRule:
    """A rule; each step is a Role, a User, or a (Role | User, min_total_cents) pair."""
    r = ApprovalRule(company_id=company.id, name=name or f"Rule {next(_seq)}", active=True,
                     position=position if position is not None else next(_seq), **conditions)
    for n, step in enumerate(steps, start=1):
        who, minimum = step if isinstance(step, tuple) else (step, None)
        s = ApprovalStep(position=n, min_total_cents=minimum)
        if isinstance(who, Role):
            s.approver_role = who
        else:
            s.approver_user_id = who.id
        r.steps.append(s)
    db.session.add(r)
    db.session.flush()
    return r


def approval_over_limit(company, approver_role=Role.APPROVER) -> ApprovalRule:
    """Orders over the buyer's own limit wait for an approver of the buyer's unit. Commits."""
    made = rule(company, approver_role, name="Over limit", position=0,
                when_over_order_limit=True)
    db.session.commit()
    return made


def pending_approval(order, *, approver=None, role=None, unit=None) -> ApprovalRequest:
    """A pending first-step request on `order`, for a person or for a role in a unit."""
    r = ApprovalRequest(order_id=order.id, company_id=order.company_id, step=1,
                        approver_user_id=approver.id if approver else None,
                        approver_role=role, approver_unit_id=unit.id if unit else None,
                        status=ApprovalStatus.PENDING)
    db.session.add(r)
    db.session.flush()
    return r


def requests_of(order) -> list[ApprovalRequest]:
    return list(db.session.scalars(
        db.select(ApprovalRequest).where(ApprovalRequest.order_id == order.id)
        .order_by(ApprovalRequest.step, ApprovalRequest.id)))
