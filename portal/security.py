"""Sign-in plumbing and response headers: session versions, idle timeouts, CSP, no-store."""

import time

from flask import current_app, request, session
from flask_login import current_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.extensions import db, limiter, login_manager
from portal.models import User

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@login_manager.user_loader
def load_user(session_id: str):
    """The session id is "<user id>:<session version>": a bumped version ends the session."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.disabled or user.session_version != int(version):
        return None
    if user.company_id is not None and user.company is None:
        return None
    from portal.logs import bind_user

    bind_user(user)  # the request's log lines name the account, even after a rollback
    return user


def retry_after_seconds() -> int:
    """Seconds until the rate limit that refused this request lets it through again."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


def end_all_sessions(user: User) -> None:
    """Sign-out everywhere: every session cookie carrying the old version stops working."""
    user.session_version += 1


def _idle_limit_seconds(user) -> int:
    cfg = current_app.config
    if user.is_staff:
        return cfg["STAFF_SESSION_MINUTES"] * 60
    return cfg["BUYER_SESSION_HOURS"] * 3600


def _enforce_idle_timeout():
    if not current_user.is_authenticated:
        return
    now = int(time.time())
    seen = session.get("seen", now)
    if now - seen > _idle_limit_seconds(current_user):
        logout_user()
        session.clear()
        return
    session["seen"] = now


def _set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages of signed-in users carry prices and orders: never stored by any cache.
    if current_user and current_user.is_authenticated and not request.path.startswith("/static"):
        headers["Cache-Control"] = "no-store"
    return response


class HeadAsGet:
    """WSGI middleware: a HEAD reaches the app as a GET and leaves without its body.

    Flask answers HEAD with the GET view but keeps `request.method == "HEAD"`, so a view that
    branches on "GET" treats a HEAD as the confirmed action (a HEAD needs no CSRF token and a
    cross-site fetch can send one). Here no view can tell them apart: a HEAD only ever
    does what a GET does.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "HEAD":
            return self.wsgi_app(environ, start_response)
        # A copy: the server keeps its own view of the request (a HEAD, sent without body).
        return _Discarded(self.wsgi_app({**environ, "REQUEST_METHOD": "GET"}, start_response))


class _Discarded:
    """A response body read to its end and thrown away, as the server reads a GET's (a
    streamed body holds the request context until it ends), then closed."""

    def __init__(self, body):
        self.body = body

    def __iter__(self):
        for _chunk in self.body:
            pass
        return iter(())

    def close(self):
        close = getattr(self.body, "close", None)
        if close is not None:
            close()


def init_app(app):
    from portal.services.text import watch_free_text_fields

    watch_free_text_fields()
    app.wsgi_app = HeadAsGet(app.wsgi_app)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.before_request(_enforce_idle_timeout)
    app.after_request(_set_headers)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # session versions do the revoking
