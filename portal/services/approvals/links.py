"""One-decision approval links: the approval email's way in without the password.

A link is a signed token (itsdangerous, the app's SECRET_KEY and its fallbacks) naming the
approver, the approval request, a seal of the order's content, the approver's session
version and the moment it expires. Nothing is stored: each property comes from state that
already changes when it must stop working.

- one approver, one request: the token names both, and the approver must still be allowed to
  decide it (`may_decide`: company, role, unit), so it opens nothing else;
- single use: the decision moves the request out of `pending` (a conditional update), so a
  second use finds it decided;
- bound to the content: any change of the order (a trim, a line, the total, the delivery)
  changes the seal;
- revoked with the approver's sessions: disabling the account, signing out everywhere or a
  new password bump the session version the token carries;
- expires after APPROVAL_LINK_HOURS, counted from `now` given by the caller.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature
from sqlalchemy import select

from portal.config import link_serializer
from portal.extensions import db
from portal.models import ApprovalRequest, ApprovalStatus, Order, OrderLine, OrderStatus, User
from portal.services import DomainError
from portal.services.accounts import record
from portal.services.approvals import decisions
from portal.services.approvals.inbox import may_decide
from portal.services.messaging import email_link

SALT = "approval-link"
MAX_TOKEN = 400  # a real token is about 150 characters; longer input is not even decoded

# Why a link does not open, from the most to the least telling for a stranger: "invalid"
# (tampered, another request's id, or signed with a retired key) says nothing about the order.
INVALID, EXPIRED, REVOKED, USED, CHANGED = "invalid", "expired", "revoked", "used", "changed"


class LinkRefused(DomainError):
    """The link no longer allows a decision (HTTP 410, or 404 when it is not ours)."""

    status = 410

    def __init__(self, check: LinkCheck):
        super().__init__(refusal_text(check))
        self.check = check
        if check.problem == INVALID:
            self.status = 404


@dataclass(frozen=True)
class LinkCheck:
    problem: str | None
    request: ApprovalRequest | None = None
    approver: User | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _serializer():
    return link_serializer(current_app.config, SALT)


def content_seal(order: Order) -> str:
    """A fingerprint of what the approver is asked to approve: any change gives another."""
    lines = db.session.execute(
        select(OrderLine.id, OrderLine.product_id, OrderLine.sku, OrderLine.quantity,
               OrderLine.unit_price_cents, OrderLine.line_total_cents, OrderLine.tax_rate_bp,
               OrderLine.note)
        .where(OrderLine.order_id == order.id).order_by(OrderLine.id)).all()
    facts = [order.id, order.content_version, order.currency, order.subtotal_cents,
             order.tax_cents, order.total_cents, order.unit_id, order.jobsite_id, order.ship_to,
             order.po_number, order.notes, str(order.requested_date), str(order.payment_terms),
             [list(line) for line in lines]]
    text = json.dumps(facts, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def issue_token(req: ApprovalRequest, approver: User, order: Order, now: datetime) -> str:
    hours = current_app.config["APPROVAL_LINK_HOURS"]
    expires = int((now + timedelta(hours=hours)).timestamp())
    return _serializer().dumps({"a": approver.id, "r": req.id, "c": content_seal(order),
                                "s": approver.session_version, "e": expires})


def link_for(req: ApprovalRequest, approver: User, order: Order, now: datetime) -> str:
    """The absolute link an email carries, for this approver and this request only."""
    return email_link("approvals.link", request_id=req.id,
                      token=issue_token(req, approver, order, now))


def _payload(token: str) -> dict | None:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None
    try:
        data = _serializer().loads(token)
    except (BadSignature, ValueError, UnicodeError):
        return None
    keys = {"a": int, "r": int, "c": str, "s": int, "e": int}
    if not isinstance(data, dict) or set(data) != set(keys) or not all(
            type(data[k]) is kind for k, kind in keys.items()):
        return None
    return data


def check_link(request_id: int, token: str, now: datetime) -> LinkCheck:
    """Whether this link still allows its one decision, and on what; reads, never writes."""
    data = _payload(token)
    if data is None or data["r"] != request_id:
        return LinkCheck(INVALID)
    req = db.session.get(ApprovalRequest, request_id)
    approver = db.session.get(User, data["a"])
    if req is None or approver is None or approver.company_id != req.company_id:
        return LinkCheck(INVALID)
    if data["e"] <= now.timestamp():
        return LinkCheck(EXPIRED, req, approver)
    if approver.disabled or approver.session_version != data["s"]:
        return LinkCheck(REVOKED, req, approver)
    order = db.session.get(Order, req.order_id)
    if req.status == ApprovalStatus.SUPERSEDED:  # a trim at another step re-asked this one
        return LinkCheck(CHANGED, req, approver)
    if req.status != ApprovalStatus.PENDING or order.status != OrderStatus.PENDING_APPROVAL:
        return LinkCheck(USED, req, approver)
    if not may_decide(approver, req):
        return LinkCheck(REVOKED, req, approver)
    if content_seal(order) != data["c"]:
        return LinkCheck(CHANGED, req, approver)
    return LinkCheck(None, req, approver)


def refusal_text(check: LinkCheck) -> str:
    """Why the link does not open, plainly; what to do instead is on the page."""
    if check.problem == EXPIRED:
        return _("This approval link has expired.")
    if check.problem == REVOKED:
        return _("This approval link no longer works: it stops when you sign out everywhere, "
                 "change your password or when your account changes.")
    if check.problem == USED:
        req = check.request
        decided = decisions.already_decided_message(req)
        if req.decided_by_id == check.approver.id:
            return _("This approval link was already used. %(decided)s", decided=decided)
        return _("This order no longer waits for your decision. %(decided)s", decided=decided)
    if check.problem == CHANGED:
        return _("The order changed since this email was sent: this link no longer works, so "
                 "that you never approve what you have not seen.")
    return _("This approval link is not valid. Check that it was copied whole.")


def _checked(request_id: int, token: str, now: datetime) -> LinkCheck:
    """The link checked, then checked again with the order locked: nothing changes the order
    or the request between this check and the decision."""
    check = check_link(request_id, token, now)
    if check.ok:
        decisions._lock_order(check.request)  # noqa: SLF001 - the package's own lock
        check = check_link(request_id, token, now)
    if not check.ok:
        raise LinkRefused(check)
    record(check.approver, "approval.by_link", check.request, {"step": check.request.step})
    return check


def approve_by_link(request_id: int, token: str, requested: dict[int, int], now: datetime,
                    comment: str = "", seen_version: int | None = None) -> list[str]:
    """Approve (or trim and approve) as the link's approver; returns the changes in words."""
    check = _checked(request_id, token, now)
    return decisions.approve_as_shown(check.approver, check.request, requested, now, comment,
                                      seen_version)


def reject_by_link(request_id: int, token: str, comment: str, now: datetime) -> Order:
    check = _checked(request_id, token, now)
    return decisions.reject(check.approver, check.request, comment, now)
