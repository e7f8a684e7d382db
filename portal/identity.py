"""The signed-in user of a request: checked against its rows on every request, built by the
ORM only when those rows changed.

Every signed-in request needs its user with the company and the header's jobsite. Loading
them through the ORM cost 0.6 ms of CPU a request on SQLite and 1.2 ms on PostgreSQL, a
quarter of a signed-in request that renders nothing. This process keeps, for each user it
served, a detached copy of those three objects next to the exact rows (as the database
driver returned them) they were built from. Each request reads the rows again, in one
statement sent on the driver's cursor (with the cart count and the reference stamp, as
before): when they equal the kept ones, the kept copy is merged into the request's session
without a statement (`Session.merge(load=False)`); else the ORM loads the user again, and
the copy is kept anew.

Nothing is taken on trust: the comparison is the whole row of the user, its company and its
jobsite, so a bumped session version, a disabled account, a changed role, limit or company
status (an ORM flush, a bulk statement, an import or hand-written SQL, in any process) is
seen at the next request. A copy is made from the statement that carried its own rows, so it
never stands for rows it was not built from.
"""

from __future__ import annotations

from sqlalchemy import bindparam, exc, select, type_coerce
from sqlalchemy.orm import Session, contains_eager
from sqlalchemy.orm.util import identity_key
from sqlalchemy.types import NullType

from portal.extensions import db
from portal.memory import Kept, kept
from portal.models import Company, Unit, User
from portal.services.navigation import CART_COUNT_OF_USER
from portal.services.selling import REFERENCE_STAMP

_USERS, _COMPANIES, _UNITS = User.__table__, Company.__table__, Unit.__table__
_ROW_COLUMNS = (*_USERS.c, *_COMPANIES.c, *_UNITS.c)
_WIDTH = len(_ROW_COLUMNS)
_JOINED = _USERS.outerjoin(_COMPANIES, _COMPANIES.c.id == _USERS.c.company_id).outerjoin(
    _UNITS, _UNITS.c.id == _USERS.c.last_jobsite_id)

# The rows, then the cart count and the reference stamp: read on every signed-in request.
_CHECK = select(*_ROW_COLUMNS, CART_COUNT_OF_USER, REFERENCE_STAMP).select_from(_JOINED).where(
    _USERS.c.id == bindparam("user_id"))
# The objects and, in the same statement, the rows as the driver gives them (no type
# conversion), to compare with what `_CHECK` reads.
_LOAD = (
    select(User, CART_COUNT_OF_USER, REFERENCE_STAMP,
           *(type_coerce(column, NullType()).label(f"row_{i}")
             for i, column in enumerate(_ROW_COLUMNS)))
    .outerjoin(Company, Company.id == User.company_id)
    .outerjoin(Unit, Unit.id == User.last_jobsite_id)
    .options(contains_eager(User.company), contains_eager(User.last_jobsite))
    .where(User.id == bindparam("user_id"))
)

_KEPT = "portal.identity"
# Past this many users served by one process, start afresh: a copy with its rows takes
# about 6.5 kB, so at most 13 MB a process.
MAX_KEPT = 2_000


def load(user_id: int) -> tuple[User, int | None, int | None] | None:
    """The user (in the request's session, company and jobsite loaded), its cart's line
    count and the reference stamp; None if there is no such user."""
    session = db.session()
    if identity_key(User, user_id) in session.identity_map:
        return _load(session, user_id, keep=False)  # see _held
    row = _read_rows(session, user_id)
    if row is None:
        return None
    rows, cart_lines, stamp = row[:_WIDTH], row[_WIDTH], row[_WIDTH + 1]
    if _held(session, rows):
        return _load(session, user_id, keep=False)
    copy = _copies().get(user_id)
    if copy is not None and copy[0] == rows:
        return session.merge(copy[1], load=False), cart_lines, stamp
    return _load(session, user_id, keep=True)


_COMPANY_AT = _ROW_COLUMNS.index(_USERS.c.company_id)
_JOBSITE_AT = _ROW_COLUMNS.index(_USERS.c.last_jobsite_id)


def _held(session: Session, rows: tuple) -> bool:
    """The session holds the user's company or jobsite already (a test's own session, a page
    that read the company first; `load` checks the user itself before any statement): a
    merge would write over what it holds, and the ORM keeps what it holds, changed or not,
    so a copy made from it could differ from the rows. The ORM loads them as it always did,
    and nothing is kept."""
    held = session.identity_map
    return bool(held) and (
        (rows[_COMPANY_AT] is not None and identity_key(Company, rows[_COMPANY_AT]) in held)
        or (rows[_JOBSITE_AT] is not None and identity_key(Unit, rows[_JOBSITE_AT]) in held))


def _load(session: Session, user_id: int, keep: bool):
    loaded = session.execute(_LOAD, {"user_id": user_id}).first()
    if loaded is None:
        return None
    user, cart_lines, stamp = loaded[:3]
    if keep:
        _copies().keep(user_id, (tuple(loaded[3:]), _detached_copy(user)))
    return user, cart_lines, stamp


def _copies() -> Kept:
    """This process's copies: user id -> (the rows, the detached user)."""
    return kept(_KEPT, MAX_KEPT)


def _read_rows(session: Session, user_id: int):
    """`_CHECK` sent on the driver's cursor: SQLAlchemy's result machinery cost more than the
    statement itself. The engine's statement events still fire (metrics, statement counts)."""
    connection = session.connection()
    compiled = _compiled(connection.dialect)
    params = compiled.construct_params({"user_id": user_id})
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    sql = compiled.string
    cursor = connection.connection.cursor()
    try:
        connection.dispatch.before_cursor_execute(connection, cursor, sql, params, None, False)
        if connection.dialect.name == "postgresql":  # by primary key: kept prepared
            cursor.execute(sql, params, prepare=True)  # (database.prepared says why)
        else:
            cursor.execute(sql, params)
        connection.dispatch.after_cursor_execute(connection, cursor, sql, params, None, False)
        return cursor.fetchone()
    except connection.dialect.loaded_dbapi.Error as error:
        raise _as_sqlalchemy_error(connection, cursor, sql, params, error) from error
    finally:
        cursor.close()


def _as_sqlalchemy_error(connection, cursor, sql, params, error):
    """What SQLAlchemy makes of a driver's error: its own exception (a lost database is an
    OperationalError, answered 503), and a connection the server closed is dropped from the
    pool instead of being handed to the next request."""
    dialect = connection.dialect
    lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
    wrapped = exc.DBAPIError.instance(sql, params, error, dialect.loaded_dbapi.Error,
                                      connection_invalidated=lost, dialect=dialect)
    if lost:
        connection.invalidate(wrapped)
    return wrapped


_COMPILED: dict = {}


def _compiled(dialect):
    found = _COMPILED.get(dialect.name)
    if found is None:
        found = _COMPILED[dialect.name] = _CHECK.compile(dialect=dialect)
    return found


def _detached_copy(user: User) -> User:
    """A copy of the user with its company and jobsite, in no session: merged into each
    request's own, never changed itself."""
    scratch = Session()
    try:
        return scratch.merge(user, load=False)
    finally:
        scratch.expunge_all()
