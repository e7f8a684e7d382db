"""Storefronts on a path of a shared host (README "Storefronts"): WSGI middleware.

A request for `<host>/direct/...` where a storefront has the prefix "/direct" on that host
(services/storefronts/paths.py) reaches the portal as if it were mounted there: SCRIPT_NAME
gains "/direct" and PATH_INFO loses it, so url_for, redirects, htmx and bundle URLs and
e-mail links carry the prefix by themselves. The storefront found is handed to the request
(`web.current_front`), which does not look for it again.

Its cookies are its own: every cookie the portal sets there (the session, which holds the
CSRF token, Flask-Login's remember cookie, the known-device cookie) leaves with the
storefront's name suffixed ("session-direct") and its path under the prefix, and only those
come back in, renamed: the trade portal's cookies of the same host ("session", path "/"),
which browsers send to /direct too, are never read there, and neither side's sign-in
overwrites the other's. Flask's own `SessionInterface.get_cookie_path` reads the app's
config (SESSION_COOKIE_PATH, APPLICATION_ROOT), not the request, and Flask-Login reads its
REMEMBER_COOKIE_* settings the same way: hence here, one place for all of them.

The storefronts come from the process's memory (one stat of the stamp file; a query only
when the copy is stale). If they cannot be read (the database is down) the last ones known
are used and the request goes on, so the probes and the outage page still answer.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from portal.services import storefronts

log = logging.getLogger("portal")

MOUNTED = "portal.storefront"  # environ key: the storefront (None: closed) of a mounted request


class Mounts:
    def __init__(self, app, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app
        self._known: tuple = ()
        self._any_prefix = (None, False)  # (the fronts tuple it was computed for, answer)

    def _fronts(self) -> tuple:
        try:
            self._known = storefronts.fronts_of(self.app)
        except SQLAlchemyError:
            log.warning("storefronts unreadable: paths mounted as last known")
        return self._known

    def __call__(self, environ, start_response):
        fronts = self._fronts()
        if self._any_prefix[0] is not fronts:
            self._any_prefix = (fronts, any(f.path_prefix for f in fronts))
        if not self._any_prefix[1]:
            return self.wsgi_app(environ, start_response)
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        path = environ.get("PATH_INFO", "")
        front = storefronts.mounted(host, path, fronts)
        if front is None:
            return self.wsgi_app(environ, start_response)
        prefix = front.path_prefix
        suffix = "-" + prefix[1:]
        # A copy: the server keeps its own view of the request.
        mounted = {**environ, "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + prefix,
                   "PATH_INFO": path[len(prefix):] or "/",
                   MOUNTED: front if front.active else None}
        cookies = _own_cookies(environ.get("HTTP_COOKIE", ""), suffix)
        if cookies:
            mounted["HTTP_COOKIE"] = cookies
        else:
            mounted.pop("HTTP_COOKIE", None)

        def scoped_start_response(status, headers, exc_info=None):
            headers = [(name, _scoped(value, prefix, suffix))
                       if name.lower() == "set-cookie" else (name, value)
                       for name, value in headers]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(mounted, scoped_start_response)


def _own_cookies(header: str, suffix: str) -> str:
    """The storefront's cookies of a Cookie header, under the names the portal gave them."""
    kept = []
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name.endswith(suffix) and len(name) > len(suffix):
            kept.append(f"{name[:-len(suffix)]}={value}")
    return "; ".join(kept)


def _scoped(header: str, prefix: str, suffix: str) -> str:
    """A Set-Cookie value renamed for the storefront and kept under its prefix."""
    pair, *attributes = header.split(";")
    name, _, value = pair.partition("=")
    kept, path = [], prefix
    for attribute in attributes:
        key, _, given = attribute.strip().partition("=")
        if key.lower() == "path":
            path = prefix + given.rstrip("/") if given.startswith("/") else prefix
        else:
            kept.append(attribute)
    return ";".join([f"{name.strip()}{suffix}={value}", *kept, f" Path={path}"])
