"""An import job in the worker: claimed with a lease, dry run to the end, then the commit.

The admin may close the tab: nothing waits for the page. A worker claims a job by setting
`claimed_by` and `claimed_until` (a conditional UPDATE: one winner). The dry run commits its
progress after every chunk and renews the lease. The commit is one transaction that ends by
setting DONE where the job is still this worker's: a worker killed in the middle leaves no
row written, and once the lease runs out the next sweep of any worker starts the commit
afresh. A database that goes away is not the file's fault: the job is left to be retried;
any other error fails the job visibly, with nothing written.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from portal.extensions import db
from portal.models import ImportJob, ImportStatus, User
from portal.services.csv_import import jobs

log = logging.getLogger("portal.imports")
RUNNING = (ImportStatus.CHECKING, ImportStatus.COMMITTING)
# Seconds of dry run between two commits of its progress (what the admin's page shows).
CHECK_SLICE = 1.0


def _lease(now: datetime) -> datetime:
    return now + timedelta(seconds=current_app.config["WORKER_LEASE_SECONDS"])


def waiting_imports(now: datetime) -> list[int]:
    """Jobs to run that nobody holds: new ones, and those of a worker that died."""
    return list(db.session.scalars(
        select(ImportJob.id).where(
            ImportJob.status.in_(RUNNING),
            or_(ImportJob.claimed_until.is_(None), ImportJob.claimed_until < now))
        .order_by(ImportJob.id)))


def _claim(job_id: int, worker_id: str, now: datetime) -> bool:
    won = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status.in_(RUNNING),
               or_(ImportJob.claimed_until.is_(None), ImportJob.claimed_until < now))
        .values(claimed_by=worker_id, claimed_until=_lease(now))
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return won == 1


def run_import(job_id: int, worker_id: str, now_fn) -> str | None:
    """Take the job if it is free and run it to rest; returns its final status, or None when
    another worker has it."""
    if not _claim(job_id, worker_id, now_fn()):
        return None
    job = db.session.get(ImportJob, job_id)
    try:
        while job.status == ImportStatus.CHECKING and job.claimed_by == worker_id:
            jobs.check_some(job, CHECK_SLICE)
            db.session.execute(
                update(ImportJob).where(ImportJob.id == job_id,
                                        ImportJob.claimed_by == worker_id)
                .values(claimed_until=_lease(now_fn()))
                .execution_options(synchronize_session=False))
            db.session.commit()
            db.session.refresh(job)
    except Exception as exc:
        db.session.rollback()
        if _transient(exc):
            raise
        _broken(job_id)
        return ImportStatus.FAILED.value
    if job.status == ImportStatus.COMMITTING and job.claimed_by == worker_id:
        _commit(job, worker_id, now_fn())
    db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, ImportJob.claimed_by == worker_id,
                                ImportJob.status.not_in(RUNNING))
        .values(claimed_until=None).execution_options(synchronize_session=False))
    db.session.commit()
    return db.session.get(ImportJob, job_id).status.value


def _commit(job: ImportJob, worker_id: str, now: datetime) -> None:
    job_id = job.id
    actor = db.session.get(User, job.created_by_id)
    try:
        jobs.commit_now(job, now, actor, worker_id)
        db.session.commit()
    except jobs.ImportFailed as exc:
        db.session.rollback()
        jobs.mark_failed(job_id, str(exc), exc.errors)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        if _transient(exc):
            raise
        _broken(job_id)


def _transient(exc: Exception) -> bool:
    """The database went away (or this worker's connection did): not the file's fault. The
    lease runs out and a later sweep takes the job up again."""
    return isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError)
                                                 and exc.connection_invalidated)


def _broken(job_id: int) -> None:
    log.exception("import job %s failed", job_id)
    jobs.mark_failed(job_id, _("The import stopped on an unexpected error: nothing was imported."))  # noqa: E501
    db.session.commit()
