"""`portal worker`: one process, run as many as needed, for every background duty.

Huey runs it: worker threads, a scheduler that starts the minute's sweep, task retries with
exponential backoff, a graceful stop on SIGTERM (the current job finishes; a job cut short
by a kill is rolled back by its transaction and taken up again). Its queue lives in Redis
when WORKER_REDIS_URL is set, otherwise in the portal's database: tables huey_* on
PostgreSQL (dequeue by DELETE ... FOR UPDATE SKIP LOCKED), a file beside it on SQLite.

The queue only says "look now"; the rows it points at (outbox, import_jobs, periodic_runs)
say what is due. A task lost with a killed worker is found again by the next sweep.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime

from flask import current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, PostgresStorage, RedisStorage, SqliteStorage
from sqlalchemy.engine import make_url

from portal.extensions import db
from portal.logs import job_context
from portal.worker import duties

log = logging.getLogger("portal.worker")
BATCH = 100
QUEUE_DDL_LOCK = 0x706F7274616C  # any constant of ours: "portal"


class PortalHuey(Huey):
    # Replaced by `use_storage_of(app)`; immediate mode (tests) runs tasks on the spot.
    storage_class = MemoryStorage


huey = PortalHuey("portal", results=False, utc=True)
_process: dict = {"app": None, "worker_id": f"web-{socket.gethostname()}-{os.getpid()}"}


def storage_for(app):
    cfg = app.config
    if cfg["WORKER_REDIS_URL"]:
        return RedisStorage("portal", url=cfg["WORKER_REDIS_URL"])
    url = make_url(cfg["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        storage = PostgresStorage("portal", dsn=dsn, table_prefix="huey", create_tables=False)
        _create_tables_once(dsn, storage.ddl)
        return storage
    if not url.database or url.database == ":memory:":
        return MemoryStorage("portal")
    return SqliteStorage("portal", filename=queue_file(app))


def _create_tables_once(dsn: str, ddl: list[str]) -> None:
    """Huey's CREATE TABLE IF NOT EXISTS, one process at a time: two workers starting
    together on a new database would otherwise collide in PostgreSQL's catalog."""
    import psycopg

    with psycopg.connect(dsn) as connection:
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (QUEUE_DDL_LOCK,))
        for statement in ddl:
            connection.execute(statement)


def queue_file(app) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database + ".queue"


def use_storage_of(app) -> None:
    """Remember whose queue this process uses; tests run tasks on the spot (immediate)."""
    huey.immediate = bool(app.testing and app.config.get("WORKER_IMMEDIATE", True))
    _process["storage_app"] = app


def _ensure_storage() -> None:
    # Opened at the first use, not at start: a web host whose queue is down still starts.
    app = _process.get("storage_app")
    if not huey.immediate and app is not None and isinstance(huey.storage, MemoryStorage):
        huey.storage = storage_for(app)


def worker_id() -> str:
    return _process["worker_id"]


def _now() -> datetime:
    return datetime.now(UTC)


def _in_app(name: str, fn):
    """Run `fn` with a context of its own and a session cleaned up after. A simulated request
    (at BASE_URL), as the emails and the messages in the portal's default language need."""
    app = _process["app"] or current_app._get_current_object()
    # An app context of its own first: a request context alone would reuse the caller's
    # (a web request's, in immediate mode) and remove its session at the end.
    with (app.app_context(), app.test_request_context(base_url=app.config["BASE_URL"]),
          job_context(name)):
        try:
            return fn()
        finally:
            db.session.remove()


# ---------------------------------------------------------------- tasks


@huey.task(retries=6, retry_delay=15, retry_backoff=2)
def drain(name: str) -> int:
    """Deliver what one duty has due; a full batch asks for another pass at once."""
    done = _in_app(f"drain-{name}", lambda: duties.DRAINS[name](_now(), worker_id()))
    if done >= BATCH:
        drain(name)
    return done


@huey.task(retries=6, retry_delay=15, retry_backoff=2)
def import_job(job_id: int) -> str | None:
    from portal.services import csv_import

    return _in_app(f"import-{job_id}",
                   lambda: csv_import.run_import(job_id, worker_id(), _now))


@huey.periodic_task(crontab(minute="*"))
def sweep() -> None:
    """Each minute: say we are alive, run every drain, run the periodic jobs that are due."""
    _in_app("sweep", _sweep)


def _sweep() -> None:
    from portal.services import jobs

    now = _now()
    jobs.beat(worker_id(), now)
    for name in duties.DRAINS:
        try:
            duties.DRAINS[name](now, worker_id())
        except Exception:
            db.session.rollback()
            log.exception("duty %s failed; the next sweep tries again", name)
    due = [(p.name, jobs.period_of(now, p.every_seconds)) for p in duties.PERIODIC]
    due = [(name, period) for name, period in due
           if jobs.claim_period(name, period, worker_id(), now)]
    for name, period in due + jobs.runs_to_retry(worker_id(), now):
        _run_periodic(name, period)
    log.info("sweep done: %d periodic job%s run", len(due), "" if len(due) == 1 else "s")


def _run_periodic(name: str, period: str) -> None:
    from portal.services import jobs

    job = next((p for p in duties.PERIODIC if p.name == name), None)
    error = ""
    try:
        with job_context(f"{name}-{period}"):
            if job is None:
                raise LookupError(f"no periodic job named {name} in this version")
            count = job.run(_now())
            log.info("%s for %s: %s", name, period, count)
    except Exception as exc:
        db.session.rollback()
        log.exception("periodic job %s for %s failed", name, period)
        error = f"{type(exc).__name__}: {exc}"
    jobs.finish_period(name, period, _now(), error)


# ---------------------------------------------------------------- from the web


def wake(name: str) -> None:
    """Ask a worker to look at a duty now (after a commit). Never fails the caller: if the
    queue is unreachable, the next sweep finds the work anyway."""
    if huey.immediate:
        return  # tests run duties explicitly; no SMTP from inside a test request
    try:
        _ensure_storage()
        drain(name)
    except Exception:
        log.warning("could not wake the worker for %s; its next sweep will", name,
                    exc_info=True)


def start_import(job_id: int) -> None:
    """Hand an import to the workers (after the commit that made it due)."""
    try:
        _ensure_storage()
        import_job(job_id)
    except Exception:
        if huey.immediate:
            raise
        log.warning("could not queue import %s; the next sweep takes it", job_id,
                    exc_info=True)


def _after_commit(session) -> None:
    if session.info.pop("outbox_queued", False) and has_app_context():
        wake("outbox")


def init_app(app) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
    use_storage_of(app)
