"""The approval email's link: one decision on one order, without the password.

The token in the path is the only credential: it opens this page and its two decision
forms, nothing else, and signs nobody in (no other page opens with it). Refusals (tampered,
expired, used, order changed, approver signed out or disabled) say so plainly and offer a
normal sign-in; refused attempts count against the sign-in's rate limits, per address and
per request.
"""

from datetime import UTC, datetime

from flask import current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from portal.access import PUBLIC, allow
from portal.blueprints.approvals import bp
from portal.blueprints.approvals.routes import _age, _approved_message, _trim_quantities, _typed
from portal.extensions import limiter
from portal.rendering import render
from portal.services import approvals
from portal.usecases import run

LINK = "/<int:request_id>/link/<token>"
DONE = "approval_link_done"  # in the session cookie: what the last decision here did


def _now() -> datetime:
    return datetime.now(UTC)


def _refused_attempt(response) -> bool:
    return response.status_code in (404, 410)


def _request_key() -> str:
    return f"approval-link:{request.view_args.get('request_id')}"


def _limited(view):
    """The sign-in's limits, counting only refused links: LOGIN_RATE_LIMIT per address, and
    ACCOUNT_LOGIN_RATE_LIMIT per request (a guesser spread over many addresses)."""
    view = limiter.limit(lambda: current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"],
                         key_func=_request_key, deduct_when=_refused_attempt)(view)
    return limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"],
                         key_func=get_remote_address, deduct_when=_refused_attempt)(view)


def _private(response):
    """The page shows an order to whoever holds the link: no cache keeps it, and the token
    in the address never leaves in a Referer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _urls(request_id: int, token: str) -> dict:
    return {"approve_url": url_for("approvals.link_approve", request_id=request_id, token=token),
            "reject_url": url_for("approvals.link_reject", request_id=request_id, token=token)}


def _page(check, token: str, error: str = "", status: int = 200, typed=None):
    req = check.request
    return _private(render("approvals/detail.html", status_code=status, req=req, age=_age,
                           error=error, typed=typed or {}, via_link=True,
                           **_urls(req.id, token), **approvals.detail_facts(req)))


def _closed_page(heading: str, text: str, status: int, request_id: int | None = None,
                 done: str = ""):
    """A link that opens nothing (or no more): why, and the way in with a password."""
    target = (url_for("approvals.detail", request_id=request_id) if request_id
              else url_for("approvals.index"))
    return _private(render("approvals/link_closed.html", status_code=status, heading=heading,
                           text=text, done=done,
                           status_role="alert" if status >= 400 else None,
                           sign_in=url_for("auth.login", next=target)))


def _refused(check):
    invalid = check.problem == "invalid"
    return _closed_page(_("This link does not open the approval"), approvals.refusal_text(check),
                        404 if invalid else 410,
                        None if invalid else check.request.id)


@bp.get(LINK)
@allow(PUBLIC)
@_limited
def link(request_id: int, token: str):
    check = approvals.check_link(request_id, token, _now())
    done = session.pop(DONE, None)
    if check.problem == "used" and isinstance(done, dict) and done.get("r") == request_id:
        # Just decided in this browser (post -> 303 -> here): say what was done, once.
        return _closed_page(_("Decision recorded"), _("This link is now used. Sign in to see "
                                                     "your other approvals."), 200,
                            done=str(done.get("m", "")))
    if not check.ok:
        return _refused(check)
    return _page(check, token)


def _decided(request_id: int, token: str, message: str):
    """Post -> 303 -> the link again, which says what was done; a reload then says the link
    is used. No other page of the portal: the link signs nobody in."""
    session[DONE] = {"r": request_id, "m": message}
    return redirect(url_for("approvals.link", request_id=request_id, token=token), 303)


def _on_refusal(request_id: int, token: str, typed: dict):
    """A refused decision: the link's own refusal page, or the approval again with why."""
    def answer(problem):
        if isinstance(problem, approvals.LinkRefused):
            return _refused(problem.check)
        check = approvals.check_link(request_id, token, _now())
        if not check.ok:
            return _refused(check)
        return _page(check, token, str(problem), problem.status, typed)
    return answer


@bp.post(LINK + "/approve")
@allow(PUBLIC)
@_limited
def link_approve(request_id: int, token: str):
    """Approve what the page shows (lowered quantities are a trim), as the normal page does."""
    check = approvals.check_link(request_id, token, _now())
    if not check.ok:
        return _refused(check)
    typed = _typed(check.request)
    requested, bad = _trim_quantities(check.request)
    if bad:
        return _page(check, token, bad, 422, typed)
    version = request.form.get("version", "")
    seen = int(version) if version.isascii() and version.isdigit() and len(version) < 9 else None
    comment = request.form.get("comment", "")
    return run(lambda: approvals.approve_by_link(request_id, token, requested, _now(), comment,
                                                 seen),
               refused=_on_refusal(request_id, token, typed),
               done=lambda changes: _decided(request_id, token,
                                                    _approved_message(changes)))


@bp.post(LINK + "/reject")
@allow(PUBLIC)
@_limited
def link_reject(request_id: int, token: str):
    check = approvals.check_link(request_id, token, _now())
    if not check.ok:
        return _refused(check)
    comment = request.form.get("comment", "")
    return run(lambda: approvals.reject_by_link(request_id, token, comment, _now()),
               refused=_on_refusal(request_id, token, _typed(check.request)),
               done=lambda _order: _decided(request_id, token,
                                            _("Order rejected. The buyer is told why.")))
