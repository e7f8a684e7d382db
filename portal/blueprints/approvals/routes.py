"""The approvals inbox and decisions: approve, reject with a comment, trim and approve, bulk.

Each action is a real form (post -> 303 -> get); from the inbox, htmx swaps the refreshed
inbox in place. A request the user may not decide is a 404 on every path; a decision that
lost the race answers 409 with who decided it and when.
"""

from datetime import UTC, datetime

from flask import abort, flash, redirect, request, url_for
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.approvals import bp, cards  # noqa: F401  (cards: the home card)
from portal.extensions import db
from portal.models import ApprovalRequest, OrderLine, Role
from portal.rendering import render, wants_fragment
from portal.services import DomainError, approval_inbox, approval_trim, decisions

DECIDERS = (Role.APPROVER, Role.COMPANY_ADMIN)
MAX_BULK = 100


def _now() -> datetime:
    return datetime.now(UTC)


def _age(moment: datetime) -> str:
    """"3 hours ago" in the reader's language."""
    return format_timedelta(moment - _now(), threshold=1.1, add_direction=True)


def _request_or_404(request_id: int) -> ApprovalRequest:
    req = approval_inbox.find_for_decider(current_user, request_id)
    if req is None:
        abort(404)
    return req


def _inbox(message: str = "", error: str = "", status: int = 200):
    return render("approvals/inbox.html", block="inbox", status_code=status,
                  items=approval_inbox.inbox(current_user), age=_age, message=message, error=error)


def _detail(req: ApprovalRequest, error: str = "", status: int = 200, typed=None):
    return render("approvals/detail.html", status_code=status, req=req, age=_age, error=error,
                  typed=typed or {}, **approval_inbox.detail_facts(req))


def _from_inbox() -> bool:
    return request.form.get("from") == "inbox"


def _decide(req: ApprovalRequest, action, success: str, typed=None):
    """Run one decision in one transaction, and answer for the page it came from."""
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        status = 409 if isinstance(exc, decisions.Conflict) else 422
        if _from_inbox():
            return _inbox(error=str(exc), status=status)
        return _detail(req, str(exc), status, typed)
    db.session.commit()
    if _from_inbox() and wants_fragment():
        return _inbox(message=success)
    flash(success, "success")
    return redirect(url_for("approvals.index"), 303)


@bp.get("/")
@allow(*DECIDERS)
def index():
    return render("approvals/inbox.html", block="inbox", items=approval_inbox.inbox(current_user),
                  age=_age, message="", error="")


@bp.get("/<int:request_id>")
@allow(*DECIDERS)
def detail(request_id: int):
    return _detail(_request_or_404(request_id))


@bp.post("/<int:request_id>/approve")
@allow(*DECIDERS)
def approve(request_id: int):
    req = _request_or_404(request_id)
    comment = request.form.get("comment", "")
    return _decide(req, lambda: decisions.approve(current_user, req, _now(), comment),
                   _("Order approved."))


@bp.post("/<int:request_id>/reject")
@allow(*DECIDERS)
def reject(request_id: int):
    req = _request_or_404(request_id)
    comment = request.form.get("comment", "")
    return _decide(req, lambda: decisions.reject(current_user, req, comment, _now()),
                   _("Order rejected. The buyer is told why."), typed={"comment": comment})


@bp.post("/<int:request_id>/trim")
@allow(*DECIDERS)
def trim(request_id: int):
    req = _request_or_404(request_id)
    typed = {key: value for key, value in request.form.items() if key.startswith("qty-")}
    requested, bad = _trim_quantities(req)
    if bad:
        return _detail(req, _("Enter whole quantities in digits; 0 removes the line."), 422,
                       typed)
    comment = request.form.get("comment", "")
    return _decide(req, lambda: decisions.trim_and_approve(current_user, req, requested,
                                                          _now(), comment),
                   _("Order approved with your changes. The buyer is told."), typed=typed)


def _trim_quantities(req: ApprovalRequest) -> tuple[dict[int, int], bool]:
    """Typed quantities by line id (`qty-<id>`; a ticked `remove-<id>` means 0)."""
    line_ids = set(db.session.scalars(
        db.select(OrderLine.id).where(OrderLine.order_id == req.order_id)))
    requested: dict[int, int] = {}
    for line_id in line_ids:
        raw = request.form.get(f"qty-{line_id}")
        if request.form.get(f"remove-{line_id}"):
            requested[line_id] = 0
        elif raw is not None:
            value = approval_trim.parse_trim_quantity(raw)
            if value is None:
                return {}, True
            requested[line_id] = value
    return requested, False


@bp.post("/bulk")
@allow(*DECIDERS)
def bulk():
    raw_ids = request.form.getlist("request_id")
    if not raw_ids or len(raw_ids) > MAX_BULK:
        return _bulk_error(_("Select the orders to approve (up to %(n)s).", n=MAX_BULK))
    if not all(r.isascii() and r.isdigit() and len(r) < 10 for r in raw_ids):
        abort(404)
    try:
        result = decisions.bulk_approve(current_user, [int(r) for r in dict.fromkeys(raw_ids)],
                                        _now())
    except LookupError:
        db.session.rollback()
        abort(404)
    except DomainError as exc:
        db.session.rollback()
        return _inbox(error=str(exc), status=409)
    db.session.commit()
    message = ngettext("%(num)s order approved.", "%(num)s orders approved.",
                       len(result.approved))
    if wants_fragment():
        return _inbox(message=message, error=" ".join(result.refused))
    flash(message, "success")
    for refused in result.refused:
        flash(refused, "error")
    return redirect(url_for("approvals.index"), 303)


def _bulk_error(text: str):
    return _inbox(error=text, status=422)
