"""Deciding approval requests: who may, what waits for whom, approve, reject, trim, bulk.

Every decision first locks the order row (so deciders of one order queue up), then claims
the request with a conditional update (`... WHERE id = :id AND status = 'pending'`): of two
approvers tapping at once exactly one wins, the other gets `AlreadyDecided` and nothing
changes. Use cases change the session; the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from portal.extensions import db
from portal.formatting import format_datetime
from portal.models import (
    ApprovalRequest,
    ApprovalStatus,
    Order,
    OrderLine,
    OrderStatus,
    Product,
)
from portal.services import DomainError, NotFound, contracts, credit, delivery, orders
from portal.services.accounts import record
from portal.services.approvals import routing as approval
from portal.services.approvals import trim as trim_rules
from portal.services.approvals.inbox import find_for_decider, may_decide  # noqa: F401
from portal.services.messaging import queue_email
from portal.services.orders import line_name
from portal.services.selling import retaxed
from portal.services.text import clean_text


class Conflict(DomainError):
    """The request or the order changed under the user's feet (HTTP 409)."""

    status = 409


class AlreadyDecided(Conflict):
    pass


# -- deciding ----------------------------------------------------------------------------------

def _lock_order(req: ApprovalRequest) -> Order:
    order = db.session.scalars(
        select(Order).where(Order.id == req.order_id).with_for_update()
        .execution_options(populate_existing=True)).one()
    db.session.refresh(req)
    return order


def already_decided_message(req: ApprovalRequest) -> str:
    if req.status in (ApprovalStatus.APPROVED, ApprovalStatus.REJECTED) and req.decided_by:
        return _("Already decided by %(name)s at %(time)s.", name=req.decided_by.name,
                 time=format_datetime(req.decided_at))
    return _("This request no longer waits for a decision.")


def _claim(req: ApprovalRequest, user, status: ApprovalStatus, now: datetime, comment: str = "",
           content_version: int | None = None) -> None:
    # A conditional update, which the clean-text listener does not see: cleaned here.
    values = {"status": status, "decided_by_id": user.id, "decided_at": now,
              "comment": clean_text(comment)}
    if content_version is not None:
        values["content_version"] = content_version
    claimed = db.session.execute(
        update(ApprovalRequest)
        .where(ApprovalRequest.id == req.id, ApprovalRequest.status == ApprovalStatus.PENDING)
        .values(**values).execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(req)
    if claimed != 1:
        raise AlreadyDecided(already_decided_message(req))


def _start(user, req: ApprovalRequest) -> Order:
    order = _lock_order(req)
    if req.status != ApprovalStatus.PENDING:
        raise AlreadyDecided(already_decided_message(req))
    if order.status != OrderStatus.PENDING_APPROVAL:
        raise Conflict(_("This order no longer waits for approval."))
    return order


def _event(order: Order, user, now: datetime, code: str, params: dict | None = None,
           kind: str = "approval", status: OrderStatus | None = None) -> None:
    db.session.add(orders.new_event(order.id, code, params, kind=kind, status=status,
                                          actor_id=user.id, at=now))


def _lang(order: Order) -> str:
    return order.company.language or "fr"


def _advance(order: Order, user, now: datetime) -> ApprovalRequest | None:
    """After an approval: the next step goes pending (and is notified), or the order is in."""
    current = db.session.scalars(
        select(ApprovalRequest)
        .where(ApprovalRequest.order_id == order.id,
               ApprovalRequest.content_version == order.content_version,
               ApprovalRequest.status.in_((ApprovalStatus.WAITING, ApprovalStatus.PENDING,
                                           ApprovalStatus.APPROVED)))
        .order_by(ApprovalRequest.step, ApprovalRequest.id)).all()
    if any(r.status == ApprovalStatus.PENDING for r in current):
        return None
    following = next((r for r in current if r.status == ApprovalStatus.WAITING), None)
    if following is None:
        order.status = OrderStatus.SUBMITTED
        _event(order, user, now, "approvals_done", kind="status", status=OrderStatus.SUBMITTED)
        # Approval first, then credit (services/credit): the approved order may still wait.
        credit.after_approval(order, user, now)
        return None
    following.status = ApprovalStatus.PENDING
    # The age shown to an approver, and the reminders, count from when it reached them.
    following.created_at = now
    following.reminded_at = None
    db.session.flush()
    people = approval.notify_approvers(following, order, "approval_needed", now)
    _event(order, user, now, "approval_waiting",
           {"who": {"names": ", ".join(p.name for p in people), "role": None}})
    return following


def _tell_buyer(order: Order, decider, decision: str, comment: str = "", changes=()) -> None:
    buyer = order.placed_by
    language = buyer.language or _lang(order)
    with force_locale(language):
        words = [orders.describe(code, params) for code, params in changes]
    queue_email(f"approval_{decision}", buyer.email,
                language, "approval_decided", buyer=buyer, order=order,
                decider=decider, decision=decision, comment=comment, changes=words,
                waiting_more=order.status == OrderStatus.PENDING_APPROVAL,
                money=approval.short_money)


def approve(user, req: ApprovalRequest, now: datetime, comment: str = "") -> Order:
    order = _start(user, req)
    contracts.approval_check(order, order.subtotal_cents)  # a public order: its ceiling
    _claim(req, user, ApprovalStatus.APPROVED, now, comment.strip()[:2000])
    _event(order, user, now, "step_approved",
           {"step": req.step, "who": user.name, "comment": comment.strip()[:2000]})
    record(user, "approval.approve", req, {"order": order.number, "step": req.step,
                                           "comment": comment.strip()[:2000]})
    _advance(order, user, now)
    _tell_buyer(order, user, "approved", comment.strip())
    return order


def reject(user, req: ApprovalRequest, comment: str, now: datetime) -> Order:
    comment = clean_text(comment)
    if not comment:
        raise DomainError(_("Say why you reject this order: the buyer will read it."))
    order = _start(user, req)
    _claim(req, user, ApprovalStatus.REJECTED, now, comment[:2000])
    db.session.execute(
        update(ApprovalRequest)
        .where(ApprovalRequest.order_id == order.id,
               ApprovalRequest.status == ApprovalStatus.WAITING)
        .values(status=ApprovalStatus.SUPERSEDED).execution_options(synchronize_session=False))
    order.status = OrderStatus.REJECTED
    delivery.release_order(order)
    _event(order, user, now, "rejected", {"who": user.name, "comment": comment[:2000]},
           status=OrderStatus.REJECTED)
    record(user, "approval.reject", req, {"order": order.number, "step": req.step,
                                          "comment": comment[:2000]})
    _tell_buyer(order, user, "rejected", comment)
    return order


@dataclass(frozen=True)
class BulkResult:
    approved: tuple[str, ...]
    refused: tuple[str, ...]  # messages, one per request that could not be approved


def bulk_approve(user, request_ids, now: datetime) -> BulkResult:
    """Approve several requests; those already decided are reported, the others approved.

    Every id must be one this user may decide, or nothing happens (the caller answers 404).
    """
    found = [find_for_decider(user, rid) for rid in request_ids]
    if not found or any(req is None for req in found):
        raise NotFound()  # one the user may not decide: a 404, like each one alone
    approved, refused = [], []
    for req in found:
        order = _lock_order(req)
        if req.status != ApprovalStatus.PENDING:
            refused.append(f"{order.number}: {already_decided_message(req)}")
        elif order.status != OrderStatus.PENDING_APPROVAL:
            refused.append(f"{order.number}: " + _("This order no longer waits for approval."))
        else:
            try:
                approve(user, req, now)
            except contracts.CeilingReached as refusal:  # refused before anything changed
                refused.append(f"{order.number}: {refusal}")
                continue
            approved.append(order.number)
    return BulkResult(tuple(approved), tuple(refused))


def trim_and_approve(user, req: ApprovalRequest, requested: dict[int, int], now: datetime,
                     comment: str = "") -> list[str]:
    """Lower or remove lines, then approve the new content; earlier approvals are re-asked.

    Totals come from the lines' frozen unit prices. Returns the changes in words.
    """
    order = _start(user, req)
    rows = db.session.execute(
        select(OrderLine, Product.order_multiple).join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id).order_by(OrderLine.position, OrderLine.id)).all()
    changes, problem = trim_rules.plan_trim(
        [trim_rules.TrimLine(line.id, line.quantity, multiple or 1) for line, multiple in rows],
        requested)
    if problem:
        found = {line.id: (line, multiple or 1) for line, multiple in rows}
        raise DomainError(_trim_error(problem, *found.get(problem.line_id, (None, 1))))
    lines = {line.id: line for line, _m in rows}
    contracts.approval_check(order, order.subtotal_cents - sum(
        lines[c.line_id].unit_price_cents * (c.old - c.new) for c in changes))
    new_version = order.content_version + 1
    _claim(req, user, ApprovalStatus.APPROVED, now, comment.strip()[:2000], new_version)
    changed = _apply_trim(order, lines, changes, user, now)
    _reopen(order, req, new_version, now)
    record(user, "approval.trim", req, {
        "order": order.number, "step": req.step, "comment": comment.strip()[:2000],
        "changes": [{"sku": lines[c.line_id].sku, "from": c.old, "to": c.new} for c in changes]})
    _advance(order, user, now)
    _tell_buyer(order, user, "trimmed", comment.strip(), changed)
    return [orders.describe(code, params) for code, params in changed]


def _trim_error(problem, line: OrderLine | None = None, multiple: int = 1) -> str:
    """What is wrong, naming the line it is about (the approver may have edited several)."""
    if line is not None and problem.code == "more":
        return _("%(sku)s %(name)s: you can lower the quantity (%(qty)s ordered), not raise it.",
                 sku=line.sku, name=line_name(line), qty=line.quantity)
    if line is not None and problem.code == "multiple":
        return _("%(sku)s %(name)s: the quantity must be a multiple of %(step)s (its selling "
                 "unit); 0 removes the line.", sku=line.sku, name=line_name(line), step=multiple)
    return {
        "unknown": _("This line is not part of the order."),
        "more": _("You can lower a quantity, not raise it."),
        "multiple": _("A quantity must be a multiple of the product's selling unit."),
        "empty": _("To remove every line, reject the order."),
        "unchanged": _("You changed no quantity. Use Approve instead."),
    }[problem.code]


def approve_as_shown(user, req: ApprovalRequest, requested: dict[int, int], now: datetime,
                     comment: str = "", seen_version: int | None = None) -> list[str]:
    """Approve what the approver sees on the page: quantities typed there that differ from
    the order are applied (a trim), otherwise the order is approved as it is.

    `seen_version` is the content version the page showed; if the order changed since, the
    decision is refused rather than taken on content the approver has not seen. Returns
    the changes in words (empty: approved unchanged).
    """
    order = db.session.get(Order, req.order_id)
    if seen_version is not None and order.content_version != seen_version:
        raise Conflict(_("The order changed since you opened it: check it again below."))
    current = [trim_rules.TrimLine(line.id, line.quantity) for line in order.lines]
    if trim_rules.is_unchanged(current, requested):
        approve(user, req, now, comment)
        return []
    return trim_and_approve(user, req, requested, now, comment)


def _apply_trim(order: Order, lines: dict, changes, user,
                now: datetime) -> list[tuple[str, dict]]:
    """Apply the changes; returns them as event codes and parameters (said when read)."""
    done = []
    before = [(line.tax_rate_bp, line.line_total_cents) for line in order.lines]
    for change in changes:
        line = lines[change.line_id]
        params = {"sku": line.sku, "name": line.name, "name_en": line.name_en,
                  "who": user.name, "old": change.old}
        if change.new == 0:
            code = "line_removed"
            order.lines.remove(line)
        else:
            code, params["new"] = "line_changed", change.new
            line.quantity = change.new
            line.line_total_cents = line.unit_price_cents * change.new
        _event(order, user, now, code, params, kind="trim")
        done.append((code, params))
    db.session.flush()
    delivery.fit_order(order)
    order.subtotal_cents = sum(line.line_total_cents for line in order.lines)
    # Each line keeps the rate it froze; the VAT is recomputed by the one rounding rule.
    order.tax_cents = retaxed(before, order.tax_cents,
                              [(line.tax_rate_bp, line.line_total_cents) for line in order.lines])
    order.total_cents = order.subtotal_cents + order.tax_cents
    return done


def _reopen(order: Order, kept: ApprovalRequest, new_version: int, now: datetime) -> None:
    """The content changed: approvals of the old content are superseded and asked again.

    The trimming approver's own approval is already bound to the new version.
    """
    order.content_version = new_version
    older = db.session.scalars(
        select(ApprovalRequest).where(ApprovalRequest.order_id == order.id,
                                      ApprovalRequest.id != kept.id,
                                      ApprovalRequest.content_version < new_version)).all()
    for old in older:
        if old.status == ApprovalStatus.WAITING:
            old.content_version = new_version
        elif old.status == ApprovalStatus.APPROVED:
            old.status = ApprovalStatus.SUPERSEDED
            db.session.add(ApprovalRequest(
                order_id=order.id, company_id=order.company_id, step=old.step,
                rule_id=old.rule_id, approver_role=old.approver_role,
                approver_unit_id=old.approver_unit_id, approver_user_id=old.approver_user_id,
                reason=old.reason, reason_data=old.reason_data, status=ApprovalStatus.WAITING,
                content_version=new_version,
                created_at=now))
    db.session.flush()

