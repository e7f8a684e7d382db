"""The reference stamp: one row whose value changes with every write to the reference data
each process keeps in memory (services/selling/memo.py, `per_process`).

The database itself changes it, by a trigger on each of those tables, in the writer's own
transaction: an ORM flush, a bulk statement, an import or a hand-written SQL statement alike,
on every process and machine. A new value is random, never the old one plus one: a value
seen inside a transaction that was rolled back is never reused by a later one, so a copy
kept under it can never pass for the data of another change.
"""

from __future__ import annotations

from sqlalchemy import DDL, BigInteger, Integer, event
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

# What the processes keep (categories, visibility rules, price lists and customer groups'
# lists): small, read on most pages, changed by staff a few times a day.
REFERENCE_TABLES = ("categories", "customer_groups", "price_lists", "visibility_rules")
STAMP_ID = 1


class ReferenceStamp(db.Model):
    __tablename__ = "reference_stamp"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger)


def stamp_row_sql() -> str:
    """The stamp's one row, with a value of its own (a database emptied by the tests and
    filled again never shows a value a process kept)."""
    import secrets

    # Our own integers, no input: nothing to inject.
    return f"INSERT INTO reference_stamp (id, value) VALUES ({STAMP_ID}, {secrets.randbits(62)})"  # noqa: S608


_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION bump_reference_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN UPDATE reference_stamp SET value = floor(random() * 4e18)::bigint; RETURN NULL; END "
    "$$")


def trigger_statements(dialect: str, table: str) -> list[str]:
    """The triggers that change the stamp on any write to `table` (one per statement on
    PostgreSQL, TRUNCATE included; one per row on SQLite, which has no other kind). `table`
    is one of REFERENCE_TABLES, never input."""
    if dialect == "postgresql":
        # Before the statement: every writer of reference data locks the stamp's row before
        # any row of those tables, so two of them never wait on each other in a circle.
        return [(f"CREATE TRIGGER {table}_stamp BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE "
                 f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_stamp()")]
    return [(f"CREATE TRIGGER {table}_stamp_{op.lower()} AFTER {op} ON {table} "  # noqa: S608
             "BEGIN UPDATE reference_stamp SET value = random(); END")
            for op in ("INSERT", "UPDATE", "DELETE")]


def function_statement() -> str:
    return _PG_FUNCTION


# create_all (tests, the demo) gets what the migration makes.
event.listen(db.metadata, "before_create", DDL(_PG_FUNCTION).execute_if(dialect="postgresql"))


@event.listens_for(ReferenceStamp.__table__, "after_create")
def _first_row(target, connection, **_kw):
    connection.exec_driver_sql(stamp_row_sql())


@event.listens_for(db.metadata, "after_create")
def _triggers(target, connection, tables=(), **_kw):
    made = {t.name for t in tables}  # the tables this call created (not those already there)
    for table in REFERENCE_TABLES:
        if table in made:
            for statement in trigger_statements(connection.dialect.name, table):
                connection.exec_driver_sql(statement)
