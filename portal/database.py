"""Per-connection SQLite settings: foreign keys, WAL, busy timeout, Unicode lower(); a
liveness check of server connections that sat idle; the end of each request's session; lists
of ids bound as one parameter, and statements kept prepared, on PostgreSQL; `read`, the short
way of a SELECT of columns."""

import logging
import re
import select
import time

from sqlalchemy import Integer, any_, bindparam, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from sqlalchemy.types import ARRAY

from portal.extensions import db

log = logging.getLogger(__name__)

# A pooled PostgreSQL connection unused for this long is checked before a request gets it.
IDLE_CHECK_SECONDS = 10.0


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    # WAL lets readers go on while one writer commits; memory databases ignore it.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's own lower() folds ASCII only; searches lowercase with Python's rules.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def ids_in(column, name: str, dialect: str):
    """`column IN :name`, the ids bound at execution as a list, for the `dialect` ("sqlite",
    "postgresql") of the statement's session.

    On PostgreSQL one array parameter, `column = ANY(:name)`: the statement's text stays the
    same whatever the number of ids. An expanding IN writes one parameter per id, and psycopg
    converts a statement of more than 50 parameters again on every execution (a 100-line
    cart's prices: 10 kB and 110 parameters, 1.9 -> 1.0 ms of CPU as an array). SQLite has
    no arrays: the expanding IN."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))


# -- Prepared statements (PostgreSQL) ---------------------------------------------------------
#
# A prepared statement is parsed and planned once a connection, then only run: the signed-in
# user's check takes 0.15 ms prepared against 0.45 ms. But psycopg prepares any
# statement it has run five times, and after five runs of a prepared statement PostgreSQL
# may switch to one "generic" plan for all values, costed for an average value. For a
# statement filtered by company or buyer the biggest customer then pays: the bench buyer's
# order history (4,346 orders) went from 0.25 ms to 15-22 ms. So psycopg prepares nothing by
# itself here (NEVER_BY_COUNT), and a statement is prepared only when marked `prepared()`.
#
# And psycopg forgets every prepared statement at a ROLLBACK, which is how SQLAlchemy ends a
# request that only read: such a request ends with COMMIT instead (`_end_session`). For a
# transaction that only ran SELECTs the two are the same to the database.

PREPARE = "portal_prepare"
NEVER_BY_COUNT = 2**31  # psycopg's threshold: no statement is run that often by one connection


def prepared(statement):
    """The statement, kept prepared on each PostgreSQL connection (nothing on SQLite). Only for
    a statement whose best plan is the same for every customer: rows by primary key or by a
    list of ids, a user's few rows; not "the orders of this buyer", where one buyer has 4,000
    and another 20 (see above)."""
    return statement.execution_options(**{PREPARE: True})


def read(statement, params=None):
    """The rows of a SELECT of columns (no ORM objects), on the request's connection.

    For such a statement the ORM's layer (its execute events, its result machinery) cost as
    much CPU as the database's work: 0.1 ms of the 0.15-0.3 ms a statement took on a page.
    This is SQLAlchemy Core's execute, after the autoflush the ORM would have done, so what
    the request changed is read back; types are converted as before. Writes go through the
    session: its execute events keep the request's memos right."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)


def _execute(cursor, statement, parameters, context):
    if context.execution_options.get(PREPARE):
        cursor.execute(statement, parameters, prepare=True)
        return True
    return None


_READS = re.compile(r"\s*SELECT\b", re.IGNORECASE).match


def _note_writes(conn, cursor, statement, parameters, context, executemany):
    """Anything but a SELECT (INSERT, UPDATE, DELETE, a SAVEPOINT, a SET, a WITH that may
    write) marks the connection's transaction as one that must end with ROLLBACK."""
    if not _READS(statement):
        conn.info["wrote"] = True


def _transaction_ended(conn):
    conn.info.pop("wrote", None)


def _watch_postgresql(engine) -> None:
    event.listen(engine, "do_execute", _execute)
    event.listen(engine, "before_cursor_execute", _note_writes)
    event.listen(engine, "commit", _transaction_ended)
    event.listen(engine, "rollback", _transaction_ended)


def _commit_if_only_read(session) -> None:
    """COMMIT, at the driver, a PostgreSQL transaction that only ran SELECTs, so that psycopg
    keeps its prepared statements; SQLAlchemy's ROLLBACK that follows then finds no
    transaction and does nothing. Any other statement (`_note_writes`), a transaction in
    error, or SQLite: left to SQLAlchemy's ROLLBACK, as before. A session that a failed
    flush left waiting for its rollback (a view caught the error and answered) is not asked
    for its connection: it would raise instead of closing."""
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql" or connection.info.get("wrote"):
        return
    from psycopg.pq import TransactionStatus

    driver = connection.connection.dbapi_connection
    if driver.info.transaction_status != TransactionStatus.INTRANS:
        return
    try:
        driver.commit()
    except connection.dialect.loaded_dbapi.Error as error:
        # A lost connection: SQLAlchemy's ROLLBACK right after fails too, and drops it.
        log.warning("a read-only transaction could not be committed: %s", error)


def dialect_of(session) -> str:
    """The dialect's name of the session's database ("sqlite", "postgresql")."""
    return session.get_bind().dialect.name


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Pool, "checkin")
def _note_idle(dbapi_connection, connection_record):
    connection_record.info["idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _check_if_idle(dbapi_connection, connection_record, connection_proxy):
    """Instead of pool_pre_ping, which costs a round trip to the server on every request: only
    a connection that sat idle (when a server restart or an idle timeout can have closed it)
    is tried first, and so is one whose socket has something to read while idle (the server
    closed it: a restart, a network cut), which costs a system call, not a round trip. A dead
    one makes the pool open a fresh connection (DisconnectionError); a connection that dies
    while busy fails that one request and SQLAlchemy empties the pool."""
    if _is_sqlite(dbapi_connection):
        return
    since = connection_record.info.get("idle_since")
    if since is None:
        return
    if time.monotonic() - since < IDLE_CHECK_SECONDS and not _closed_by_server(dbapi_connection):
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as error:  # noqa: BLE001 - any failure means: not usable
        raise exc.DisconnectionError(str(error)) from error


def _closed_by_server(dbapi_connection) -> bool:
    """An idle connection's socket is readable when the server closed it (end of file) or
    sent a notice; either way it is worth the check."""
    try:
        readable, _w, _x = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError, AttributeError):
        return True  # no usable socket: check it
    return bool(readable)


def init_app(app) -> None:
    """Call after db.init_app: teardowns run last-registered first, so this one ends the
    session before Flask-SQLAlchemy's remove() finds it."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "postgresql":
                _watch_postgresql(engine)
    app.teardown_appcontext(_end_session)


def _end_session(raised) -> None:
    """The connection can die after the response is built (a failover, a network cut) and the
    rollback that ends the request's read transaction then fails. Raised from a teardown, that
    error would turn a page already rendered into the server's bare 500; the answer is sent
    as it is and the dead connection is left out of the pool (SQLAlchemy invalidates it)."""
    try:
        if raised is None:
            _commit_if_only_read(db.session())
        db.session.close()
    except exc.SQLAlchemyError as error:
        log.warning("the database connection was lost at the end of a request: %s", error)
        db.session.registry.clear()  # the broken session is not reused
