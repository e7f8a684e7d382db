"""RFC 9457 problem details for every answer of /api/v1 that is not a success.

The app's error handlers draw HTML pages; for a path under /api/ the same handlers answer
application/problem+json instead (404 and 405 raised by routing included, which no blueprint
handler would see). Validation problems carry `errors`: one entry per field, with a JSON
pointer into the request and a translated reason.

A service's refusal (a `DomainError`) is answered here too, the one way for every operation:
its `status` (422, 409 for a conflict...), its `code` (or a word for the status), its
`field` as a pointer, or its `pointers` (one per refused item), and its `extra` members.
Views never catch a refusal themselves (tests/unit/test_architecture.py).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from flask import Response, g, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from portal.extensions import db, limiter
from portal.services import DomainError, NotAllowed, NotFound

log = logging.getLogger("portal.api")
PREFIX = "/api/"
MEDIA_TYPE = "application/problem+json"


class ApiProblem(HTTPException):
    """Raised by API views and helpers; answered as problem+json."""

    def __init__(self, status: int, detail: str = "", *, errors: list | None = None,
                 code: str = "", headers: dict | None = None, **extra):
        super().__init__(detail)
        self.code = status
        self.detail = detail
        self.errors = errors
        self.problem_code = code
        self.extra_headers = headers or {}
        self.extra = extra


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"), 401: _("Authentication required"), 403: _("Forbidden"),
        404: _("Not found"), 405: _("Method not allowed"), 406: _("Not acceptable"),
        409: _("Conflict"), 413: _("Request body too large"),
        415: _("Unsupported media type"), 422: _("Validation failed"),
        429: _("Too many requests"), 500: _("Internal error"), 503: _("Service unavailable"),
    }


def problem_response(status: int, detail: str = "", *, errors: list | None = None,
                     code: str = "", headers: dict | None = None, **extra) -> Response:
    body = {"type": "about:blank", "title": _titles().get(status, _("Error")),
            "status": status, "detail": detail or _titles().get(status, ""),
            "instance": request.path}
    if code:
        body["code"] = code
    if errors is not None:
        body["errors"] = errors
    if g.get("request_id"):
        body["request_id"] = g.request_id
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    response.headers["Cache-Control"] = "no-store"
    return response


# The code of a refusal that names none, by status.
STATUS_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict",
                422: "invalid"}


def refusal_response(e: DomainError) -> Response:
    """A service said no: nothing was written (the caller rolled back), the answer says why."""
    status = e.status
    pointers = getattr(e, "pointers", None)
    if pointers is None and e.field:
        pointers = [("/" + e.field, str(e))]
    errors = [{"pointer": pointer, "detail": reason} for pointer, reason in pointers or ()]
    return problem_response(status, str(e), errors=errors or None,
                            code=e.code or STATUS_CODES.get(status, "refused"),
                            **getattr(e, "extra", {}))


def _from_exception(e: Exception) -> Response:
    try:
        db.session.rollback()  # nothing half-done: a refused write leaves no trace
    except SQLAlchemyError:
        pass  # the database is gone: the 503 below says so
    if isinstance(e, DomainError):
        return refusal_response(e)
    if isinstance(e, NotFound):
        return problem_response(404, _("No such resource, or it is not yours to see."),
                                code="not_found")
    if isinstance(e, NotAllowed):
        return problem_response(403, code="forbidden")
    if isinstance(e, IntegrityError) and _unique_violation(e):
        # Two requests created the same reference at once: the database kept the first.
        return problem_response(409, _("Another request wrote the same reference at the same "
                                       "time; nothing was written. Send it again."),
                                code="concurrent_write")
    if isinstance(e, ApiProblem):
        return problem_response(e.code, e.detail, errors=e.errors, code=e.problem_code,
                                headers=e.extra_headers, **e.extra)
    if isinstance(e, HTTPException):
        status = e.code or 500
        headers = {}
        if status == 405:
            headers = dict(e.get_headers())
            headers.pop("Content-Type", None)
        if status == 429:
            headers["Retry-After"] = str(_retry_after())
        detail = {
            404: _("No such resource, or it is not yours to see."),
            405: _("This operation does not accept this method."),
            413: _("The body is larger than the portal accepts."),
            429: _("This client made too many requests; wait before trying again."),
        }.get(status, "")
        return problem_response(status, detail, headers=headers)
    from sqlalchemy.exc import OperationalError

    if isinstance(e, OperationalError):
        log.warning("database unavailable during API request %s", g.get("request_id"))
        return problem_response(503, _("The database is briefly unavailable; nothing was "
                                       "changed."), headers={"Retry-After": "10"})
    log.exception("API request %s failed", g.get("request_id"))
    return problem_response(500, _("Nothing was changed. Quote the request id if it persists."))


def _unique_violation(e: IntegrityError) -> bool:
    return (getattr(e.orig, "sqlstate", None) == "23505"  # PostgreSQL
            or "UNIQUE constraint failed" in str(e.orig))  # SQLite


def _retry_after() -> int:
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - datetime.now(UTC).timestamp()))


def install(app) -> None:
    """Wrap each of the app's error handlers: a path under /api/ answers problem+json."""
    for by_class in app.error_handler_spec.get(None, {}).values():
        for exc_class, handler in list(by_class.items()):
            by_class[exc_class] = _api_or(handler)


def answer_refusals(bp) -> None:
    """A refusal raised by any operation of the blueprint is answered here, whatever the
    app's own handlers do with it on pages."""
    for kind in (DomainError, NotFound, NotAllowed):
        bp.register_error_handler(kind, _from_exception)
    # An ApiProblem is an HTTPException: the wrapped generic handler catches it outside /api/
    # too (never raised there).


def _api_or(handler):
    def choose(e):
        if request.path.startswith(PREFIX):
            return _from_exception(e)
        return handler(e)

    choose.__name__ = getattr(handler, "__name__", "handler")
    return choose


# Readable reasons for pydantic's error types; anything else keeps pydantic's own words.
def _reason(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    reasons = {
        "missing": _("This field is required."),
        "extra_forbidden": _("Unknown field."),
        "int_type": _("Must be a whole number (JSON integer)."),
        "int_parsing": _("Must be a whole number (JSON integer)."),
        "int_from_float": _("Must be a whole number (JSON integer)."),
        "string_type": _("Must be a string."),
        "bool_type": _("Must be true or false."),
        "list_type": _("Must be a list."),
        "dict_type": _("Must be an object."),
        "model_type": _("Must be an object."),
        "model_attributes_type": _("Must be an object."),
        "string_too_short": _("Too short."),
        "too_short": _("Too few items."),
    }
    if kind in reasons:
        return reasons[kind]
    if kind == "string_too_long":
        return _("At most %(n)s characters.", n=ctx.get("max_length"))
    if kind == "too_long":
        return _("At most %(n)s items.", n=ctx.get("max_length"))
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        words = {"greater_than": _("Must be greater than %(n)s."),
                 "greater_than_equal": _("Must be at least %(n)s."),
                 "less_than": _("Must be less than %(n)s."),
                 "less_than_equal": _("Must be at most %(n)s.")}
        return words[kind] % {"n": bound}
    if kind == "value_error":
        return str(ctx.get("error") or error.get("msg", ""))
    return str(error.get("msg", ""))


def field_errors(pydantic_errors: list[dict], where: str) -> list[dict]:
    """Pydantic errors as problem entries: a JSON pointer (body) or a parameter name."""
    entries = []
    for error in pydantic_errors:
        loc = [str(part) for part in error.get("loc", ())]
        entry = {"detail": _reason(error)}
        if where == "body":
            entry["pointer"] = "/" + "/".join(p.replace("~", "~0").replace("/", "~1")
                                              for p in loc)
        else:
            entry["parameter"] = ".".join(loc)
        entries.append(entry)
    return entries
