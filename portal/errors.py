"""Error pages that work for full pages and htmx swaps alike.

For an htmx request the answer is a short message swapped into the page's alert region
(HX-Retarget), so a tap never ends in silence. A lost login answers 401 + HX-Redirect, an
expired CSRF token HX-Refresh, so the browser reloads instead of swapping a page into a slot.
"""

import logging
from datetime import UTC, datetime

from flask import g, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from portal.extensions import db, limiter, login_manager
from portal.rendering import render

log = logging.getLogger("portal.errors")


def _titles():
    return {
        400: _("This request could not be understood."),
        401: _("Please sign in."),
        403: _("You are not allowed to do this."),
        404: _("This page does not exist, or you cannot see it."),
        405: _("This action is not available here."),
        409: _("This was changed by someone else. Reload and try again."),
        413: _("What you sent is too large."),
        422: _("Some of what you entered needs a fix."),
        429: _("Too many attempts."),
        500: _("Something went wrong on our side."),
        503: _("The portal is briefly unavailable."),
    }


def error_response(code: int, detail: str = "", headers: dict | None = None):
    title = _titles().get(code, _titles()[500])
    context = {"code": code, "title": title, "detail": detail, "request_id": g.get("request_id")}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        response = render("errors/error.html", block="alert", status_code=code, **context)
        response.headers["HX-Retarget"] = "#alerts"
        response.headers["HX-Reswap"] = "innerHTML"
    else:
        response = render("errors/error.html", status_code=code, **context)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _http_error(e: HTTPException):
    if isinstance(e, InternalServerError):
        return _server_error(e)
    return error_response(e.code or 500, headers=dict(e.get_headers()) if e.code == 405 else None)


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
    retry = _("Please try again in %(minutes)s minute(s).", minutes=minutes)
    return error_response(429, retry, headers={"Retry-After": str(seconds)})


def _server_error(e):
    db.session.rollback()
    log.exception("request %s failed", g.get("request_id"))
    return error_response(500, _("Please try again. Quote this reference if it persists."))


def _database_down(e):
    db.session.rollback()
    log.warning("database unavailable during request %s: %s", g.get("request_id"), e)
    return error_response(
        503, _("Nothing was lost. Please try again in a moment."), headers={"Retry-After": "10"}
    )


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
    app.register_error_handler(429, _rate_limited)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(ServiceUnavailable, _service_unavailable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)
    login_manager.unauthorized_handler(_unauthorized)
