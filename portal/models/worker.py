"""What `portal worker` keeps in the database: who is alive, which periodic runs happened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class WorkerHeartbeat(db.Model):
    """One row per running worker, rewritten every minute: /readyz and the staff's jobs page
    tell from it whether anybody is doing the background work."""

    __tablename__ = "worker_heartbeats"
    worker_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class PeriodicRun(db.Model):
    """A periodic job's run for one period. The primary key is the claim: the first worker to
    insert (job, period) runs it, every other one's insert does nothing."""

    __tablename__ = "periodic_runs"
    job: Mapped[str] = mapped_column(String(60), primary_key=True)
    period: Mapped[str] = mapped_column(String(40), primary_key=True)
    worker_id: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "running", "done" or "failed" (with the error); a failed run may be retried by staff.
    state: Mapped[str] = mapped_column(String(10), default="running")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str] = mapped_column(Text, default="")
