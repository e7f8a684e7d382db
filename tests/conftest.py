"""Fixtures shared by every suite.

Integration tests run on SQLite and, when PORTAL_TEST_DATABASE_URL names a PostgreSQL
database, once more on it (the `app` fixture is parametrized). Under CI=true a missing
PostgreSQL fails instead of skipping.
"""

import functools
import os
import tempfile
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

from portal import create_app
from portal.extensions import db
from portal.models import Role

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI") == "true"


def base_config(**overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 8,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "BASE_URL": "https://portal.test",
        "MAIL_PORT": 1,
        # Storefronts are read again only when a test resets them (no delay-dependent query).
        "STOREFRONTS_REFRESH_SECONDS": 0,
        # Each test process its own stamp: another process's reset must not make this one
        # read the storefronts again in the middle of a counted request.
        "STOREFRONTS_STAMP_FILE": os.path.join(tempfile.gettempdir(),
                                               f"portal-test-storefronts-{os.getpid()}.stamp"),
        # Stored files of the tests stay out of the checkout's instance folder.
        "STORAGE_DIR": os.path.join(tempfile.gettempdir(), f"portal-test-media-{os.getpid()}"),
    }
    config.update(overrides)
    return config


class PortalClient(FlaskClient):
    """Each request starts with an empty `g`, as in production.

    Tests hold one app context for their whole body (to use db.session), and Flask reuses it
    for the client's requests; without this, the signed-in user cached in `g` by Flask-Login
    would leak from one request (or one client) to the next.
    """

    def open(self, *args, **kwargs):
        g.__dict__.clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            g.__dict__.clear()


def _make_app(config: dict):
    application = create_app(config)
    application.test_client_class = PortalClient
    return application


@functools.cache
def _pg_url() -> str:
    """The test database; each xdist worker gets its own copy (<name>_<worker>)."""
    url = PG_URL
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base, name = url.rsplit("/", 1)
    target = f"{name}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": target}).first()
        if not found:
            connection.execute(text(f'CREATE DATABASE "{target}"'))
    engine.dispose()
    return f"{base}/{target}"


@pytest.fixture
def figure(request):
    """Report a measured figure (shown at the end of the run, also from xdist workers)."""

    def report(text: str) -> None:
        request.node.user_properties.append(("figure", text))

    return report


def pytest_terminal_summary(terminalreporter):
    figures = [value for report in terminalreporter.stats.get("passed", [])
               for key, value in getattr(report, "user_properties", []) if key == "figure"]
    if figures:
        terminalreporter.section("figures")
        for text in figures:
            terminalreporter.write_line(text)


# One app per (backend, settings), shared by the tests: building an app compiles ~100 URL
# rules (0.1-0.4 s), which dominated the suite. Each test still starts on an empty database,
# a fresh rate-limit store and the app's original settings.
_APPS: dict = {}


def _shared_app(backend: str, extra: dict, tmp_path_factory):
    key = (backend, repr(sorted(extra.items())))
    if key not in _APPS:
        if backend == "postgresql":
            if not PG_URL:
                if IN_CI:
                    pytest.fail("CI=true but PORTAL_TEST_DATABASE_URL is not set")
                pytest.skip("PORTAL_TEST_DATABASE_URL not set")
            url = _pg_url()
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        application = _make_app(base_config(SQLALCHEMY_DATABASE_URI=url, **extra))
        with application.app_context():
            if backend == "postgresql" and not any(k[0] == "postgresql" for k in _APPS):
                db.drop_all()
            db.create_all()
        _APPS[key] = application
    return _APPS[key]


def _empty_database(backend: str) -> None:
    tables = db.metadata.sorted_tables
    if backend == "postgresql":
        # DELETE beats TRUNCATE on a few rows per table (TRUNCATE rewrites every table file).
        statements = [f'DELETE FROM "{t.name}"' for t in reversed(tables)]  # noqa: S608
        statements += [f"SELECT setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), 1, false)"
                       for t in tables if "id" in t.c and t.c.id.autoincrement is not False
                       and len(t.primary_key.columns) == 1]
        db.session.execute(text(";\n".join(statements)))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
        # The catalog's full-text table lives outside the models; stale rows would match.
        if db.session.execute(text(
                "SELECT 1 FROM sqlite_master WHERE name = 'product_fts'")).first():
            db.session.execute(text("DELETE FROM product_fts"))
    # Every company and order belongs to a storefront: the trade portal is always there, as
    # the migration makes it; the storefronts read before are forgotten.
    from portal.models.storefronts import TRADE_ROW
    from portal.services.storefronts import forget

    db.session.execute(text(TRADE_ROW))
    # The reference stamp's row, with a value no process kept (models/stamps.py).
    from portal.models.stamps import stamp_row_sql

    db.session.execute(text(stamp_row_sql()))
    if backend == "postgresql":
        db.session.execute(text("SELECT setval('storefronts_id_seq', 1)"))
    forget()
    db.session.commit()


@pytest.fixture(scope="session")
def _pg_schema(tmp_path_factory):
    """The PostgreSQL URL, with the schema created (skips without PostgreSQL, fails in CI)."""
    _shared_app("postgresql", {}, tmp_path_factory)
    return _pg_url()


def _truncate_all():
    _empty_database("postgresql")


@pytest.fixture(scope="session", autouse=True)
def _dispose_engines():
    yield
    for application in _APPS.values():
        with application.app_context():
            db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path_factory):
    """The portal with an empty database, on each configured backend."""
    from portal.extensions import limiter

    marker = request.node.get_closest_marker("config")
    extra = dict(marker.kwargs) if marker else {}
    from portal import worker

    application = _shared_app(request.param, extra, tmp_path_factory)
    # Another test may have built an app of its own (not in testing mode, or with its own
    # queue): the worker's process-wide choice of queue is this app's again.
    worker.use_storage_of(application)
    settings = dict(application.config)
    with application.app_context():
        _empty_database(request.param)
        limiter.reset()
        yield application
        db.session.remove()
    application.config.clear()
    application.config.update(settings)


@pytest.fixture
def sqlite_app(tmp_path):
    """SQLite only: for tests that need no second run on PostgreSQL."""
    application = _make_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 't.db'}"))
    with application.app_context():
        db.create_all()
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, user_or_email, password=None):
    from tests.factories import PASSWORD

    email = getattr(user_or_email, "email", user_or_email)
    response = client.post("/login", data={"email": email, "password": password or PASSWORD})
    assert response.status_code == 303, response.data[:500]
    return response


@contextmanager
def counting():
    """The SQL statements the body of the `with` sends, as a list that fills as they go."""
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def htmx_headers(target: str | None = None) -> dict:
    headers = {"HX-Request": "true"}
    if target:
        headers["HX-Target"] = target
    return headers


@pytest.fixture
def world(app):
    """Two active companies (A and B) with a user of every customer role, staff, a catalog.

    Company A: group BTP on list PRO, units: branch "Agence" > jobsites "Site 1", "Site 2".
    Company B: same shape, another group (CHR) and list.
    """
    from tests import factories as f

    base = f.price_list("BASE", is_base=True)
    pro = f.price_list("PRO")
    chr_list = f.price_list("CHR")
    btp = f.group("BTP", pro)
    chr_group = f.group("CHR", chr_list)
    wh = f.warehouse("LYO")
    tools = f.category("Outillage")
    food = f.category("Épicerie")
    products = {
        "screws": f.product(tools, "VIS-440", price_list=base, case_pack=10, order_multiple=1,
                            tiers={1: 100, 5: 97, 10: 90}, warehouse=wh, stock=500),
        "cement": f.product(tools, "CIM-35", price_list=base, case_pack=1, tiers={1: 850},
                            warehouse=wh, stock=40),
        "gloves": f.product(tools, "GANT-9", price_list=base, case_pack=12, order_multiple=12,
                            tiers={12: 300}, warehouse=wh, stock=0),
        "flour": f.product(food, "FAR-T55", price_list=base, case_pack=10, order_multiple=10,
                           tiers={10: 120}, warehouse=wh, stock=100),
    }
    from portal.models import PriceTier

    db.session.add(PriceTier(price_list_id=pro.id, product_id=products["screws"].id, min_qty=1,
                             unit_price_cents=80))
    db.session.add(PriceTier(price_list_id=chr_list.id, product_id=products["screws"].id,
                             min_qty=1, unit_price_cents=95))
    companies = {}
    for key, grp in (("a", btp), ("b", chr_group)):
        c = f.company(f"Company {key.upper()}", customer_group_id=grp.id)
        from portal.models import UnitKind

        branch = f.unit(c, "Agence", UnitKind.BRANCH)
        site1 = f.unit(c, "Site 1", UnitKind.JOBSITE, parent=branch, site_contact_name="Léa",
                       site_contact_phone="0600000000", delivery_window="7h-10h")
        site2 = f.unit(c, "Site 2", UnitKind.JOBSITE, parent=branch)
        users = {
            "admin": f.user(c, Role.COMPANY_ADMIN, email=f"admin-{key}@test.example"),
            "approver": f.user(c, Role.APPROVER, unit_id=branch.id,
                               email=f"approver-{key}@test.example"),
            "buyer": f.user(c, Role.BUYER, unit_id=branch.id, order_limit_cents=100000,
                            email=f"buyer-{key}@test.example"),
            "viewer": f.user(c, Role.VIEWER, email=f"viewer-{key}@test.example"),
        }
        companies[key] = SimpleNamespace(company=c, branch=branch, sites=[site1, site2], **users)
    staff = {
        "staff": f.user(None, Role.STAFF_ADMIN, email="staff@test.example"),
        "rep": f.user(None, Role.SALES_REP, email="rep@test.example"),
        "fulfilment": f.user(None, Role.FULFILMENT, email="fulfilment@test.example"),
    }
    db.session.commit()
    return SimpleNamespace(a=companies["a"], b=companies["b"], products=products,
                           base=base, pro=pro, chr=chr_list, warehouse=wh,
                           categories={"tools": tools, "food": food}, **staff)
