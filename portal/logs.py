"""Log records that say who and what they are about, as text or as JSON lines.

Every record made in this process (ours, Flask's, SQLAlchemy's, a library's) carries
`request_id`, `user_id`, `company_id`, `acting_staff_id` and `job_id` attributes, filled
from the request being served or from the job bound with `job_context()`; the formatters
print the ones that are known. SECURITY.md: never passwords, tokens or whole forms.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
from datetime import UTC, datetime

from flask import g, has_request_context

CONTEXT_FIELDS = ("request_id", "job_id", "user_id", "company_id", "acting_staff_id")
_job_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("portal_job_id",
                                                                     default=None)
_HANDLER_MARK = "_portal_handler"


def bind_job(job_id: str) -> None:
    """For the rest of this process (a CLI command): records carry this job id."""
    _job_id.set(job_id)


@contextlib.contextmanager
def job_context(job_id: str):
    """Records made inside (a CLI command, a worker's job) carry this job id."""
    token = _job_id.set(job_id)
    try:
        yield
    finally:
        _job_id.reset(token)


def bind_user(user) -> None:
    """Called when the session's user is loaded: its ids, kept for the request's records."""
    g.log_identity = (user.id, user.company_id)


def current_context() -> dict:
    """The request or job this thread is working for, as far as it is known."""
    found = dict.fromkeys(CONTEXT_FIELDS)
    found["job_id"] = _job_id.get()
    if not has_request_context():
        return found
    found["request_id"] = g.get("request_id")
    identity = g.get("log_identity")
    if identity is None:
        # Signed in during this request (login_user): read the instance's own dict, which
        # never runs SQL (a log line must not load anything, nor fail in a broken transaction).
        state = getattr(g.get("_login_user"), "_sa_instance_state", None)
        if state is not None:
            identity = (state.dict.get("id"), state.dict.get("company_id"))
    if identity is not None:
        found["user_id"], found["company_id"] = identity
    acting = _acting_for()
    if acting:
        found["acting_staff_id"] = acting.get("staff_id")
    return found


def _acting_for() -> dict | None:
    from flask.globals import request_ctx

    from portal.services.backoffice import ACTING_KEY

    session = getattr(request_ctx, "session", None)
    if session is None:
        return None
    # dict.get, not session.get: a log line must not mark the session as read (which would
    # add `Vary: Cookie` to a response that never looked at it).
    value = dict.get(session, ACTING_KEY)
    return value if isinstance(value, dict) else None


def _install_record_factory() -> None:
    """Once per process: every new LogRecord gets the context attributes."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, _HANDLER_MARK, False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            context = current_context()
        except Exception:  # logging must never raise because of its context
            context = dict.fromkeys(CONTEXT_FIELDS)
        for key, value in context.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return record

    setattr(factory, _HANDLER_MARK, True)
    logging.setLogRecordFactory(factory)


def _gunicorn_request_id(record: logging.LogRecord) -> str | None:
    """gunicorn's access records carry the response headers in their args."""
    if record.name == "gunicorn.access" and isinstance(record.args, dict):
        value = record.args.get("{x-request-id}o")
        return value if value and value != "-" else None
    return None


class TextFormatter(logging.Formatter):
    """`time LEVEL logger message [request_id=… user_id=… company_id=…]`."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = {key: getattr(record, key, None) for key in CONTEXT_FIELDS}
        context["request_id"] = context["request_id"] or _gunicorn_request_id(record)
        known = " ".join(f"{key}={value}" for key, value in context.items() if value is not None)
        if not known:
            return line
        first, newline, rest = line.partition("\n")  # a traceback stays below its line
        return f"{first} [{known}]{newline}{rest}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the known
    context fields, and the traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in CONTEXT_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if "request_id" not in entry and (rid := _gunicorn_request_id(record)):
            entry["request_id"] = rid
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners and daemons swap it)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


# At import: records made before an app exists (a CLI command, a job) carry the fields too.
_install_record_factory()


def init_app(app) -> None:
    _install_record_factory()
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]
    if not ours and root.handlers:
        return  # as logging.basicConfig: a host that set up logging (a test runner) keeps it
    if not ours:
        ours = [_StderrHandler()]
        setattr(ours[0], _HANDLER_MARK, True)
        root.addHandler(ours[0])
    ours[0].setFormatter(formatter_for(app.config["LOG_FORMAT"]))
    root.setLevel(app.config["LOG_LEVEL"])
