"""Real portal processes on PostgreSQL for the outage and two-process suites: a scratch
database, the environment gunicorn gets, and gunicorn itself (stopped on exit)."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from e2e.conftest import _free_port, _wait_for
from tests.conftest import IN_CI, PG_URL

__all__ = ["free_port", "gunicorn", "portal_env", "scratch_database", "PORTAL"]

PORTAL = [sys.executable, "-m", "portal"]
free_port = _free_port


def pg_url_or_skip() -> str:
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but PORTAL_TEST_DATABASE_URL is not set")
        pytest.skip("PORTAL_TEST_DATABASE_URL not set")
    return PG_URL


@contextmanager
def scratch_database(prefix: str):
    """A new, empty PostgreSQL database next to the test one; dropped on exit."""
    admin_url = make_url(pg_url_or_skip()).set(drivername="postgresql+psycopg")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def portal_env(instance: Path, database_url, **settings) -> dict:
    """What a production-like portal process gets: PORTAL_* variables, plain http."""
    env = dict(os.environ)
    env.update({
        "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_DATABASE_URL": database_url.set(drivername="postgresql").render_as_string(
            hide_password=False),
        "PORTAL_SECRET_KEY": "faults-secret-key",
        "PORTAL_SESSION_COOKIE_SECURE": "0",
        "PORTAL_REMEMBER_COOKIE_SECURE": "0",
        "PORTAL_MAIL_PORT": "1",  # the outbox keeps the emails; nothing is sent
    })
    env.update({f"PORTAL_{k}": str(v) for k, v in settings.items()})
    return env


@contextmanager
def gunicorn(env: dict, log: Path, workers: int = 1, threads: int = 4):
    """`gunicorn portal:create_app()` on a free loopback port; yields its base URL."""
    port = free_port()
    with open(log, "a") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads",
             str(threads), "--bind", f"127.0.0.1:{port}", "portal:create_app()"],
            env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_for(url + "/healthz")
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)
