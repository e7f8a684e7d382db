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
from portal.models import ApprovalRequest, Role
from portal.rendering import render, wants_fragment
from portal.services import approvals
from portal.services.orders import pick_name
from portal.usecases import fragment_or_moved_on, run

DECIDERS = (Role.APPROVER, Role.COMPANY_ADMIN)
MAX_BULK = 100


def _now() -> datetime:
    return datetime.now(UTC)


def _age(moment: datetime) -> str:
    """"3 hours ago" in the reader's language."""
    return format_timedelta(moment - _now(), threshold=1.1, add_direction=True)


def _request_or_404(request_id: int) -> ApprovalRequest:
    req = approvals.find_for_decider(current_user, request_id)
    if req is None:
        abort(404)
    return req


def _inbox(message: str = "", error: str = "", status: int = 200):
    return render("approvals/inbox.html", block="inbox", status_code=status,
                  items=approvals.inbox(current_user), age=_age, message=message, error=error)


def _detail(req: ApprovalRequest, error: str = "", status: int = 200, typed=None):
    return render("approvals/detail.html", status_code=status, req=req, age=_age, error=error,
                  typed=typed or {}, **approvals.detail_facts(req))


def _from_inbox() -> bool:
    return request.form.get("from") == "inbox"


def _decide(req: ApprovalRequest, action, success, typed=None):
    """Run one decision in one transaction, and answer for the page it came from.

    `success(result)` words what was done; a lost race answers 409 (approvals.Conflict)."""
    return run(action,
               refused=lambda problem: _inbox(error=str(problem)) if _from_inbox()
               else _detail(req, str(problem), typed=typed),
               done=lambda result: _decided(success(result)))


def _decided(message: str):
    if _from_inbox():
        return fragment_or_moved_on(lambda: _inbox(message=message), message,
                                    url_for("approvals.index"))
    flash(message, "success")
    return redirect(url_for("approvals.index"), 303)


@bp.get("/")
@allow(*DECIDERS)
def index():
    return render("approvals/inbox.html", block="inbox", items=approvals.inbox(current_user),
                  age=_age, message="", error="")


@bp.get("/<int:request_id>")
@allow(*DECIDERS)
def detail(request_id: int):
    return _detail(_request_or_404(request_id))


@bp.post("/<int:request_id>/approve")
@allow(*DECIDERS)
def approve(request_id: int):
    """Approve what the page shows: quantities edited there are applied, and the answer says so.

    The inbox posts no quantities (it approves the order as listed)."""
    req = _request_or_404(request_id)
    typed = _typed(req)
    requested, bad = _trim_quantities(req)
    if bad:
        return _detail(req, bad, 422, typed)
    comment = request.form.get("comment", "")
    version = request.form.get("version", "")
    seen = int(version) if version.isascii() and version.isdigit() and len(version) < 9 else None
    return _decide(req, lambda: approvals.approve_as_shown(current_user, req, requested, _now(),
                                                          comment, seen),
                   _approved_message, typed=typed)


def _approved_message(changes: list[str]) -> str:
    if not changes:
        return _("Order approved.")
    return _("Order approved with your changes: %(changes)s The buyer is told.",
             changes=" ".join(changes))


def _typed(req: ApprovalRequest) -> dict:
    """What the approver typed, to show it again if the decision is refused."""
    return {key: value for key, value in request.form.items()
            if key.startswith(("qty-", "remove-")) or key == "comment"}


@bp.post("/<int:request_id>/reject")
@allow(*DECIDERS)
def reject(request_id: int):
    req = _request_or_404(request_id)
    comment = request.form.get("comment", "")
    return _decide(req, lambda: approvals.reject(current_user, req, comment, _now()),
                   lambda _result: _("Order rejected. The buyer is told why."),
                   typed=_typed(req))


@bp.post("/<int:request_id>/trim")
@allow(*DECIDERS)
def trim(request_id: int):
    req = _request_or_404(request_id)
    typed = _typed(req)
    requested, bad = _trim_quantities(req)
    if bad:
        return _detail(req, bad, 422, typed)
    comment = request.form.get("comment", "")
    return _decide(req, lambda: approvals.trim_and_approve(current_user, req, requested,
                                                          _now(), comment),
                   lambda _result: _("Order approved with your changes. The buyer is told."),
                   typed=typed)


def _trim_quantities(req: ApprovalRequest) -> tuple[dict[int, int], str]:
    """Typed quantities by line id (`qty-<id>`; a ticked `remove-<id>` means 0), or the
    message naming the first line whose quantity is not a whole number."""
    lines = approvals.trim_lines(req)
    requested: dict[int, int] = {}
    for line_id, sku, name, name_en in lines:
        raw = request.form.get(f"qty-{line_id}")
        if request.form.get(f"remove-{line_id}"):
            requested[line_id] = 0
        elif raw is not None:
            value = approvals.parse_trim_quantity(raw)
            if value is None:
                return {}, _("%(sku)s %(name)s: enter a whole quantity in digits; 0 removes "
                             "the line.", sku=sku, name=pick_name(name, name_en))
            requested[line_id] = value
    return requested, ""


@bp.post("/bulk")
@allow(*DECIDERS)
def bulk():
    raw_ids = request.form.getlist("request_id")
    if not raw_ids or len(raw_ids) > MAX_BULK:
        return _bulk_error(_("Select the orders to approve (up to %(n)s).", n=MAX_BULK))
    if not all(r.isascii() and r.isdigit() and len(r) < 10 for r in raw_ids):
        abort(404)
    ids = [int(r) for r in dict.fromkeys(raw_ids)]
    # Any refusal of the batch is someone else's decision in between: a conflict (409).
    return run(lambda: approvals.bulk_approve(current_user, ids, _now()),
               refused=lambda problem: _inbox(error=str(problem)),
               done=_bulk_done, status=409)


def _bulk_done(result):
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
