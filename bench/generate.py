"""`python -m bench generate`: build the large, deterministic bench database.

The schema comes from the project's Alembic migrations (`portal db upgrade`); rows are then
written in bulk with explicit ids (SQLite: executemany on one transaction with
`synchronous=OFF` and the journal in memory; PostgreSQL: COPY, with foreign-key triggers
paused for the load since the rows are consistent by construction). Everything is drawn from
`random.Random(7)`; only absolute dates follow the day of generation (orders span the two
years before its midnight, UTC). Named accounts get a production-cost argon2id hash of
bench.PASSWORD; the 10,000 bulk users share one low-cost hash computed once.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime

import bench
from bench import accounts_data, catalog_data, lists_data, orders_data, rules_data

BULK_ARGON2 = {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1}


class SqliteWriter:
    """Rows straight into sqlite3, in the storage format SQLAlchemy uses on SQLite."""

    def __init__(self, path):
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("synchronous=OFF", "journal_mode=MEMORY", "foreign_keys=OFF",
                       "cache_size=-262144", "temp_store=MEMORY"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.execute("BEGIN")
        self.counts: Counter = Counter()

    @staticmethod
    def ts(value: datetime) -> str:
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def day(value) -> str:
        return value.isoformat()

    @staticmethod
    def flag(value) -> int:
        return 1 if value else 0

    json = staticmethod(json.dumps)

    def write(self, table: str, columns, rows) -> None:
        if not rows:
            return
        marks = ", ".join("?" * len(columns))
        # Table and column names are the generator's own constants, never input.
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        self.conn.executemany(sql, rows)
        self.counts[table] += len(rows)

    def finish(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.close()


class PgWriter:
    """Rows through COPY (psycopg 3), one COPY per table chunk, one transaction."""

    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url)
        # Superuser on the bench server: skip the per-row foreign-key triggers of the load.
        self.conn.execute("SET session_replication_role = replica")
        self.conn.execute("SET synchronous_commit = off")
        self.counts: Counter = Counter()

    @staticmethod
    def ts(value: datetime) -> datetime:
        return value

    @staticmethod
    def day(value):
        return value

    flag = staticmethod(bool)
    json = staticmethod(json.dumps)

    def write(self, table: str, columns, rows) -> None:
        if not rows:
            return
        with self.conn.cursor() as cur, cur.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self.counts[table] += len(rows)

    def finish(self) -> None:
        self.conn.execute("SET session_replication_role = DEFAULT")
        tables = [r[0] for r in self.conn.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_name = 'id'")]
        # Tables without a sequence get NULL from pg_get_serial_sequence: setval skips them.
        for table in sorted(set(tables)):
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")
        self.conn.commit()
        self.conn.close()


def create_database(kind: str) -> None:
    bench.OUT.mkdir(parents=True, exist_ok=True)
    (bench.OUT / "instance").mkdir(exist_ok=True)
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            bench.SQLITE_PATH.with_name(bench.SQLITE_PATH.name + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = bench.PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(bench.PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def migrate(kind: str) -> None:
    subprocess.run([sys.executable, "-m", "portal", "db", "upgrade"], cwd=bench.ROOT,
                   env=bench.app_environment(kind), check=True, capture_output=True)


def password_hashes() -> tuple[str, str]:
    """(hash shared by the bulk users, production-cost hash of the named accounts)."""
    from argon2 import PasswordHasher

    from portal.config import Defaults

    bulk = PasswordHasher(**BULK_ARGON2).hash(bench.PASSWORD)
    named = PasswordHasher(time_cost=Defaults.ARGON2_TIME_COST,
                           memory_cost=Defaults.ARGON2_MEMORY_KIB, parallelism=1)
    return bulk, named.hash(bench.PASSWORD)


def fill(writer, scale: catalog_data.Scale, now: datetime, timings: dict) -> dict:
    from portal.services.catalog import search_text_for

    rng = random.Random(7)
    ids = accounts_data.Ids()
    cat, people = catalog_data.Catalog(), accounts_data.People()

    def phase(name, action):
        started = time.perf_counter()
        result = action()
        timings[name] = round(time.perf_counter() - started, 1)
        bench.log(f"  {name:<24} {timings[name]:7.1f} s")
        return result

    phase("categories", lambda: catalog_data.categories(writer, cat))
    writer.write("warehouses", ("id", "code", "name", "city"), catalog_data.WAREHOUSES)
    phase("products", lambda: catalog_data.products(writer, rng, scale, cat, now,
                                                    search_text_for))
    phase("stock", lambda: catalog_data.stock(writer, rng, cat))
    catalog_data.price_lists(writer)
    tiers = phase("base and group prices", lambda: catalog_data.base_and_group_tiers(
        writer, rng, cat))
    catalog_data.visibility(writer, cat)
    bulk_hash, named_hash = phase("password hashes", password_hashes)
    phase("companies", lambda: accounts_data.companies(writer, rng, scale, now, ids, people))
    phase("units", lambda: accounts_data.units(writer, rng, ids, people))
    phase("users", lambda: accounts_data.users(writer, rng, scale, now, ids, people, bulk_hash,
                                               named_hash))
    accounts_data.pools(rng, scale, cat, people)

    def contracts():
        for c in people.companies:
            if c.contract_list:
                chosen = list(dict.fromkeys(c.pool[:scale.contract_products]))
                while len(chosen) < scale.contract_products:
                    pid = rng.randrange(1, cat.count + 1)
                    if pid not in chosen and (c.group != catalog_data.CHR_GROUP
                                              or cat.category[pid] in cat.chr_leaf_ids):
                        chosen.append(pid)
                catalog_data.contract_tiers(tiers, rng, cat, c.contract_list, chosen)
        tiers.flush()

    phase("contract prices", contracts)
    rules_data.approval_rules(writer, ids, people)
    rules_data.applications(writer, rng, now, ids, people)
    phase("orders", lambda: orders_data.orders(writer, rng, scale, now, ids, cat, people))
    phase("lists and carts", lambda: lists_data.lists_and_carts(writer, rng, scale, now, ids,
                                                                 cat, people))
    return dict(writer.counts)


def after_load(kind: str, timings: dict) -> None:
    started = time.perf_counter()
    app = bench.make_app(kind)
    with app.app_context():
        from portal.extensions import db
        from portal.services.catalog import rebuild_search_index
        from portal.services.ordering import rebuild_bought
        from portal.services.orders import refresh

        bench.log("  order search texts...")
        refresh()
        db.session.commit()
        bench.log("  what each buyer bought...")
        rebuild_bought(db.session, datetime.now(UTC))
        db.session.commit()
        changed = rebuild_search_index()
        db.session.commit()
        bench.log(f"  search index rebuilt ({changed} search texts changed)")
        db.engine.dispose()
    timings["search index"] = round(time.perf_counter() - started, 1)
    if kind == "postgresql":
        import psycopg

        started = time.perf_counter()
        with psycopg.connect(bench.PG_URL, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = round(time.perf_counter() - started, 1)


def generate(kind: str, scale_name: str) -> dict:
    scale = catalog_data.SCALES[scale_name]
    bench.log(f"Generating the {scale.name} data set into {bench.database_url(kind)}")
    started = time.perf_counter()
    timings: dict = {}
    create_database(kind)
    migrate(kind)
    timings["schema (alembic)"] = round(time.perf_counter() - started, 1)
    # Midnight of the day: the rows do not depend on the hour the generator runs.
    now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    writer = SqliteWriter(bench.SQLITE_PATH) if kind == "sqlite" else PgWriter(bench.PG_URL)
    counts = fill(writer, scale, now, timings)
    load_started = time.perf_counter()
    writer.finish()
    timings["commit"] = round(time.perf_counter() - load_started, 1)
    after_load(kind, timings)
    total = round(time.perf_counter() - started, 1)
    size = _database_size(kind)
    result = {"db": kind, "scale": scale.name, "generated_at": now.isoformat(),
              "seconds": total, "timings": timings, "rows": counts,
              "total_rows": sum(counts.values()), "database_bytes": size,
              "argon2_bulk_users": BULK_ARGON2}
    (bench.OUT / f"generate-{kind}.json").write_text(json.dumps(result, indent=2))
    bench.log(f"Done in {total:.0f} s: {result['total_rows']:,} rows, "
              f"{size / 1e6:,.0f} MB")
    return result


def _database_size(kind: str) -> int:
    if kind == "sqlite":
        return sum(p.stat().st_size for p in bench.OUT.glob("bench.sqlite3*"))
    import psycopg

    with psycopg.connect(bench.PG_URL) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def existing(kind: str) -> dict | None:
    """The record of the last successful generation for this database, if any."""
    path = bench.OUT / f"generate-{kind}.json"
    if not path.exists():
        return None
    record = json.loads(path.read_text())
    if kind == "sqlite" and not bench.SQLITE_PATH.exists():
        return None
    return record
