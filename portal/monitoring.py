"""Running it as a service: liveness and readiness checks, Prometheus metrics, Sentry.

- `/healthz`: the process answers (no database), for a supervisor's restart decision.
- `/readyz`: the database answers and its Alembic revision is the code's head; 503 with a
  JSON reason otherwise, so a load balancer sends no traffic to a half-deployed host. It
  also says whether a worker was seen recently (information only, see `worker_status`).
- `/metrics`: request latency per endpoint, status codes, SQL statements per request, the
  outbox and job backlogs with the age of their oldest item, job failures, and the age of
  the newest worker heartbeat. Under gunicorn's several workers
  prometheus-client's multiprocess mode adds up every worker (PROMETHEUS_MULTIPROC_DIR, set
  by portal/gunicorn_conf.py). Only for a bearer of METRICS_TOKEN, or without a token for
  direct requests from loopback; anyone else gets the 404 of a missing page.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import os
import time
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from portal.access import PUBLIC, allow

bp = Blueprint("ops", __name__)
# "*_created" timestamps double the output and no dashboard of ours reads them.
disable_created_metrics()

REQUEST_SECONDS = Histogram(
    "portal_http_request_duration_seconds", "Time to answer a request, per endpoint.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
RESPONSES = Counter(
    "portal_http_responses_total", "Responses sent, per endpoint and status code.",
    ["endpoint", "method", "status"],
)
SQL_PER_REQUEST = Histogram(
    "portal_http_request_sql_statements", "SQL statements run while answering a request.",
    ["endpoint"], buckets=(1, 2, 5, 10, 15, 20, 30, 50, 100, 200),
)
LOOPBACK = {"127.0.0.1", "::1"}
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")


# ---------------------------------------------------------------- liveness and readiness


@bp.get("/healthz")
@allow(PUBLIC)
def healthz():
    return {"status": "alive"}


@bp.get("/readyz")
@allow(PUBLIC)
def readyz():
    problem = readiness_problem()
    if problem:
        body = {"status": "unavailable", "reason": problem}
        if problem != "database unreachable":
            body["worker"] = worker_status()
        return body, 503, {"Retry-After": "10"}
    return {"status": "ready", "revision": migration_head(), "worker": worker_status()}


def worker_status() -> dict:
    """Whether a worker was seen recently. Said, not enforced: a stopped worker delays emails
    and imports but must not take the web hosts out of the load balancer (alert on
    portal_worker_last_seen_age_seconds instead)."""
    from portal.extensions import db
    from portal.services import jobs

    try:
        seen = jobs.last_seen()
        db.session.rollback()
    except SQLAlchemyError:
        db.session.rollback()
        return {"seen_recently": False, "last_seen_seconds_ago": None}
    if seen is None:
        return {"seen_recently": False, "last_seen_seconds_ago": None}
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=UTC)
    ago = max(0, round((datetime.now(UTC) - seen).total_seconds()))
    return {"seen_recently": ago <= current_app.config["WORKER_SEEN_SECONDS"],
            "last_seen_seconds_ago": ago}


@functools.cache
def migration_head() -> str:
    """The head of the migrations shipped with this code (they cannot change while it runs)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location",
                           os.path.join(os.path.dirname(__file__), "migrations"))
    heads = ScriptDirectory.from_config(config).get_heads()
    return heads[0] if len(heads) == 1 else ",".join(sorted(heads))


def readiness_problem() -> str | None:
    """Why this process should not get traffic yet, or None."""
    from portal.extensions import db

    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            # Read as Alembic stores it (MigrationContext would log two lines per probe).
            revisions = (connection.execute(text("SELECT version_num FROM alembic_version"))
                         .scalars().all()
                         if inspect(connection).has_table("alembic_version") else [])
    except SQLAlchemyError as error:
        current_app.logger.warning("readiness: database unreachable: %s",
                                   type(error).__name__)
        return "database unreachable"
    head = migration_head()
    current = ",".join(sorted(revisions)) or "none"
    if current != head:
        return (f"database at migration {current}, code expects {head}: "
                "run `portal db upgrade`")
    return None


# ---------------------------------------------------------------- metrics


def _metrics_allowed() -> bool:
    token = current_app.config["METRICS_TOKEN"]
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    # Without a token, a proxy on this host would make every visitor look local: a request
    # that went through one (any forwarding header) is not a local scraper.
    return request.remote_addr in LOOPBACK and not any(h in request.headers
                                                       for h in PROXY_HEADERS)


@bp.get("/metrics")
@allow(PUBLIC)
def metrics():
    if not _metrics_allowed():
        abort(404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    backlog = CollectorRegistry(auto_describe=False)
    backlog.register(BacklogCollector())
    body = generate_latest(registry) + generate_latest(backlog)
    return Response(body, mimetype=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})


class BacklogCollector:
    """Read at scrape time from the database (shared by every worker and host): what waits
    for `portal worker`, how old the oldest is, what failed, when a worker was last seen."""

    def collect(self):
        from portal.extensions import db

        up = GaugeMetricFamily("portal_database_up",
                               "1 when the database answered this scrape's backlog queries.")
        try:
            figures = _backlog_figures()
            db.session.rollback()
        except SQLAlchemyError:
            with contextlib.suppress(SQLAlchemyError):
                db.session.rollback()
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        now = datetime.now(UTC)
        outbox = figures["outbox"]
        backlog = GaugeMetricFamily(
            "portal_outbox_unsent_messages",
            "Emails not sent yet: pending (will be tried) or dead (gave up; staff may retry).",
            labels=["state"])
        for state in ("pending", "dead"):
            backlog.add_metric([state], outbox[state])
        yield backlog
        yield _age("portal_outbox_oldest_unsent_age_seconds",
                   "Age of the oldest email still to be sent (0 when none waits).",
                   outbox["oldest"], now)
        jobs = GaugeMetricFamily(
            "portal_worker_jobs", "Background jobs by kind and state (waiting, failed, dead).",
            labels=["kind", "state"])
        jobs.add_metric(["import", "waiting"], figures["imports_waiting"])
        jobs.add_metric(["import", "failed"], figures["imports_failed"])
        for state in ("running", "failed", "dead"):
            jobs.add_metric(["periodic", state], figures["periodic"].get(state, 0))
        yield jobs
        yield _age("portal_worker_oldest_job_age_seconds",
                   "Age of the oldest import waiting for a worker (0 when none waits).",
                   figures["imports_oldest"], now)
        failures = GaugeMetricFamily(
            "portal_worker_job_failures",
            "Jobs the worker gave up on: dead emails, failed imports, failed periodic runs.")
        failures.add_metric([], outbox["dead"] + figures["imports_failed"]
                            + figures["periodic"].get("failed", 0)
                            + figures["periodic"].get("dead", 0))
        yield failures
        seen = figures["worker_seen"]
        yield _age("portal_worker_last_seen_age_seconds",
                   "Seconds since a worker last wrote its heartbeat (-1: never).", seen, now,
                   missing=-1.0)

    def describe(self):
        return []


def _backlog_figures() -> dict:
    from portal.extensions import db
    from portal.models import ImportJob, ImportStatus
    from portal.services import jobs, messaging

    waiting = db.session.execute(
        select(func.count(), func.min(ImportJob.created_at))
        .where(ImportJob.status.in_((ImportStatus.CHECKING, ImportStatus.COMMITTING)))).one()
    failed = db.session.scalar(
        select(func.count()).select_from(ImportJob).where(ImportJob.status == ImportStatus.FAILED))
    return {"outbox": messaging.outbox_backlog(), "imports_waiting": waiting[0],
            "imports_oldest": waiting[1], "imports_failed": failed,
            "periodic": jobs.job_backlog(), "worker_seen": jobs.last_seen()}


def _age(name: str, documentation: str, since, now, missing: float = 0.0):
    gauge = GaugeMetricFamily(name, documentation)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    gauge.add_metric([], max(0.0, (now - since).total_seconds()) if since else missing)
    return gauge


# ---------------------------------------------------------------- per-request figures


@event.listens_for(Engine, "before_cursor_execute")
def _count_statement(conn, cursor, statement, parameters, context, executemany):
    if has_request_context() and "metrics_started" in g:
        g.sql_statements = g.get("sql_statements", 0) + 1


def _start_timer():
    g.metrics_started = time.perf_counter()
    g.sql_statements = 0


def _record(response):
    started = g.pop("metrics_started", None)
    if started is None:
        return response
    rule = request.url_rule
    endpoint = rule.endpoint if rule is not None else "unmatched"
    REQUEST_SECONDS.labels(endpoint, request.method).observe(time.perf_counter() - started)
    RESPONSES.labels(endpoint, request.method, str(response.status_code)).inc()
    SQL_PER_REQUEST.labels(endpoint).observe(g.get("sql_statements", 0))
    return response


# ---------------------------------------------------------------- error reporting


def _init_sentry(app) -> None:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.flask import FlaskIntegration
    except ImportError:
        raise RuntimeError("SENTRY_DSN is set but sentry-sdk is not installed: "
                           "pip install 'portal[sentry]'") from None
    sentry_sdk.init(
        dsn=app.config["SENTRY_DSN"],
        environment=app.config["SENTRY_ENVIRONMENT"],
        traces_sample_rate=app.config["SENTRY_TRACES_SAMPLE_RATE"],
        # No emails, addresses or cookies leave for a third party; ids are enough.
        send_default_pii=False,
        integrations=[FlaskIntegration()],
        before_send=_tag_event,
    )


def _tag_event(event, _hint):
    """The ids a log line carries, so a report and the logs of its request meet."""
    from portal.logs import current_context

    tags = event.setdefault("tags", {})
    for key, value in current_context().items():
        if value is not None:
            tags[key] = value
    return event


def init_app(app) -> None:
    # First in, last out: the figures include every other hook (sign-in, compression).
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request_funcs.setdefault(None, []).insert(0, _record)
    app.register_blueprint(bp)
    if app.config["SENTRY_DSN"]:
        _init_sentry(app)
