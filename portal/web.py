"""Request-wide helpers: request ids and logs, ids in URLs, a refusal of NUL characters,
template globals, HTML compression."""

import gzip
import logging
import re
import secrets

from flask import current_app, g, has_request_context, request
from flask_babel import format_decimal
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import IntegerConverter

from portal.formatting import format_date, format_datetime, money

log = logging.getLogger("portal")
MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class IdConverter(IntegerConverter):
    """`<int:...>` in a URL: a number no id can reach matches no route (a 404), instead of a
    query the database refuses (PostgreSQL: out of range; SQLite: too large)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _start_request():
    # A proxy's id is kept so its logs and ours meet; anything but a plain token (spaces,
    # quotes, "user_id=1") would let a visitor forge fields of our log lines: a fresh one.
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if REQUEST_ID.fullmatch(given) else secrets.token_hex(8)


UPLOAD_SLACK = 1_000_000  # the form's other fields and the multipart framing around the file


def current_front():
    """The storefront this request's host names (None: no storefront answers that host);
    services/storefronts chooses it, once per request."""
    if not has_request_context():
        return None  # an email rendered by the worker: no host (the trade portal's words)
    if "storefront" not in g:
        from portal.mounts import MOUNTED
        from portal.services.storefronts import for_host

        # A storefront on a path of this host was found by portal/mounts.py.
        g.storefront = request.environ[MOUNTED] if MOUNTED in request.environ \
            else for_host(request.host)
    return g.storefront


def shop_name() -> str:
    """The name in the header, the title and the installed app: the storefront's own, or
    the trade portal's in the reader's language. Reads only what the request's storefront
    hook found (a page about a database outage must not query it)."""
    from flask_babel import gettext as _

    front = g.get("storefront") if has_request_context() else None
    return front.name if front and not front.is_trade else _("Pro Supplies")


def shop_initials() -> str:
    front = g.get("storefront") if has_request_context() else None
    if not front or front.is_trade:
        return "PF"
    return "".join(word[0] for word in front.name.split())[:3].upper()


def accepts_upload(view=None, *, up_to: int = 0):
    """Mark a view that takes a stored file (a photo, a PDF): its request may be as large as
    the largest upload allowed (STORAGE_MAX_*_BYTES) plus the form around it, instead of
    MAX_CONTENT_LENGTH. Then a file over its limit reaches the view, which answers at the
    file's field with the rest of the form as typed, instead of a bare 413 page.

    `up_to` raises that cap for a view whose users send files far over the limit (a phone's
    full-size photo): `@accepts_upload(up_to=40_000_000)`."""
    def mark(fn):
        fn.accepts_upload = True
        fn.upload_cap = up_to
        return fn

    return mark(view) if view is not None else mark


# A phone's full-size photo, far over the limit, still reaches the view that takes photos
# (`@accepts_upload(up_to=PHONE_PHOTO_CAP)`): the answer is the limit at the field, with
# what was typed kept, instead of a bare 413 page.
PHONE_PHOTO_CAP = 40_000_000


def photo_of(name: str = "photo"):
    """The photo sent in field `name` (services.fulfilment.Photo, checked later by
    services/storage), at most the image limit plus one byte read; None without one."""
    from portal.services import storage
    from portal.services.fulfilment import Photo

    sent = request.files.get(name)
    if sent is None or not sent.filename:
        return None
    return Photo(sent.stream.read(storage.upload_limit("image/jpeg") + 1), sent.mimetype or "")


def upload_limit_attrs() -> Markup:
    """The attributes a file input carries so portal.js says "too large" on choosing the
    file, before a post that would be refused whole (and the form typed around it)."""
    from flask_babel import gettext

    from portal.services import storage

    image, pdf = storage.upload_limit("image/jpeg"), storage.upload_limit("application/pdf")
    message = gettext("Photos up to %(image)s MB, PDFs up to %(pdf)s MB: choose a smaller file.",
                      image=f"{image / 1_000_000:g}", pdf=f"{pdf / 1_000_000:g}")
    return Markup('data-max-bytes="{}" data-max-pdf-bytes="{}" data-too-large="{}"').format(
        image, pdf, message)


def _raise_upload_cap():
    # Before every other hook: the CSRF check reads the form, and with it the whole body.
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "accepts_upload", False):
        from portal.services import storage

        request.max_content_length = max(storage.upload_limit("application/pdf"),
                                         storage.upload_limit("image/jpeg"),
                                         getattr(view, "upload_cap", 0)) + UPLOAD_SLACK


def _refuse_nul():
    """NUL is never text a person typed, and PostgreSQL cannot store it: a form carrying one
    (in any field or file name) is refused with a message before any view runs."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    names = (f.filename or "" for _key, f in request.files.items(multi=True))
    values = (v for _key, v in request.form.items(multi=True))
    if not any("\x00" in text for text in (*values, *names)):
        return None
    from flask_babel import gettext as _

    from portal.errors import error_response

    message = _("What you sent contains an invisible NUL character. Remove it and try again.")
    if request.blueprint == "api":  # a multipart upload: the API answers problem+json
        from portal.blueprints.api.problems import problem_response

        return problem_response(400, message, code="nul_character")
    return error_response(400, message)


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

    return {
        "current_lang": str(get_locale()),
        "money": money,
        "format_date": format_date,
        "format_datetime": format_datetime,
        "format_decimal": format_decimal,
        "nav": navigation_context,
        "upload_limit_attrs": upload_limit_attrs,
    }


def navigation_context() -> dict:
    """What the header and the bottom bar show: company, jobsite, cart count."""
    if not current_user.is_authenticated:
        return {"cart_count": 0}
    if g.get("nav_ctx") is None:
        from portal.services.navigation import header_facts

        # The user itself, not the proxy: the tabs' access checks read it dozens of times.
        g.nav_ctx = header_facts(current_user._get_current_object())
    return g.nav_ctx


def init_app(app):
    app.url_map.converters["int"] = IdConverter  # before the blueprints add their routes
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # First of all hooks (security's idle check loads the user before this module is set
    # up): every log record of the request, the user's query included, carries its id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.before_request_funcs[None].insert(1, _raise_upload_cap)
    app.before_request(_refuse_nul)
    app.after_request(_finish_request)
    app.context_processor(_template_globals)
    # Handlers and formats: portal/logs.py (LOG_FORMAT); request ids reach every record there.
