"""Approval steps that nobody can decide: refused at submit, surfaced to staff when old.

The requester never approves their own order, so a step can resolve to nobody: a sole
company admin's own order under a "company admin" step, or a company left without an active
admin. Such an order is refused when it is routed, with the reason and the way out, and the
cart says the same beforehand (both ask `refusal` on the same routed steps).

Why a refusal, not the seller's staff or an automatic pass: an approval rule is the customer's
own four-eyes control over its spending. There is no step above a company admin; the seller
profits from the order and knows nothing of the customer's budgets, so it cannot stand in as
the approver; and letting the order through would void the rule for the one person it
binds. The admin who meets the refusal is the one who can lift it (add a second admin, or
change the rule), and nothing is lost: the cart stays as it is.

Orders already waiting when their last possible approver left (disabled, role changed)
cannot be refused any more: the reminders command tells the seller's staff about them
(`alert_staff`), so someone calls the customer instead of the order waiting for ever.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from portal.extensions import db
from portal.models import ApprovalRequest, Order, RepAssignment, Role, User
from portal.services import DomainError
from portal.services.approvals.rules import RoutedStep
from portal.services.messaging import email_link, queue_email


class NobodyToApprove(DomainError):
    """A step of this order would have nobody to decide it; the message says what to do."""

    status = 409  # the order is refused, not parked where nobody can decide it


def refusal(steps: list[RoutedStep], requester: User) -> str:
    """Why an order routed to `steps` cannot be placed, in the requester's words; "" if it can."""
    if all(step.target.user_ids for step in steps):
        return ""
    if requester.role == Role.COMPANY_ADMIN:
        return _("This order needs the approval of another company admin, and you are the only "
                 "one. Add a second company admin or change the approval rule, then place the "
                 "order: your cart is kept.")
    return _("Nobody in your company can approve this order: it has no active company admin. "
             "Please contact us; your cart is kept.")


def staff_to_alert(company_id: int) -> list[User]:
    """The seller's staff admins and the customer's own sales reps, active ones only."""
    reps = select(RepAssignment.rep_id).where(RepAssignment.company_id == company_id)
    return list(db.session.scalars(
        select(User).where(User.company_id.is_(None), User.disabled.is_(False),
                           or_(User.role == Role.STAFF_ADMIN,
                               (User.role == Role.SALES_REP) & User.id.in_(reps)))
        .order_by(User.id)))


def _customer_link(company_id: int) -> str:
    return email_link("staff.customer", company_id=company_id)


def alert_staff(req: ApprovalRequest, order: Order) -> list[User]:
    """Tell the seller's staff that this waiting step has nobody left to decide it."""
    people = staff_to_alert(order.company_id)
    link = _customer_link(order.company_id)
    for person in people:
        queue_email("approval_stuck", person.email, person.language or "fr", "approval_stuck",
                    staff=person, order=order, request=req, company=order.company,
                    buyer=order.placed_by, link=link)
    return people
