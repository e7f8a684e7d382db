"""Shared column helpers for the models."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DDL, DateTime, Enum, Index, MetaData, event
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
