"""Error pages that work for full pages and htmx swaps alike.

For an htmx request the answer is a short message swapped into the page's alert region
(HX-Retarget), so a tap never ends in silence; a boosted form that fails on our side (5xx)
gets the same, so the form and what was typed in it stay on screen. A lost login answers
401 + HX-Redirect, an expired CSRF token HX-Refresh, so the browser reloads instead of
swapping a page into a slot.

When the database is unreachable the 503 page is drawn from memory only: no query runs while
it renders (the user's language is kept, the header shows no account facts), and a plain
form's fields come back in a "Send again" form so nothing typed is lost without JavaScript.
"""

import logging
from datetime import UTC, datetime

from flask import g, make_response, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from portal.extensions import db, limiter, login_manager
from portal.rendering import render, wants_fragment
from portal.services import NotAllowed, NotFound

log = logging.getLogger("portal.errors")


# Kept untranslated until one is shown: a page translates only its own title.
_TITLES = {
    400: _l("This request could not be understood."),
    401: _l("Please sign in."),
    403: _l("You are not allowed to do this."),
    404: _l("This page does not exist, or you cannot see it."),
    405: _l("This action is not available here."),
    409: _l("This was changed by someone else. Reload and try again."),
    413: _l("What you sent is too large."),
    422: _l("Some of what you entered needs a fix."),
    429: _l("Too many attempts."),
    500: _l("Something went wrong on our side."),
    503: _l("The portal is briefly unavailable."),
}


def error_response(code: int, detail: str = "", headers: dict | None = None,
                   template: str = "errors/error.html", **extra):
    title = str(_TITLES.get(code, _TITLES[500]))
    context = {"code": code, "title": title, "detail": detail, "request_id": g.get("request_id"),
               **extra}
    # A swap of part of the page (boosted cart lines too) gets the alert; so does a boosted
    # form post that failed on our side, whose page keeps what was typed.
    htmx = getattr(request, "htmx", None)
    if wants_fragment() or (htmx and request.method != "GET" and code >= 500):
        response = make_response(render_block("errors/error.html", "alert", **context), code)
        response.headers.add("Vary", "HX-Request")
        response.headers["HX-Retarget"] = "#alerts"
        # Scrolled into view: a tap low on a long page must not fail out of sight.
        response.headers["HX-Reswap"] = "innerHTML show:window:top"
    else:
        response = render(template, status_code=code, **context)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _http_error(e: HTTPException):
    if isinstance(e, InternalServerError):
        return _server_error(e)
    return error_response(e.code or 500, headers=dict(e.get_headers()) if e.code == 405 else None)


def _not_found(e: NotFound):
    """A use case met an id that is not this user's (services never raise werkzeug's)."""
    db.session.rollback()
    return error_response(404)


def _not_allowed(e: NotAllowed):
    db.session.rollback()
    return error_response(403)


def _csrf_error(e: CSRFError):
    htmx = getattr(request, "htmx", None)
    if htmx:
        response = error_response(400, _("Your page had expired; it has been reloaded."))
        response.headers["HX-Refresh"] = "true"
        return response
    return error_response(400, _("This form had expired. Please try again."))


def _rate_limited(e):
    retry = ""
    seconds = 60
    current = limiter.current_limit
    if current is not None:
        seconds = max(1, int(current.reset_at - datetime.now(UTC).timestamp()))
    minutes = max(1, round(seconds / 60))
    retry = ngettext("Please try again in %(num)s minute.", "Please try again in %(num)s minutes.",
                     minutes)
    return error_response(429, retry, headers={"Retry-After": str(seconds)})


def _server_error(e):
    db.session.rollback()
    log.exception("request %s failed", g.get("request_id"))
    return error_response(500, _("Please try again. Quote this reference if it persists."))


def _database_down(e):
    log.warning("database unavailable during request %s: %s", g.get("request_id"), e)
    _forget_the_database()
    return error_response(
        503, _("Nothing was lost. Please try again in a moment."),
        headers={"Retry-After": "10", "Cache-Control": "no-store"},
        template="errors/unavailable.html", resend=_fields_to_resend(),
    )


def _forget_the_database() -> None:
    """Let the error page render without a query: any query now fails again, and a failure
    while rendering an error page would end in the server's bare 500."""
    try:
        get_locale()  # chosen (and kept for this request) while the user is still in memory
    except SQLAlchemyError:
        pass  # the user could not be loaded: the session's or the browser's language
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass
    g._login_user = login_manager.anonymous_user()


def _fields_to_resend() -> list[tuple[str, str]]:
    """A plain form's fields, to send again from the 503 page (never files nor passwords)."""
    if request.method != "POST" or getattr(request, "htmx", None) or request.files:
        return []
    fields = list(request.form.items(multi=True))
    if any("password" in name for name, _value in fields):
        return []  # typed again rather than written into a page
    return fields


def _service_unavailable(e):
    return error_response(503, headers={"Retry-After": "10"})


def _unauthorized():
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    htmx = getattr(request, "htmx", None)
    if htmx:
        response = error_response(401)
        response.headers["HX-Redirect"] = target
        return response
    from flask import redirect

    return redirect(target)


def init_app(app):
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(NotAllowed, _not_allowed)
    app.register_error_handler(429, _rate_limited)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(ServiceUnavailable, _service_unavailable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)
    login_manager.unauthorized_handler(_unauthorized)
