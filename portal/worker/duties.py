"""Every background duty of `portal worker`, one line each.

DRAINS run at every sweep (each minute) and whenever the web wakes them: they take what is
due, each row claimed safely, so any number of workers may run them at once. PERIODIC jobs
run once per period across all workers (claimed in periodic_runs). Later duties (quote
expiry, overdue invoices, replenishment digests) add one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


def _outbox(now: datetime, worker_id: str) -> int:
    from portal.services.messaging import send_pending

    return send_pending(now=now)


def _webhooks(now: datetime, worker_id: str) -> int:
    from portal.services.integration import deliver_due_webhooks

    return deliver_due_webhooks(now=now)


def _imports(now: datetime, worker_id: str) -> int:
    from portal.services import csv_import

    done = 0
    for job_id in csv_import.waiting_imports(now):
        done += csv_import.run_import(job_id, worker_id, _clock) is not None
    return done


def _approval_reminders(now: datetime) -> int:
    from portal.extensions import db
    from portal.services.approvals import send_reminders

    count = send_reminders(now)
    db.session.commit()
    return count


def _proformas(now: datetime) -> int:
    from portal.extensions import db
    from portal.services.credit import remind_and_expire

    count = remind_and_expire(now)
    db.session.commit()
    return count


def _overdue_invoices(now: datetime) -> int:
    from portal.extensions import db
    from portal.services.billing import send_overdue_reminders

    count = send_overdue_reminders(now)
    db.session.commit()
    return count


def _quote_expiry(now: datetime) -> int:
    from portal.extensions import db
    from portal.services.quotes import expire_due

    count = expire_due(now)
    db.session.commit()
    return count


def _due_digests(now: datetime) -> int:
    from portal.services.ordering import send_due_digests

    return send_due_digests(now)


def _replay_keys(now: datetime) -> int:
    from portal.services.ordering import forget_replay_keys

    return forget_replay_keys(now)


def _guests(now: datetime) -> int:
    from portal.extensions import db
    from portal.services.storefronts import forget_abandoned_guests

    count = forget_abandoned_guests(now)
    db.session.commit()
    return count


def _clock() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


@dataclass(frozen=True)
class Periodic:
    name: str
    every_seconds: int
    run: Callable[[datetime], int]


# name -> callable(now, worker_id) returning how much it did.
DRAINS: dict[str, Callable[[datetime, str], int]] = {
    "outbox": _outbox,
    "imports": _imports,
    "webhooks": _webhooks,
}

PERIODIC: list[Periodic] = [
    Periodic("approval-reminders", 3600, _approval_reminders),
    Periodic("proforma-reminders", 3600, _proformas),
    Periodic("quote-expiry", 3600, _quote_expiry),
    Periodic("overdue-invoices", 3600, _overdue_invoices),
    Periodic("forget-replay-keys", 86400, _replay_keys),
    Periodic("forget-abandoned-guests", 86400, _guests),
    Periodic("due-digests", 3600, _due_digests),
]
