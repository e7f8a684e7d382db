"""The staff's page of background jobs: dead emails and failed runs, each retryable."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.extensions import db
from portal.models import OutboxMessage, PeriodicRun
from portal.services import jobs
from tests.conftest import login

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _dead_email(note="SMTPAuthenticationError: (535, b'nope')") -> OutboxMessage:
    row = OutboxMessage(kind="reset", to_address="lea@client.test", subject="Votre accès",
                        body_text="b", created_at=NOW, next_attempt_at=NOW, attempts=8,
                        dead_at=NOW, last_error=note)
    db.session.add(row)
    db.session.commit()
    return row


def test_staff_see_dead_emails_and_retry_one(client, world):
    row = _dead_email()
    _dead_email(note="in-doubt: the worker stopped while sending")
    login(client, world.staff)
    page = client.get("/staff/jobs/").get_data(as_text=True)
    assert "lea@client.test" in page and "535" in page
    assert "l’a peut-être reçu" in page  # the in-doubt note, in French by default
    assert 'aria-label="Relancer — Votre accès (lea@client.test)"' in page
    answer = client.post(f"/staff/jobs/emails/{row.id}/retry")
    assert answer.status_code == 303
    db.session.expire_all()
    again = db.session.get(OutboxMessage, row.id)
    assert again.dead_at is None and again.attempts == 0 and again.sent_at is None
    # Already queued again: a second retry finds nothing to retry.
    assert client.post(f"/staff/jobs/emails/{row.id}/retry").status_code == 404
    assert client.post("/staff/jobs/emails/999999/retry").status_code == 404


def test_a_dead_periodic_run_is_retried_by_the_next_sweep(client, world):
    db.session.add(PeriodicRun(job="approval-reminders", period="2026-03-02T08:00",
                               worker_id="w1", started_at=NOW, finished_at=NOW,
                               state="dead", attempts=8, error="OperationalError: gone"))
    db.session.commit()
    login(client, world.staff)
    assert "OperationalError: gone" in client.get("/staff/jobs/").get_data(as_text=True)
    answer = client.post("/staff/jobs/periodic/approval-reminders/2026-03-02T08:00/retry")
    assert answer.status_code == 303
    assert jobs.runs_to_retry("w2", NOW + timedelta(minutes=1)) == [
        ("approval-reminders", "2026-03-02T08:00")]
    assert jobs.runs_to_retry("w3", NOW + timedelta(minutes=1)) == []  # claimed once


@pytest.mark.parametrize("who", ["rep", "fulfilment", "customer_admin"])
def test_only_the_seller_s_admins_reach_the_jobs_page(client, world, who):
    row = _dead_email()
    login(client, world.a.admin if who == "customer_admin" else getattr(world, who))
    assert client.get("/staff/jobs/").status_code == 403
    assert client.post(f"/staff/jobs/emails/{row.id}/retry").status_code == 403
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).dead_at is not None


@pytest.mark.config(METRICS_TOKEN="scrape")
def test_metrics_show_the_job_backlogs_and_readyz_says_whether_a_worker_runs(app, world):
    from portal.models import ImportJob, ImportStatus

    ready = app.test_client().get("/readyz").json
    assert ready["worker"] == {"seen_recently": False, "last_seen_seconds_ago": None}
    now = datetime.now(UTC)
    jobs.beat("host-1", now - timedelta(seconds=30))
    db.session.add(ImportJob(kind="stock", status=ImportStatus.COMMITTING, total_rows=3,
                             created_by_id=world.staff.id, created_at=now - timedelta(minutes=5),
                             report={}))
    db.session.add(ImportJob(kind="stock", status=ImportStatus.FAILED, total_rows=3,
                             created_by_id=world.staff.id, created_at=now, report={}))
    _dead_email()
    db.session.commit()
    assert jobs.claim_period("approval-reminders", "2026-03-02T08:00", "host-1", now)
    jobs.finish_period("approval-reminders", "2026-03-02T08:00", now, "OperationalError")

    ready = app.test_client().get("/readyz").json
    assert ready["worker"]["seen_recently"] and 29 <= ready["worker"]["last_seen_seconds_ago"]
    body = app.test_client().get(
        "/metrics", headers={"Authorization": "Bearer scrape"}).get_data(as_text=True)
    samples = dict(line.rsplit(" ", 1) for line in body.splitlines()
                   if line and not line.startswith("#"))
    assert float(samples['portal_worker_jobs{kind="import",state="waiting"}']) == 1
    assert float(samples['portal_worker_jobs{kind="import",state="failed"}']) == 1
    assert float(samples['portal_worker_jobs{kind="periodic",state="failed"}']) == 1
    assert float(samples['portal_outbox_unsent_messages{state="dead"}']) == 1
    assert float(samples["portal_worker_job_failures"]) == 3
    assert 290 < float(samples["portal_worker_oldest_job_age_seconds"]) < 900
    assert 29 < float(samples["portal_worker_last_seen_age_seconds"]) < 600


def test_of_many_workers_claiming_one_period_at_once_exactly_one_wins(app):
    """Threads with connections of their own, as workers on several hosts."""
    import threading

    barrier, wins = threading.Barrier(6), []

    def claim(n):
        with app.app_context():
            barrier.wait()
            wins.append(jobs.claim_period("approval-reminders", "2026-03-02T09:00", f"w{n}",
                                          NOW))
            db.session.remove()

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 5 + [True]
