"""Real `portal worker` processes: several on PostgreSQL, one on SQLite, killed mid-job."""

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, make_url, select

from portal.extensions import db
from portal.models import (
    AuditEntry,
    Company,
    CustomerGroup,
    ImportJob,
    ImportStatus,
    OutboxMessage,
    PeriodicRun,
    Role,
    WorkerHeartbeat,
)
from tests import factories as f
from tests.conftest import _make_app, base_config
from tests.faults.live_pg import scratch_database
from tests.integration.smtp_servers import SmtpServer, wait_for

# Generous: on a loaded CI machine a worker's start (imports, first sweep) alone has taken
# most of a minute; every wait on it ends at the first success.
STARTUP = 180

HEADER = ("company_name;legal_id;trade;customer_group;payment_terms;credit_limit;po_required;"
          "address_line;postal_code;city;user_email;user_name;user_role")


def _customer_csv(count: int, batch: int = 0) -> bytes:
    rows = [HEADER]
    for i in range(count):
        c, role = i // 4, ("company_admin" if i % 4 == 0 else "buyer")
        rows.append(f"Client {batch}-{c:05d};FR{batch}{c:08d};maçonnerie;BTP;net30;5000,00;non;"
                    f"{c} rue des Lilas;69002;Lyon;u{i}@client{batch}.test;Usager {i};{role}")
    return ("\n".join(rows) + "\n").encode()


@contextmanager
def _database(backend: str, tmp_path: Path):
    """An app on a database of its own (the workers share it), with the schema."""
    if backend == "postgresql":
        with scratch_database("worker") as url:
            app = _make_app(base_config(
                SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False)))
            with app.app_context():
                db.create_all()
                yield app
                db.session.remove()
                db.engine.dispose()
    else:
        app = _make_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'w.db'}"))
        with app.app_context():
            db.create_all()
            yield app
            db.session.remove()
            db.engine.dispose()


def _worker(app, tmp_path: Path, name: str, **settings) -> subprocess.Popen:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    env = dict(os.environ)
    env.update({
        "PORTAL_INSTANCE_PATH": str(tmp_path),
        "PORTAL_DATABASE_URL": url.render_as_string(hide_password=False),
        "PORTAL_SECRET_KEY": "worker-test-key",
        "PORTAL_BASE_URL": "https://portal.test",
        "PORTAL_MAIL_PORT": "1",
        "PORTAL_LOG_LEVEL": "INFO",
    })
    env.update({f"PORTAL_{k}": str(v) for k, v in settings.items()})
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen([sys.executable, "-m", "portal", "worker"], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    process.log_path = tmp_path / f"{name}.log"
    log.close()
    return process


def _stop(*processes) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _fresh(fn):
    db.session.expire_all()
    value = fn()
    db.session.commit()
    return value


def _checked_import(rows: int, batch: int = 0) -> int:
    """An import whose dry run passed, the admin having pressed "Import"."""
    from portal.services import csv_import

    staff = f.user(role=Role.STAFF_ADMIN)
    if db.session.scalar(select(CustomerGroup).where(CustomerGroup.code == "BTP")) is None:
        f.group(code="BTP", price_list=f.price_list(is_base=True))
    db.session.commit()
    job = csv_import.start("customers", "clients.csv", _customer_csv(rows, batch), staff,
                           datetime.now(UTC))
    db.session.commit()
    with current_app.test_request_context():
        csv_import.run_import(job.id, "test", lambda: datetime.now(UTC))
    job = db.session.get(ImportJob, job.id)
    assert job.status == ImportStatus.CHECKED and not job.report["error_count"], job.report
    csv_import.request_commit(job)
    db.session.commit()
    return job.id


def test_two_workers_on_postgresql_never_run_one_job_twice(tmp_path):
    from portal import worker

    server = SmtpServer()
    with _database("postgresql", tmp_path) as app:
        now = datetime.now(UTC)
        db.session.add_all(OutboxMessage(kind="reset", to_address=f"u{n}@client.test",
                                         subject=f"Message {n}", body_text="b\n",
                                         created_at=now, next_attempt_at=now)
                           for n in range(250))
        db.session.commit()
        imports = [_checked_import(8, batch) for batch in range(4)]
        # The same jobs asked for many times, as a web host and a sweep would both do.
        worker.huey.immediate = False
        worker.huey.storage = worker.storage_for(app)
        try:
            for _ in range(6):
                worker.drain("outbox")
                for job_id in imports:
                    worker.import_job(job_id)
        finally:
            worker.huey.storage.close()
            worker.huey.immediate = True
        settings = {"MAIL_PORT": server.port, "WORKER_THREADS": 3}
        first = _worker(app, tmp_path, "w1", **settings)
        second = _worker(app, tmp_path, "w2", **settings)
        try:
            # Done: the 4 imports written, then the 250 emails and the 32 invitations sent.
            assert wait_for(lambda: _fresh(lambda: db.session.scalar(
                select(func.count()).where(OutboxMessage.sent_at.is_not(None)))) == 250 + 32
                and _fresh(lambda: db.session.scalar(select(func.count()).where(
                    ImportJob.status == ImportStatus.DONE))) == 4, timeout=120), \
                first.log_path.read_text()[-3000:]
        finally:
            _stop(first, second)
            server.stop()
        ids = server.recorder.ids()
        assert len(ids) == 282 and len(set(ids)) == 282
        commits = db.session.scalars(select(AuditEntry.object_id)
                                     .where(AuditEntry.action == "import.commit")).all()
        assert sorted(commits) == sorted(imports)
        assert db.session.scalar(select(func.count(Company.id))) == 4 * 2


@pytest.mark.postgres
def test_a_scheduled_job_runs_once_per_period_with_two_workers(tmp_path):
    with _database("postgresql", tmp_path) as app:
        first = _worker(app, tmp_path, "w1")
        second = _worker(app, tmp_path, "w2")
        try:
            # Each worker's scheduler enqueues a sweep on the one shared queue; either worker
            # may execute either sweep (one worker may run both).
            assert wait_for(lambda: sum(
                p.log_path.read_text().count("sweep done") for p in (first, second)) >= 2
                and all("Enqueueing periodic task portal.worker.sweep" in p.log_path.read_text()
                        for p in (first, second)), timeout=90), \
                first.log_path.read_text()[-3000:] + second.log_path.read_text()[-3000:]
        finally:
            _stop(first, second)
        from portal.worker import duties

        runs = db.session.scalars(select(PeriodicRun)).all()
        # Each worker's sweep tried to claim this period of every periodic job: one row each,
        # run once.
        assert sorted((r.job, r.state) for r in runs) == sorted(
            (job.name, "done") for job in duties.PERIODIC)
        assert "approval-reminders" in {r.job for r in runs}
        assert db.session.scalar(select(func.count()).select_from(WorkerHeartbeat)) == 0


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize("stop", ["kill", "term"])
def test_a_worker_stopped_mid_import_leaves_it_to_be_written_once(tmp_path, backend, stop):
    with _database(backend, tmp_path) as app:
        job_id = _checked_import(6000)
        started = datetime.now(UTC)
        first = _worker(app, tmp_path, "w1", WORKER_LEASE_SECONDS=3)
        try:
            assert wait_for(lambda: _fresh(
                lambda: db.session.get(ImportJob, job_id).claimed_by), timeout=STARTUP), \
                first.log_path.read_text()[-3000:]
            wait_for(lambda: False, timeout=0.5)  # well into the commit
            assert _fresh(lambda: db.session.get(ImportJob, job_id).status) \
                == ImportStatus.COMMITTING, "the commit ended before the test could stop it"
            first.send_signal(signal.SIGKILL if stop == "kill" else signal.SIGTERM)
            first.wait(timeout=120)
        finally:
            _stop(first)
        job = _fresh(lambda: db.session.get(ImportJob, job_id))
        written = _fresh(lambda: db.session.scalar(select(func.count(Company.id))))
        if stop == "kill":
            # Killed: the transaction died with it, nothing at all is written.
            assert job.status == ImportStatus.COMMITTING and written == 0
        else:
            # Asked to stop: the current job is finished first, whole.
            assert job.status == ImportStatus.DONE and written == 1500
        # The lease runs out; another worker takes the job over (or finds it done).
        wait_for(lambda: datetime.now(UTC) > started + timedelta(seconds=4), timeout=10)
        second = _worker(app, tmp_path, "w2", WORKER_LEASE_SECONDS=3)
        try:
            assert wait_for(lambda: _fresh(lambda: db.session.get(ImportJob, job_id).status)
                            == ImportStatus.DONE, timeout=120), second.log_path.read_text()
        finally:
            _stop(second)
        assert _fresh(lambda: db.session.scalar(select(func.count(Company.id)))) == 1500
        assert _fresh(lambda: db.session.scalar(select(func.count()).where(
            AuditEntry.action == "import.commit"))) == 1


def test_a_second_worker_on_sqlite_is_refused_with_the_reason(tmp_path):
    with _database("sqlite", tmp_path) as app:
        first = _worker(app, tmp_path, "w1")
        try:
            assert wait_for(lambda: "starting" in first.log_path.read_text(), timeout=STARTUP)
            second = _worker(app, tmp_path, "w2")
            assert second.wait(timeout=STARTUP) != 0
            text = second.log_path.read_text()
            assert "A worker is already running on this SQLite database" in text
            assert f"pid {first.pid}" in text
        finally:
            _stop(first)


@pytest.mark.postgres
def test_a_worker_survives_a_database_outage(tmp_path):
    """PostgreSQL goes away under a running worker, then comes back: the worker stays up,
    and the email queued meanwhile is delivered once."""
    from portal import worker
    from tests.faults.tcp_proxy import CuttableProxy

    server = SmtpServer()
    with _database("postgresql", tmp_path) as app:
        url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
        through_proxy = url.set(host="127.0.0.1", port=proxy.port)
        process = _worker(app, tmp_path, "w1", MAIL_PORT=server.port,
                          DATABASE_URL=through_proxy.render_as_string(hide_password=False))
        try:
            assert wait_for(lambda: _fresh(lambda: db.session.scalar(
                select(func.count()).select_from(WorkerHeartbeat))) == 1, timeout=STARTUP)
            proxy.cut()
            wait_for(lambda: False, timeout=4)  # the worker's polls fail meanwhile
            proxy.restore()
            now = datetime.now(UTC)
            db.session.add(OutboxMessage(kind="reset", to_address="lea@client.test",
                                         subject="After the outage", body_text="b\n",
                                         created_at=now, next_attempt_at=now))
            db.session.commit()
            worker.huey.immediate = False
            worker.huey.storage = worker.storage_for(app)
            try:
                worker.drain("outbox")  # what the web does after its commit
            finally:
                worker.huey.storage.close()
                worker.huey.immediate = True
            assert wait_for(lambda: len(server.recorder.messages) == 1, timeout=60), \
                process.log_path.read_text()[-4000:]
            assert process.poll() is None
        finally:
            _stop(process)
            proxy.cut()
            server.stop()
        assert server.recorder.messages[0]["Subject"] == "After the outage"

