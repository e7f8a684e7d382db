"""Running the portal as a service: logs that name the request and the account, readiness,
metrics for the operator only, and a secret key rotated without signing everyone out."""

import contextvars
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from portal import logs, monitoring
from portal.extensions import db
from portal.models import OutboxMessage
from tests.conftest import login

# ---------------------------------------------------------------- logs


def _fail_home_page(monkeypatch):
    def broken(_user):
        raise RuntimeError("home cards exploded")

    monkeypatch.setattr("portal.blueprints.home.routes.cards_for", broken)


def test_an_error_log_names_the_request_the_user_and_the_company(app, world, caplog,
                                                                monkeypatch):
    client = app.test_client()
    login(client, world.a.buyer)
    _fail_home_page(monkeypatch)
    with caplog.at_level(logging.INFO):
        response = client.get("/", headers={"X-Request-Id": "support-ticket-42"})
    assert response.status_code == 500
    assert response.headers["X-Request-Id"] == "support-ticket-42"
    failures = [r for r in caplog.records if r.name == "portal.errors"]
    assert failures, [r.getMessage() for r in caplog.records]
    record = failures[0]
    assert (record.request_id, record.user_id, record.company_id) == (
        "support-ticket-42", world.a.buyer.id, world.a.company.id)
    line = logs.TextFormatter().format(record)
    assert (f"[request_id=support-ticket-42 user_id={world.a.buyer.id} "
            f"company_id={world.a.company.id}]") in line.splitlines()[0]
    assert "RuntimeError: home cards exploded" in line  # the traceback follows its line


def test_every_record_of_a_request_carries_its_id_even_a_library_s(app, world, caplog):
    client = app.test_client()
    login(client, world.a.buyer)
    ids = (world.a.buyer.id, world.a.company.id)
    db.session.rollback()  # the request opens its own connection, which logs as configured
    with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"):
        response = client.get("/orders/", headers={"X-Request-Id": "rid-sql"})
    assert response.status_code == 200
    sql = [r for r in caplog.records if r.name.startswith("sqlalchemy.engine")]
    assert sql and {r.request_id for r in sql} == {"rid-sql"}
    # Once the session named the user, the database's own log lines name them too.
    assert {(r.user_id, r.company_id) for r in sql[-3:]} == {ids}


def test_json_log_lines_parse_with_the_context_fields(app, world, caplog, monkeypatch):
    client = app.test_client()
    login(client, world.a.buyer)
    _fail_home_page(monkeypatch)
    with caplog.at_level(logging.INFO):
        client.get("/", headers={"X-Request-Id": "rid-json"})
    record = next(r for r in caplog.records if r.name == "portal.errors")
    entry = json.loads(logs.JsonFormatter().format(record))
    assert entry["level"] == "ERROR" and entry["logger"] == "portal.errors"
    assert entry["request_id"] == "rid-json"
    assert (entry["user_id"], entry["company_id"]) == (world.a.buyer.id, world.a.company.id)
    assert "home cards exploded" in entry["exception"]
    assert "\n" not in logs.JsonFormatter().format(record)  # one line per record
    assert datetime.fromisoformat(entry["time"]).tzinfo is not None


def test_a_job_binds_its_id_to_the_records_made_inside(caplog):
    log = logging.getLogger("portal.jobs.test")
    with caplog.at_level(logging.INFO), logs.job_context("import-7"):
        log.info("row 3 of 40")
    log.info("outside")
    assert caplog.records[0].job_id == "import-7"
    assert json.loads(logs.JsonFormatter().format(caplog.records[0]))["job_id"] == "import-7"


def test_log_format_json_writes_json_lines_to_stderr(tmp_path, capsys):
    """With no logging set up by the host (gunicorn, a plain `python`), LOG_FORMAT=json puts
    one JSON object per line on stderr."""
    from portal import create_app
    from tests.conftest import base_config

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers.clear()
    try:
        create_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'j.db'}",
                               LOG_FORMAT="json"))
        logging.getLogger("portal.test").warning("disk %s%% full", 91)
        ours = root.handlers[:]
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    assert len(ours) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    entry = json.loads(lines[-1])
    assert entry["message"] == "disk 91% full" and entry["level"] == "WARNING"


def test_an_unknown_log_format_stops_the_app_at_start(tmp_path):
    from portal import create_app
    from tests.conftest import base_config

    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        create_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'j.db'}",
                               LOG_FORMAT="jsonl"))


# ---------------------------------------------------------------- readiness


@pytest.fixture
def stamped(app):
    """Sets the alembic_version row as `portal db upgrade` would (the fixtures build the
    schema with create_all), and removes the table afterwards."""

    def stamp(revision):
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE IF NOT EXISTS alembic_version "
                                    "(version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
            connection.execute(text("DELETE FROM alembic_version"))
            if revision:
                connection.execute(text("INSERT INTO alembic_version VALUES (:r)"),
                                   {"r": revision})

    yield stamp
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_healthz_answers_without_the_database(app, monkeypatch):
    monkeypatch.setattr(type(db), "engine", property(_unreachable_engine))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "alive"}


def test_readyz_is_ready_at_the_migration_head(app, stamped):
    stamped(monitoring.migration_head())
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {"status": "ready", "revision": monitoring.migration_head(),
                             "worker": {"seen_recently": False, "last_seen_seconds_ago": None}}


def test_readyz_refuses_traffic_while_the_database_is_behind_the_code(app, stamped):
    stamped("3004490aaaaa")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert response.json["status"] == "unavailable"
    assert "3004490aaaaa" in response.json["reason"]
    assert monitoring.migration_head() in response.json["reason"]
    stamped(None)  # never migrated
    assert app.test_client().get("/readyz").json["reason"].startswith(
        "database at migration none")


def _unreachable_engine(_self):
    return create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none",
                         connect_args={"connect_timeout": 2})


def test_readyz_answers_503_when_the_database_is_unreachable(app, monkeypatch):
    monkeypatch.setattr(type(db), "engine", property(_unreachable_engine))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "reason": "database unreachable"}


# ---------------------------------------------------------------- metrics


def _queue(count, created_at, attempts=0, dead_at=None):
    for n in range(count):
        db.session.add(OutboxMessage(kind="reset", to_address=f"u{n}@test.example",
                                     subject="s", body_text="b", created_at=created_at,
                                     next_attempt_at=created_at, attempts=attempts,
                                     dead_at=dead_at))


def _sample(body: str, name: str) -> float:
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the metrics")


@pytest.mark.config(METRICS_TOKEN="scrape-token-1")
def test_metrics_show_the_outbox_backlog_to_the_token_bearer_only(app, world):
    now = datetime.now(UTC)
    _queue(2, now - timedelta(hours=2))
    _queue(1, now - timedelta(days=3), attempts=8, dead_at=now)  # given up: not "pending"
    db.session.add(OutboxMessage(kind="reset", to_address="x@test.example", subject="s",
                                 body_text="b", created_at=now - timedelta(days=9),
                                 next_attempt_at=now, sent_at=now))
    db.session.commit()
    client = app.test_client()
    client.get("/catalog/")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    signed_in = app.test_client()
    login(signed_in, world.staff)
    assert signed_in.get("/metrics").status_code == 404  # staff are not scrapers either

    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-token-1"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert _sample(body, 'portal_outbox_unsent_messages{state="pending"}') == 2
    assert _sample(body, 'portal_outbox_unsent_messages{state="dead"}') == 1
    age = _sample(body, "portal_outbox_oldest_unsent_age_seconds")
    assert 2 * 3600 - 60 < age < 2 * 3600 + 600
    assert _sample(body, "portal_database_up") == 1
    assert 'portal_http_responses_total{endpoint="catalog.index",method="GET",status="200"}' \
        in body
    assert 'portal_http_request_duration_seconds_bucket{endpoint="catalog.index"' in body
    assert 'portal_http_request_sql_statements_count{endpoint="catalog.index"}' in body


def test_metrics_without_a_token_answer_direct_loopback_requests_only(app):
    client = app.test_client()
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    assert _sample(client.get("/metrics").get_data(as_text=True),
                   "portal_outbox_oldest_unsent_age_seconds") == 0
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}
                      ).status_code == 404
    # A reverse proxy on the same host: the visitor looks local but the request was forwarded.
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404


# ---------------------------------------------------------------- secret key rotation


def test_a_session_signed_with_the_old_key_still_opens_after_a_rotation(app, world):
    client = app.test_client()
    login(client, world.a.buyer)
    old_cookie = client.get_cookie("session").value
    app.config.update(SECRET_KEY="the-new-key", SECRET_KEY_FALLBACKS=["test-secret"])
    assert client.get("/orders/").status_code == 200
    app.config.update(SECRET_KEY_FALLBACKS=[])  # the old key retired: that cookie signs out
    stale = app.test_client()
    stale.set_cookie("session", old_cookie)
    assert stale.get("/orders/").status_code in (302, 303)


def test_a_reset_link_sent_before_a_rotation_still_opens(app, world):
    from portal.models import TokenPurpose
    from portal.services.accounts.signin import issue_token, token_user

    token = issue_token(world.a.buyer, TokenPurpose.RESET)
    db.session.commit()
    app.config.update(SECRET_KEY="the-new-key", SECRET_KEY_FALLBACKS=["test-secret"])
    assert token_user(token) is not None
    assert app.test_client().get(f"/password/set/{token}").status_code == 200
    app.config.update(SECRET_KEY_FALLBACKS=[])
    assert token_user(token) is None


def test_a_command_s_log_lines_carry_its_run_id(tmp_path, monkeypatch, caplog):
    """`portal send-mail` with the SMTP server down: its warning names the run."""
    from click.testing import CliRunner

    from portal import create_app
    from portal.cli import main
    from tests.conftest import base_config

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    setup = create_app(base_config(SQLALCHEMY_DATABASE_URI=url))
    with setup.app_context():
        db.create_all()
        _queue(1, datetime.now(UTC) - timedelta(minutes=5))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    for name, value in {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "cli-test-secret-key",
                        "DATABASE_URL": url, "MAIL_PORT": "1"}.items():
        monkeypatch.setenv(f"PORTAL_{name}", value)
    with caplog.at_level(logging.INFO):
        # In a copy of the context: the run's id must not stick to the next tests' records.
        result = contextvars.copy_context().run(CliRunner().invoke, main, ["send-mail"])
    assert result.exit_code == 0, result.output
    warning = next(r for r in caplog.records if "SMTP server unusable" in r.getMessage())
    assert warning.job_id.startswith("send-mail-") and len(warning.job_id) == 18
    assert warning.request_id is None


def test_a_request_id_that_could_forge_log_fields_is_replaced(app):
    client = app.test_client()
    kept = client.get("/healthz", headers={"X-Request-Id": "lb-7f3a.1:2"})
    assert kept.headers["X-Request-Id"] == "lb-7f3a.1:2"
    for forged in ("x user_id=1", 'x" "admin', "é" * 3, "a" * 65):
        answered = client.get("/healthz", headers={"X-Request-Id": forged})
        assert answered.headers["X-Request-Id"] != forged
        assert len(answered.headers["X-Request-Id"]) == 16
