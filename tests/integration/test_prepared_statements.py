"""PostgreSQL keeps a marked statement prepared from one request to the next (portal/database.py):
a request that only read ends with COMMIT, which leaves psycopg's prepared statements alone.
A request that wrote anything still ends with ROLLBACK, so nothing it left unfinished is kept.

Each request here runs in its own app context, as under gunicorn (the `app` fixture's context
would span the whole test, and the end of a request would never run)."""

import pytest
from flask import abort
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portal import create_app
from portal.database import prepared
from portal.extensions import db
from portal.models import Company, Role
from tests import factories as f
from tests.conftest import _empty_database, base_config, login

pytestmark = pytest.mark.postgres

_NAME = "SELECT name FROM companies WHERE id = :id"
_RENAME = "UPDATE companies SET name = 'Renamed' WHERE id = :id"


@pytest.fixture
def probe(_pg_schema):
    application, company_id, email = _probe_app(_pg_schema)
    yield application, company_id, email
    with application.app_context():
        db.engine.dispose()


def _probe_app(url: str, **engine_options):
    """The portal on one pooled connection, with a buyer, and a few routes that read or write
    the buyer's company the ways a view can. Flask's own test client: its requests run outside
    any context of the test's."""
    application = create_app(base_config(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, **engine_options}))
    with application.app_context():
        _empty_database("postgresql")
        company = f.company("Durand Bâtiment")
        buyer = f.user(company, Role.BUYER, email="buyer@test.example")
        db.session.commit()
        company_id, email = company.id, buyer.email

    def name():
        return db.session.execute(prepared(text(_NAME)), {"id": company_id}).scalar_one()

    @application.get("/probe/name")
    def read():
        return name()

    @application.get("/probe/prepared")
    def held():
        return "\n".join(db.session.scalars(text("SELECT statement FROM pg_prepared_statements")))

    @application.post("/probe/unfinished")
    def unfinished():
        db.session.execute(text(_RENAME), {"id": company_id})
        return name()  # the view forgot to commit: the change must not be kept

    @application.post("/probe/refused")
    def refused():
        db.session.execute(text(_RENAME), {"id": company_id})
        abort(409)

    @application.post("/probe/select-that-writes")
    def select_that_writes():
        return db.session.execute(text(
            f"WITH renamed AS ({_RENAME} RETURNING name) SELECT name FROM renamed"),  # noqa: S608
            {"id": company_id}).scalar_one()

    @application.post("/probe/failed-flush")
    def failed_flush():
        db.session.add(Company(name="Durand Bâtiment", id=company_id))  # the id is taken
        try:
            db.session.flush()
        except IntegrityError:
            return "refused"  # the view answers, and leaves the failed session to the end
        return "flushed"

    @application.post("/probe/commit-then-read")
    def commit_then_read():
        db.session.execute(text(_RENAME), {"id": company_id})
        db.session.commit()
        return name()

    return application, company_id, email


def _stored_name(application, company_id) -> str:
    with application.app_context():
        return db.session.get(Company, company_id).name


def test_the_signed_in_users_check_stays_prepared_from_one_request_to_the_next(probe):
    application, _company_id, email = probe
    client = application.test_client()
    login(client, email)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    held = client.get("/probe/prepared").get_data(as_text=True)
    assert "FROM users" in held and "WHERE users.id =" in held


def test_a_marked_statement_is_planned_once_and_kept_after_a_request_that_only_read(probe):
    application, _company_id, _email = probe
    client = application.test_client()
    assert client.get("/probe/name").get_data(as_text=True) == "Durand Bâtiment"
    assert client.get("/probe/name").get_data(as_text=True) == "Durand Bâtiment"
    assert "FROM companies WHERE id =" in client.get("/probe/prepared").get_data(as_text=True)


def test_a_statement_that_is_not_marked_is_not_kept_prepared(probe):
    application, _company_id, email = probe
    for _ in range(7):  # more than psycopg's own threshold of five runs
        login(application.test_client(), email)
    held = application.test_client().get("/probe/prepared").get_data(as_text=True)
    # The sign-in's statements ran 8 times each: none is held; the user check may be.
    assert all("WHERE users.id =" in statement for statement in held.split("\n") if statement)


@pytest.mark.parametrize("path", ["/probe/unfinished", "/probe/refused",
                                  "/probe/select-that-writes"])
def test_a_request_that_wrote_without_committing_keeps_nothing_of_it(probe, path):
    application, company_id, _email = probe
    client = application.test_client()
    client.get("/probe/name")
    client.post(path)
    assert _stored_name(application, company_id) == "Durand Bâtiment"
    assert client.get("/probe/name").get_data(as_text=True) == "Durand Bâtiment"


def test_a_committed_change_then_a_read_keeps_both(probe):
    application, company_id, _email = probe
    client = application.test_client()
    assert client.post("/probe/commit-then-read").get_data(as_text=True) == "Renamed"
    assert _stored_name(application, company_id) == "Renamed"
    assert "FROM companies WHERE id =" in client.get("/probe/prepared").get_data(as_text=True)


def test_a_pooler_that_cannot_carry_prepared_statements_can_turn_them_off(_pg_schema):
    """README "Scaling": PgBouncer in transaction mode before 1.21."""
    application, _company_id, email = _probe_app(
        _pg_schema, connect_args={"prepare_threshold": None})
    try:
        client = application.test_client()
        login(client, email)
        for _ in range(6):
            assert client.get("/healthz").status_code == 200
            assert client.get("/probe/name").get_data(as_text=True) == "Durand Bâtiment"
        assert client.get("/probe/prepared").get_data(as_text=True) == ""
    finally:
        with application.app_context():
            db.engine.dispose()


def test_a_view_that_answers_after_a_failed_write_leaves_the_next_request_whole(probe, caplog):
    application, company_id, _email = probe
    client = application.test_client()
    assert client.post("/probe/failed-flush").get_data(as_text=True) == "refused"
    assert "connection was lost" not in caplog.text
    assert client.get("/probe/name").get_data(as_text=True) == "Durand Bâtiment"
    assert _stored_name(application, company_id) == "Durand Bâtiment"
