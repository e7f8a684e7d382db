"""Migrating customers from a CSV file: a dry run that reports, then all or nothing."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Address,
    Company,
    CompanyStatus,
    ImportJob,
    ImportStatus,
    OutboxMessage,
    Role,
    User,
)
from portal.services.csv_import import customers as customers_kind
from portal.services.csv_import import jobs
from tests.conftest import htmx_headers, login
from tests.factories import (
    CUSTOMER_HEADER,
    csv_bytes,
    customer_rows,
    multipart,
)

BASE = "/staff/imports"


def upload(client, raw: bytes, kind="customers", name="clients.csv"):
    body, content_type = multipart(kind, raw, name)
    return client.post(f"{BASE}/", data=body, content_type=content_type)


def run_to_rest(client, job_id: int, limit: int = 50) -> ImportJob:
    """Poll like the page does until the job stops running."""
    for _ in range(limit):
        answer = client.get(f"{BASE}/{job_id}/progress", headers=htmx_headers("job"))
        assert answer.status_code == 200
        db.session.expire_all()
        job = db.session.get(ImportJob, job_id)
        if job.status not in (ImportStatus.CHECKING, ImportStatus.COMMITTING):
            return job
    raise AssertionError("the job never finished")


def checked_job(client, raw: bytes, kind="customers") -> ImportJob:
    answer = upload(client, raw, kind)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    job_id = int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    return run_to_rest(client, job_id)


def counts() -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count(Company.id))),
            db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(OutboxMessage.id))))


def thousand_with_three_bad_rows() -> list[str]:
    rows = customer_rows(1000)
    rows[8] = rows[8].replace("u8@client.test", "not-an-email")  # line 10
    rows[498] = rows[498].rsplit(";", 1)[0] + ";staff_admin"  # line 500
    rows[775] = rows[775].replace("u775@client.test", "u3@client.test")  # line 777
    return rows


def test_a_dry_run_reports_exactly_the_bad_rows_and_writes_nothing(client, world):
    login(client, world.staff)
    before = counts()
    job = checked_job(client, csv_bytes(CUSTOMER_HEADER, thousand_with_three_bad_rows()))
    assert job.status == ImportStatus.CHECKED
    assert job.total_rows == 1000
    assert job.report["error_count"] == 3
    errors = {(line, column) for line, column, _reason in job.report["errors"]}
    assert errors == {(10, "user_email"), (500, "user_role"), (777, "user_email")}
    reasons = {line: reason for line, _column, reason in job.report["errors"]}
    assert "5" in reasons[777]  # "also on line 5"
    assert counts() == before

    page = client.get(f"{BASE}/{job.id}").get_data(as_text=True)
    assert "777" in page and "staff_admin" not in page.split("<table")[0]
    answer = client.post(f"{BASE}/{job.id}/commit")
    assert answer.status_code == 409
    assert counts() == before


def test_the_fixed_file_imports_every_row_and_invites_every_user(client, world):
    login(client, world.staff)
    companies, users, mails = counts()
    job = checked_job(client, csv_bytes(CUSTOMER_HEADER, customer_rows(1000)))
    assert (job.status, job.report["error_count"]) == (ImportStatus.CHECKED, 0)
    assert job.report["summary"] == {"companies": 250, "users": 1000}

    assert client.post(f"{BASE}/{job.id}/commit").status_code == 303
    job = run_to_rest(client, job.id)
    assert job.status == ImportStatus.DONE, job.report
    assert counts() == (companies + 250, users + 1000, mails + 1000)

    imported = db.session.scalar(select(Company).where(Company.name == "Client 0003"))
    assert imported.status == CompanyStatus.ACTIVE
    assert imported.credit_limit_cents == 500000
    assert imported.customer_group_id is not None
    staff = db.session.scalars(select(User).where(User.company_id == imported.id)).all()
    assert sorted(u.role for u in staff) == [Role.BUYER] * 3 + [Role.COMPANY_ADMIN]
    assert all(u.password_hash == "" for u in staff)
    assert db.session.scalar(select(func.count(Address.id)).where(
        Address.company_id == imported.id)) == 1
    invite = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == "u13@client.test"))
    assert invite.kind == "invite" and "/password/set/" in invite.body_text
    assert job.content == ""  # the file is not kept once imported

    again = client.post(f"{BASE}/{job.id}/commit")
    assert again.status_code == 409


def test_a_commit_that_fails_midway_writes_nothing(client, world, monkeypatch):
    login(client, world.staff)
    before = counts()
    job = checked_job(client, csv_bytes(CUSTOMER_HEADER, customer_rows(400)))
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 100)
    original, calls = customers_kind.CustomersWriter.write, []

    def failing_write(self, plans):
        calls.append(len(plans))
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, plans)

    monkeypatch.setattr(customers_kind.CustomersWriter, "write", failing_write)
    assert client.post(f"{BASE}/{job.id}/commit").status_code == 303
    job = run_to_rest(client, job.id)
    assert len(calls) == 3
    assert job.status == ImportStatus.FAILED
    assert "nothing was imported" in job.report["failure"] or "rien" in job.report["failure"]
    assert counts() == before


def test_data_that_changed_since_the_dry_run_fails_the_commit_whole(client, world):
    login(client, world.staff)
    before_companies, before_users, _mails = counts()
    job = checked_job(client, csv_bytes(CUSTOMER_HEADER, customer_rows(40)))
    from tests import factories as f

    f.user(world.a.company, Role.BUYER, email="u39@client.test")
    db.session.commit()
    client.post(f"{BASE}/{job.id}/commit")
    job = run_to_rest(client, job.id)
    assert job.status == ImportStatus.FAILED
    assert [row[0] for row in job.report["errors"]] == [41]
    assert counts()[:2] == (before_companies, before_users + 1)


def test_rows_of_one_company_must_agree_and_known_names_are_refused(client, world):
    login(client, world.staff)
    rows = customer_rows(3, users_per_company=3)
    rows[2] = rows[2].replace(";net30;", ";net60;")
    rows.append(rows[0].replace("Client 0000", "Company A").replace("u0@", "other@"))
    rows.append(rows[0].replace("Client 0000", "Client 0009").replace(";BTP;", ";NOPE;")
                .replace("u0@", "nope@"))
    rows.append(rows[0].replace("Client 0000", "Client 0010").replace("5000,00", "5 000")
                .replace("u0@", "money@"))
    job = checked_job(client, csv_bytes(CUSTOMER_HEADER, rows))
    found = {(line, column) for line, column, _r in job.report["errors"]}
    assert found == {(4, "payment_terms"), (5, "company_name"), (6, "customer_group"),
                     (7, "credit_limit")}


def test_formula_cells_are_stored_as_plain_text(client, world):
    login(client, world.staff)
    header = "company_name;user_email;user_name"
    raw = csv_bytes(header, ['"=HYPERLINK(""http://evil"")";f@x.test;"@SUM(1+1)"'])
    job = checked_job(client, raw)
    client.post(f"{BASE}/{job.id}/commit")
    assert run_to_rest(client, job.id).status == ImportStatus.DONE
    user = db.session.scalar(select(User).where(User.email == "f@x.test"))
    assert user.name == "@SUM(1+1)"
    assert user.company.name == '=HYPERLINK("http://evil")'


def test_a_file_of_more_than_100000_rows_is_refused(client, world):
    login(client, world.staff)
    raw = b"sku;warehouse_code;quantity\n" + b"A;LYO;1\n" * 100_001
    answer = upload(client, raw, kind="stock")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "100 000" in page
    assert db.session.scalar(select(func.count(ImportJob.id))) == 0


@pytest.mark.parametrize(("raw", "words"), [
    (b"", "empty"),
    ("company_name;user_email;user_name\nSoci\u00e9t\u00e9;a@b.fr;A\n".encode("cp1252"),
     "Windows-1252"),
    (b"company_name;user_email;user_name;role\nX;a@b.fr;A;staff_admin\n", "role"),
    (b"<html><body>hello</body></html>", "web page"),
])
def test_an_unusable_upload_is_refused_with_its_reason(client, world, raw, words):
    login(client, world.staff)
    client.post("/language", data={"lang": "en", "next": "/"})
    answer = upload(client, raw)
    assert answer.status_code == 422
    assert words in answer.get_data(as_text=True)


@pytest.mark.parametrize("who", ["fulfilment", "rep"])
def test_only_staff_admins_reach_imports(client, world, who):
    login(client, getattr(world, who))
    assert client.get(f"{BASE}/").status_code == 403
    assert upload(client, csv_bytes(CUSTOMER_HEADER, customer_rows(1))).status_code == 403
    assert client.get(f"{BASE}/export/orders.csv").status_code == 403


def test_a_customer_cannot_reach_imports(client, world):
    login(client, world.a.admin)
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/export/customers.csv").status_code == 403


def test_an_unknown_job_is_a_404_as_page_and_fragment(client, world):
    login(client, world.staff)
    assert client.get(f"{BASE}/4242").status_code == 404
    assert client.get(f"{BASE}/4242", headers=htmx_headers()).status_code == 404
    for method, path in (("get", "/4242/progress"), ("post", "/4242/commit")):
        assert client.open(BASE + path, method=method).status_code == 404
        assert client.open(BASE + path, method=method, headers=htmx_headers()).status_code == 404


def test_the_progress_fragment_polls_while_the_worker_runs_and_stops_when_done(
        client, world, monkeypatch):
    from datetime import UTC, datetime

    from portal import worker
    from portal.services import csv_import

    login(client, world.staff)
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 10)
    monkeypatch.setattr(worker, "start_import", lambda job_id: None)  # no worker yet
    answer = upload(client, csv_bytes(CUSTOMER_HEADER, customer_rows(35)))
    job_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    waiting = client.get(f"{BASE}/{job_id}/progress", headers=htmx_headers("job"))
    assert 'value="0"' in waiting.get_data(as_text=True)
    jobs.check_some(db.session.get(ImportJob, job_id), 0)  # the worker's first chunk
    db.session.commit()
    first = client.get(f"{BASE}/{job_id}/progress", headers=htmx_headers("job"))
    body = first.get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in body and "<progress" in body and "<html" not in body
    assert 'value="10"' in body and "fermer cette page" in body  # French by default
    csv_import.run_import(job_id, "test-worker", lambda: datetime.now(UTC))
    db.session.expire_all()
    assert db.session.get(ImportJob, job_id).status == ImportStatus.CHECKED
    last = client.get(f"{BASE}/{job_id}/progress", headers=htmx_headers("job"))
    assert "every 1s" not in last.get_data(as_text=True)


def test_a_file_over_8_mb_is_refused_before_it_is_read(client, world):
    login(client, world.staff)
    raw = b"sku;warehouse_code;quantity\n" + b"A;LYO;1;" + b"x" * (8 * 1024 * 1024)
    answer = upload(client, raw, kind="stock")
    # The form takes a media import's ZIP too (50 MB); the CSV alone stops at 8 MB.
    assert answer.status_code == 422
    assert "Le fichier CSV dépasse 8 Mo." in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ImportJob.id))) == 0
