"""Periodic jobs run once per period across every worker.

The claim is an INSERT of (job, period) that does nothing when the row exists (ON CONFLICT
DO NOTHING, on PostgreSQL and SQLite alike): exactly one worker's insert counts a row, and
only that worker runs the job for that period. A run that fails is retried by the sweeps
after 1, 2, 4... minutes (a conditional UPDATE claims the retry), then it is dead until
staff retry it. A worker killed in the middle leaves its run "running": after the lease it
counts as failed and is retried like one.
"""

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.extensions import db
from portal.models import PeriodicRun


def period_of(now: datetime, seconds: int) -> str:
    """The name of the period `now` falls in: its start, in UTC, to the minute."""
    start = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%dT%H:%M")


def claim_period(job: str, period: str, worker_id: str, now: datetime) -> bool:
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # RETURNING, not rowcount: an ORM-enabled INSERT does not report a reliable rowcount.
    claimed = db.session.execute(
        insert(PeriodicRun)
        .values(job=job, period=period, worker_id=worker_id, started_at=now, state="running",
                attempts=1, error="")
        .on_conflict_do_nothing(index_elements=["job", "period"])
        .returning(PeriodicRun.job)
    ).first()
    db.session.commit()
    return claimed is not None


def finish_period(job: str, period: str, now: datetime, error: str = "") -> None:
    run = db.session.get(PeriodicRun, (job, period))
    run.finished_at = now
    run.error = error[:2000]
    if not error:
        run.state = "done"
    elif run.attempts >= current_app.config["WORKER_MAX_ATTEMPTS"]:
        run.state = "dead"
    else:
        run.state = "failed"
    db.session.commit()


def runs_to_retry(worker_id: str, now: datetime) -> list[tuple[str, str]]:
    """Failed runs whose backoff is over, and runs a dead worker left: claimed for this one."""
    lease = timedelta(seconds=current_app.config["WORKER_LEASE_SECONDS"])
    candidates = db.session.execute(
        select(PeriodicRun.job, PeriodicRun.period, PeriodicRun.attempts, PeriodicRun.state,
               PeriodicRun.finished_at, PeriodicRun.started_at)
        .where(or_(PeriodicRun.state == "failed",
                   (PeriodicRun.state == "running") & (PeriodicRun.started_at < now - lease)))
    ).all()
    claimed = []
    for job, period, attempts, state, finished, started in candidates:
        if state == "failed" and finished + timedelta(minutes=2 ** (attempts - 1)) > now:
            continue
        won = db.session.execute(
            update(PeriodicRun)
            .where(PeriodicRun.job == job, PeriodicRun.period == period,
                   PeriodicRun.state == state, PeriodicRun.started_at == started)
            .values(state="running", attempts=attempts + 1, worker_id=worker_id,
                    started_at=now)
            .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        if won == 1:
            claimed.append((job, period))
    return claimed


def failed_runs(limit: int = 200) -> list[PeriodicRun]:
    return db.session.scalars(
        select(PeriodicRun).where(PeriodicRun.state.in_(("failed", "dead")))
        .order_by(PeriodicRun.started_at.desc()).limit(limit)).all()


def retry_run(job: str, period: str) -> bool:
    """Staff's retry of a dead run: the next sweep runs it again (the caller commits)."""
    run = db.session.get(PeriodicRun, (job, period))
    if run is None or run.state != "dead":
        return False
    run.state = "failed"
    run.attempts = 0
    run.finished_at = datetime(2000, 1, 1, tzinfo=UTC)
    return True


def job_backlog() -> dict:
    """Periodic runs by state (for the metrics)."""
    rows = db.session.execute(
        select(PeriodicRun.state, func.count()).where(PeriodicRun.state != "done")
        .group_by(PeriodicRun.state)).all()
    return dict(rows)
