"""Request-wide helpers: request ids and logs, template globals, HTML compression."""

import gzip
import logging
import secrets

from flask import g, request
from flask_babel import format_date, format_datetime, format_decimal
from flask_login import current_user

from portal.formatting import money

log = logging.getLogger("portal")


def _start_request():
    g.request_id = request.headers.get("X-Request-Id", "")[:64] or secrets.token_hex(8)


def _finish_request(response):
    response.headers["X-Request-Id"] = g.get("request_id", "")
    _compress(response)
    return response


def _compress(response):
    if (
        response.direct_passthrough
        or response.status_code < 200
        or "Content-Encoding" in response.headers
        or not response.mimetype.startswith("text/html")
        or "gzip" not in request.headers.get("Accept-Encoding", "")
    ):
        return
    data = response.get_data()
    if len(data) < 500:
        return
    response.set_data(gzip.compress(data, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    response.headers.add("Vary", "Accept-Encoding")


def _template_globals():
    from flask_babel import get_locale

    from portal.i18n import current_catalog

    return {
        "translations": current_catalog(),
        "current_lang": str(get_locale()),
        "money": money,
        "format_date": format_date,
        "format_datetime": format_datetime,
        "format_decimal": format_decimal,
        "nav": navigation_context,
    }


def navigation_context() -> dict:
    """What the header and the bottom bar show: company, jobsite, cart count."""
    if not current_user.is_authenticated:
        return {"cart_count": 0}
    if g.get("nav_ctx") is None:
        from portal.services.navigation import header_facts

        g.nav_ctx = header_facts(current_user)
    return g.nav_ctx


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.context_processor(_template_globals)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
