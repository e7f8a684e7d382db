"""Shared column helpers for the models."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DDL, Date, DateTime, Enum, Index, MetaData, event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on SQLite (which drops tzinfo) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class utc_day(FunctionElement):  # noqa: N801 -- used like a SQL function
    """The UTC calendar day of a UTCDateTime column, computed by the database: a page that
    reads thousands of moments only for their day gets dates, not aware datetimes built one
    by one (`Order.placed_at` of half a year of orders on the home page)."""

    type = Date()
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"  # stored as UTC text


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"


def str_enum(enum_cls: type[StrEnum], name: str):
    """A VARCHAR column holding the enum's values (no native DB enum: easier migrations)."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda e: [m.value for m in e],
    )


def trigram_index(name: str, column: str) -> Index:
    """A PostgreSQL trigram index (pg_trgm, GIN): LIKE/ILIKE '%word%' without a scan.

    PostgreSQL only: SQLite searches the catalog through FTS5 and its other scans are small.
    """
    return Index(name, column, postgresql_using="gin",
                 postgresql_ops={column: "gin_trgm_ops"}).ddl_if(dialect="postgresql")


def enable_trigrams(metadata: MetaData) -> None:
    """create_all() (tests) needs the extension the trigram indexes use; migrations make it too."""
    event.listen(metadata, "before_create",
                 DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


def exists_on(obj, dialect: str) -> bool:
    """False for schema objects made on another database only (for Alembic's comparisons)."""
    condition = getattr(obj, "_ddl_if", None)
    return condition is None or condition.dialect in (None, dialect)
