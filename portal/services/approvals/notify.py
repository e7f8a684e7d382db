"""Telling approvers: who is asked to decide a request now, the e-mail with their own link,
and the reminders of requests left waiting (APPROVAL_REMINDER_HOURS)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import or_, select

from portal.extensions import db
from portal.models import ApprovalRequest, ApprovalStatus, Order, Role, User
from portal.services.approvals import gaps as approval_gaps
from portal.services.approvals.words import short_money
from portal.services.messaging import email_link, queue_email


def recipients(req: ApprovalRequest, order: Order) -> list[User]:
    """Who is asked to decide this request now (active users, never the requester)."""
    base = select(User).where(User.company_id == req.company_id, User.disabled.is_(False),
                              User.id != order.placed_by_id)
    if req.approver_user_id is not None:
        found = db.session.scalars(base.where(User.id == req.approver_user_id)).all()
    elif req.approver_role == Role.APPROVER:
        unit_clause = (User.unit_id.is_(None) if req.approver_unit_id is None
                       else User.unit_id == req.approver_unit_id)
        found = db.session.scalars(base.where(User.role == Role.APPROVER, unit_clause)).all()
    else:
        found = []
    if not found:
        found = db.session.scalars(base.where(User.role == Role.COMPANY_ADMIN)).all()
    return list(found)


def detail_link(request_id: int) -> str:
    return email_link("approvals.detail", request_id=request_id)


def notify_approvers(req: ApprovalRequest, order: Order, template: str,
                     now: datetime) -> list[User]:
    """Queue `template` to each person asked to decide `req` (with their own link); returns them."""
    from portal.services.approvals.links import link_for  # links -> decisions -> here

    people = recipients(req, order)
    link = detail_link(req.id)
    for person in people:
        queue_email(template, person.email, person.language or order.company.language or "fr",
                    template, approver=person, order=order, request=req, link=link,
                    direct_link=link_for(req, person, order, now),
                    buyer=order.placed_by, short_money=short_money)
    return people


def send_reminders(now: datetime) -> int:
    """Remind the approvers of requests pending longer than APPROVAL_REMINDER_HOURS.

    A request nobody may decide any more is told to the seller's staff instead. A request
    is reminded again after the same delay. Returns the number of requests
    reminded; the caller commits.
    """
    if not has_request_context():
        with current_app.test_request_context():
            return send_reminders(now)
    cutoff = now - timedelta(hours=current_app.config["APPROVAL_REMINDER_HOURS"])
    rows = db.session.execute(
        select(ApprovalRequest, Order).join(Order, Order.id == ApprovalRequest.order_id)
        .where(ApprovalRequest.status == ApprovalStatus.PENDING,
               ApprovalRequest.created_at <= cutoff,
               or_(ApprovalRequest.reminded_at.is_(None), ApprovalRequest.reminded_at <= cutoff))
        .order_by(ApprovalRequest.id)
        .with_for_update(of=ApprovalRequest, skip_locked=True)
    ).all()
    for req, order in rows:
        if not notify_approvers(req, order, "approval_reminder", now):
            # Its last possible approver left after it was routed: the seller's staff call.
            approval_gaps.alert_staff(req, order)
        req.reminded_at = now
    return len(rows)
