"""Starting and stopping one worker process (the `portal worker` command)."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import socket

from sqlalchemy.engine import make_url

from portal.worker import _process, huey, storage_for

log = logging.getLogger("portal.worker")


class AnotherWorker(RuntimeError):
    """A second worker on a SQLite database: refused, with the reason."""


def sqlite_lock(app):
    """On SQLite, one worker at a time: an exclusive lock on a file beside the database,
    held for the life of the process (the system drops it even after a kill -9)."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or app.config["WORKER_REDIS_URL"]:
        return None
    path = f"{url.database}.worker-lock"
    handle = open(path, "a+")  # noqa: SIM115 - kept open: the lock lives as long as it does
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise AnotherWorker(
            f"A worker is already running on this SQLite database ({holder}). SQLite takes "
            "one worker at a time; to run several, use PostgreSQL.") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} on {socket.gethostname()}")
    handle.flush()
    return handle


def run(app, threads: int) -> None:
    lock = sqlite_lock(app)
    _process["app"] = app
    _process["worker_id"] = f"{socket.gethostname()}-{os.getpid()}"
    huey.immediate = False
    huey.storage = storage_for(app)
    log.info("worker %s starting: %d threads, queue in %s", _process["worker_id"], threads,
             type(huey.storage).__name__)
    _say_hello(app)
    consumer = huey.create_consumer(
        workers=threads, worker_type="thread", periodic=True, initial_delay=0.1,
        backoff=1.5, max_delay=2.0, scheduler_interval=1, check_worker_health=True,
        graceful_signal="TERM")
    try:
        consumer.run()
    finally:
        _say_goodbye(app)
        if lock is not None:
            lock.close()


def _say_hello(app) -> None:
    """Seen at once by /readyz; a database still down is logged, the sweeps retry."""
    from datetime import UTC, datetime

    from portal.extensions import db
    from portal.services import jobs

    with app.app_context():
        try:
            jobs.beat(_process["worker_id"], datetime.now(UTC))
        except Exception:
            log.warning("database unreachable at start; retrying at each sweep", exc_info=True)
        finally:
            db.session.remove()


def _say_goodbye(app) -> None:
    from portal.extensions import db
    from portal.services import jobs

    with app.app_context(), contextlib.suppress(Exception):
        jobs.forget(_process["worker_id"])
        db.session.remove()
