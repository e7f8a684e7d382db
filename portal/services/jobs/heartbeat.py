"""Each worker rewrites its row every minute; /readyz and the metrics read the newest."""

from datetime import datetime

from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.models import WorkerHeartbeat


def beat(worker_id: str, now: datetime) -> None:
    row = db.session.get(WorkerHeartbeat, worker_id)
    if row is None:
        db.session.add(WorkerHeartbeat(worker_id=worker_id, started_at=now, seen_at=now))
    else:
        row.seen_at = now
    db.session.commit()


def forget(worker_id: str) -> None:
    """A worker that stops cleanly removes its row (a killed one's row just ages)."""
    db.session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.worker_id == worker_id))
    db.session.commit()


def last_seen() -> datetime | None:
    return db.session.scalar(select(func.max(WorkerHeartbeat.seen_at)))
