"""How an API operation is declared: its scope, its schemas, and the checks every call gets.

`@operation(scope, query=..., json=..., resp=...)` authenticates the bearer token, checks the
scope, insists on a JSON object body for writes (a malformed body is a precise 400, not an
empty object), then lets spectree validate the request against the pydantic models and
describe it in the OpenAPI document. The scope is kept on the view (`api_scope`) so the
permission matrix of operation × scope is read from the code.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps

from flask import current_app, g, request
from flask_babel import gettext as _
from spectree import Response, SpecTree
from werkzeug.exceptions import BadRequest

from portal.blueprints.api.problems import ApiProblem, field_errors
from portal.blueprints.api.schemas import Problem
from portal.extensions import db
from portal.services import integration

WRITE_METHODS = ("POST", "PUT", "PATCH")
ERRORS = {"HTTP_401": Problem, "HTTP_403": Problem, "HTTP_429": Problem}


def _reject_invalid(req, resp, req_validation_error, instance, *args):
    """spectree's hook: a request that fails its model becomes a problem with field errors."""
    if req_validation_error is None:
        return
    body = req.is_json or req.mimetype == "multipart/form-data"
    where = "body" if req.method in WRITE_METHODS and body else "query"
    raise ApiProblem(422, _("Some fields are not valid."), code="invalid_fields",
                     errors=field_errors(req_validation_error.errors(), where))


spec = SpecTree(
    "flask", mode="strict", title="Pro Fournitures API", version="v1",
    description="The seller's ERP, PIM and CRM, and customers' procurement systems. "
                "Send `Authorization: Bearer <token>`; errors are application/problem+json.",
    before=_reject_invalid, validation_error_model=Problem,
    security_schemes=[{"name": "bearer", "data": {"type": "http", "scheme": "bearer"}}],
    security={"bearer": []},
)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _authenticate(scope: str | None):
    client = integration.authenticate(_bearer())
    if client is None:
        raise ApiProblem(401, _("Send a valid token: Authorization: Bearer <token>."),
                         code="invalid_token", headers={"WWW-Authenticate": "Bearer"})
    if scope is not None and scope not in (client.scopes or []):
        raise ApiProblem(403, _("This token lacks the scope %(scope)s.", scope=scope),
                         code="insufficient_scope",
                         headers={"WWW-Authenticate": f'Bearer scope="{scope}"'})
    g.api_client = client
    return client


def _json_object() -> None:
    if not request.is_json:
        raise ApiProblem(415, _("Send the body as application/json."), code="not_json")
    try:
        body = request.get_json(silent=False)
    except BadRequest:
        raise ApiProblem(400, _("The body is not valid JSON."), code="malformed_json") from None
    if not isinstance(body, dict):
        raise ApiProblem(422, _("The body must be a JSON object."), code="not_an_object",
                         errors=[{"pointer": "", "detail": _("Must be an object.")}])


def _multipart() -> None:
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(415, _("Send the file as multipart/form-data."), code="not_multipart")


def operation(scope: str | None, *, query=None, json=None, resp=None, tags=(), status_codes=(),
              headers=None, form=None):
    """Declare an API view: bearer token with `scope` (None: any live token), validated
    input, documented output. A `form` (multipart, with a file) replaces the JSON body."""
    codes = dict(ERRORS)
    codes.update({code: Problem for code in status_codes})
    if resp is not None:
        codes.update(resp)

    def decorator(view):
        validated = spec.validate(query=query, json=json, form=form, headers=headers,
                                  resp=Response(**codes), tags=list(tags))(view)

        @wraps(validated)
        def wrapped(*args, **kwargs):
            client = _authenticate(scope)
            if request.method in ("GET", "HEAD"):
                return validated(*args, **kwargs)
            if request.method in WRITE_METHODS:
                if form is not None:
                    _multipart()
                else:
                    _json_object()
            return _write(client, lambda: validated(*args, **kwargs))

        wrapped.api_scope = scope
        # Sessions never reach the API: every role of the page matrix is denied (401).
        wrapped.allowed_roles = frozenset()
        wrapped.allowed_when = None
        return wrapped

    return decorator


def _write(client, work):
    """One write = one transaction: the work, and the answer kept for its Idempotency-Key."""
    key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
    if key is not None:
        fingerprint = integration.request_hash(request.method, request.path,
                                               request.get_data())
        # A reused key (409) or a blank one (400) is a refusal: problems answers it.
        stored = integration.claim_key(client.id, key, fingerprint, now())
        if stored is not None:
            replay = current_app.response_class(stored.body, status=stored.status_code,
                                                mimetype="application/json")
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
    response = work()
    if key is not None:
        integration.remember_answer(client.id, key, response.status_code, response.get_data())
    db.session.commit()
    return response


def now() -> datetime:
    return datetime.now(UTC)


def rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT") or "600 per minute"


def rate_key() -> str:
    """Per token (so per client), shared across workers through the limiter's store."""
    token = _bearer()
    if token:
        return "api:" + integration.hash_token(token)[:24]
    return "api-anonymous:" + (request.remote_addr or "")
