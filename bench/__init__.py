"""Performance benchmark of the portal on a large, generated data set.

`python -m bench generate|run|load|weight|phone|report|all` (see bench/README.md). Nothing here
is imported by the portal or by the test suite; the outputs go to bench/out/ (git-ignored).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
# BENCH_OUT moves every output (databases, JSON, reports) elsewhere, e.g. for a second data set.
OUT = Path(os.environ.get("BENCH_OUT") or BENCH_DIR / "out")

SQLITE_PATH = OUT / "bench.sqlite3"
# `portal seed-demo`'s data set, rebuilt by `python -m bench lighthouse`.
DEMO_SQLITE_PATH = OUT / "demo.sqlite3"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql://postgres@127.0.0.1:5432/portal_bench"

# The secret of every app the bench starts (in-process and gunicorn): a bench, not a deployment.
SECRET_KEY = "bench-only-secret-key-not-for-production"  # noqa: S105

# The named accounts the measurements sign in as (all share this password).
PASSWORD = "bench-password-123"  # noqa: S105
BIG_COMPANY = "Bench Big Co"
BUYER = "bench-buyer@bench.test"
APPROVER = "bench-approver@bench.test"
VIEWER = "bench-viewer@bench.test"
WAREHOUSE = "bench-warehouse@bench.test"
STAFF_ADMIN = "bench-staff@bench.test"

# Markers the generator leaves so the measurements find their objects again.
REORDER_ORDER_PO = "BENCH-REORDER-100"
DETAIL_ORDER_PO = "BENCH-DETAIL"
BENCH_LIST_NAME = "Bench list"
CART_LINES = 100


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    if kind == "postgresql":
        return PG_URL
    if kind == "demo":
        return f"sqlite:///{DEMO_SQLITE_PATH}"
    raise SystemExit(f"unknown database kind {kind!r}: sqlite, postgresql or demo")


def app_environment(kind: str) -> dict:
    """Environment of a process serving the bench database (portal CLI, gunicorn)."""
    env = dict(os.environ)
    env.update({
        "PORTAL_DATABASE_URL": database_url(kind),
        "PORTAL_INSTANCE_PATH": str(OUT / "instance"),
        "PORTAL_SECRET_KEY": SECRET_KEY,
        "PORTAL_SESSION_COOKIE_SECURE": "0",
        "PORTAL_REMEMBER_COOKIE_SECURE": "0",
        "PYTHONPATH": str(ROOT),
    })
    return env


def app_config(kind: str) -> dict:
    """Settings of the in-process app: production-like (TESTING off, CSRF on), plain http."""
    return {
        "TESTING": False,
        "DEBUG": False,
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url(kind),
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "BASE_URL": "http://127.0.0.1:8000",
    }


def make_app(kind: str):
    """The portal app pointed at the bench database, with request logging quiet."""
    import logging

    os.environ.setdefault("PORTAL_INSTANCE_PATH", str(OUT / "instance"))
    (OUT / "instance").mkdir(parents=True, exist_ok=True)
    from portal import create_app

    app = create_app(app_config(kind))
    logging.getLogger("portal").setLevel(logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)
    return app


class Progress:
    """A one-line progress bar on stderr (no dependency)."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.start = self._last = time.perf_counter()
        self._tty = sys.stderr.isatty()

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if now - self._last >= (0.2 if self._tty else 5.0) or self.done >= self.total:
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        line = (f"{self.label:<22} [{bar:<30}] {share:6.1%} {self.done:>10,}/{self.total:,}"
                f" {now - self.start:6.1f}s")
        sys.stderr.write(("\r" + line) if self._tty else (line + "\n"))
        sys.stderr.flush()

    def close(self) -> float:
        elapsed = time.perf_counter() - self.start
        self.done = max(self.done, self.total) if self.done >= self.total else self.done
        self._draw(time.perf_counter())
        if self._tty:
            sys.stderr.write("\n")
        return elapsed


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
