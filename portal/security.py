"""Sign-in plumbing and response headers: session versions, idle timeouts, CSP, no-store."""

import time

from flask import current_app, has_request_context, request, session
from flask_login import AnonymousUserMixin, current_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import identity
from portal.extensions import limiter, login_manager
from portal.models import User
from portal.services.navigation import cart_count_read
from portal.services.selling import stamp_read

# 'wasm-unsafe-eval' lets the barcode reader (our own zxing_reader.wasm) compile: it allows
# WebAssembly only, never eval() or a script from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@login_manager.user_loader
def load_user(session_id: str):
    """The session id is "<user id>:<session version>": a bumped version ends the session.

    Checked against the database on every request (portal/identity.py compares the user's
    rows with those its kept copy was built from): a password change, a sign-out everywhere
    or a disabled account in another worker ends the session at once."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit() or len(user_id) > 9:
        return None
    found = identity.load(int(user_id))
    if found is None:
        return None
    user, cart_lines, stamp = found
    if user.disabled or user.session_version != int(version):
        return None
    if user.company_id is not None and user.company is None:
        return None
    if not _on_its_storefront(user):
        return None  # a session made on another storefront's host is nobody here
    from portal.logs import bind_user

    bind_user(user)  # the request's log lines name the account, even after a rollback
    cart_count_read(user.id, cart_lines or 0)
    stamp_read(stamp)
    return user


def _on_its_storefront(user) -> bool:
    if not has_request_context():
        return True
    from portal.services.storefronts import may_sign_in
    from portal.web import current_front

    front = current_front()
    return front is not None and may_sign_in(user, front)


# Blueprints whose every view carries a rate limit (`limit_blueprint`): the API's, per token.
_LIMITED_BLUEPRINTS: set[str] = set()
# Settings that put a limit on every request (RATELIMIT_IN_MEMORY_FALLBACK: while the store is
# down): with any of them, every request is checked.
_LIMITS_FOR_EVERY_REQUEST = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META",
                             "RATELIMIT_IN_MEMORY_FALLBACK")


def limit_blueprint(bp, limit, key_func) -> None:
    """A rate limit on every view of `bp`, checked before its views run."""
    limiter.limit(limit, key_func=key_func)(bp)
    _LIMITED_BLUEPRINTS.add(bp.name)


def check_limits_where_they_apply(app) -> None:
    """Flask-Limiter's before_request hook looks every request up against every kind of limit:
    0.16 ms of CPU, an eighth of a signed-in /healthz. A view's own limits (`@limiter.limit`:
    sign-in, password reset, applications) are checked by its decorator, and no limit is set
    for every request, so the hook has work only in a blueprint given limits by
    `limit_blueprint`: elsewhere it is skipped. A deployment that sets limits for every
    request keeps the hook on every request. Call once the blueprints are registered."""
    hooks = app.before_request_funcs[None]
    check = limiter._check_request_limit  # the hook Flask-Limiter registered, found in place
    if check not in hooks or any(app.config.get(key) for key in _LIMITS_FOR_EVERY_REQUEST):
        return
    # As registered (a blueprint nested in another is "parent.api" in request.blueprints).
    limited = frozenset(registered for registered, bp in app.blueprints.items()
                        if bp.name in _LIMITED_BLUEPRINTS)

    def check_in_limited_blueprints():
        if request.blueprint is not None and not limited.isdisjoint(request.blueprints):
            return check()
        return None

    hooks[hooks.index(check)] = check_in_limited_blueprints


def retry_after_seconds() -> int:
    """Seconds until the rate limit that refused this request lets it through again."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


def end_all_sessions(user: User) -> None:
    """Sign-out everywhere: every session cookie carrying the old version stops working."""
    user.session_version += 1


SEEN_STEP_SECONDS = 60


def _idle_limit_seconds(user) -> int:
    cfg = current_app.config
    if user.is_staff:
        return cfg["STAFF_SESSION_MINUTES"] * 60
    return cfg["BUYER_SESSION_HOURS"] * 3600


# Stored files and bundles are the same for everyone: no user is loaded for them (no query).
_SHARED_FILES = ("/static/", "/media/")


def _enforce_idle_timeout():
    if request.path.startswith(_SHARED_FILES) or not current_user.is_authenticated:
        return
    now = int(time.time())
    seen = session.get("seen", now)
    if now - seen > _idle_limit_seconds(current_user):
        logout_user()
        session.clear()
        return
    # Written once a minute, not on every request: a changed session is signed and sent back
    # as a new cookie (0.5 ms a request). "seen" lags at most a minute behind, so an idle
    # session ends up to a minute early, never late.
    if "seen" not in session or now - seen >= SEEN_STEP_SECONDS:
        session["seen"] = now


def _set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", current_app.extensions.get("portal.csp", CSP))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages of signed-in users carry prices and orders: never stored by any cache.
    if request.path.startswith(_SHARED_FILES) and response.status_code == 200:
        return response
    if current_user and current_user.is_authenticated:
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


class Visitor(AnonymousUserMixin):
    """Someone not signed in. On a storefront that shows public prices, `company` is its
    visitor terms (the selling policy prices them like a customer); elsewhere None."""

    id = company_id = language = role = None

    @property
    def company(self):
        from portal.services.storefronts import visitor_terms
        from portal.web import current_front

        return visitor_terms(current_front()) if has_request_context() else None


def init_app(app):
    from portal.services.text import watch_free_text_fields

    watch_free_text_fields()
    from portal.mounts import Mounts

    # Storefronts on a path of a host (inside ProxyFix: it reads the forwarded host).
    app.wsgi_app = HeadAsGet(Mounts(app, app.wsgi_app))
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    public_files = app.config.get("STORAGE_PUBLIC_URL", "")
    if public_files:
        # Images served by a CDN or the bucket itself (README "Stored files").
        origin = "/".join(public_files.split("/")[:3])
        app.extensions["portal.csp"] = CSP.replace("img-src 'self'", f"img-src 'self' {origin}")
    app.before_request(_enforce_idle_timeout)
    app.after_request(_set_headers)
    login_manager.login_view = "auth.login"
    login_manager.anonymous_user = Visitor
    login_manager.session_protection = None  # session versions do the revoking
