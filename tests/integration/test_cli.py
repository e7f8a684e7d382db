"""`portal demo` builds the demo database from the migrations, with no configuration at all."""

import os
import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def test_portal_demo_builds_a_database_a_new_user_can_sign_in_to(tmp_path, app):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env["PORTAL_INSTANCE_PATH"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "portal", "demo", "--no-serve"], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(tmp_path / "portal.sqlite3") as connection:
        emails = {row[0] for row in connection.execute("SELECT email FROM users")}
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert {"buyer@demo.test", "staff@demo.test", "warehouse@demo.test"} <= emails
    assert version is not None
