"""The search text of products and, on SQLite, the FTS5 index built from it.

`Product.search_text` holds every searchable field, accent-free and case-folded; it is kept
by an ORM hook whoever changes a product. On SQLite the table `product_fts(search_text)`
(rowid = product id) mirrors it: created with the schema (or on first search), kept in step
by each flush of a Product. Bulk writes bypass the ORM: a bulk upsert (the CSV import, the
API) refreshes the entries of the products it wrote with `refresh_search_entries(skus)`;
`rebuild_search_index()` recomputes every product, after seeding.
"""

from __future__ import annotations

import unicodedata
import weakref

from sqlalchemy import event, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import Product

_FTS_TABLE = "product_fts"
# Every typed word is a prefix query ("vis"* AND "4"*): prefix indexes of 1 to 3 characters
# answer it from the index instead of reading every token that starts with it ("vis 4": 0.36
# ms of SQLite time without them, 0.06 ms with them, at 2,500 products). A table made before
# them is made again by the first search (see _ensure_fts).
_FTS_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS product_fts USING fts5("
    "search_text, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
)
_FTS_CURRENT = "prefix = '1 2 3'"  # in the table's definition when it is made as above
_TEXT_FIELDS = ("sku", "gtin", "name_fr", "name_en", "brand", "description_fr",
                "description_en")

# Not accents, so NFKD keeps them; people type them as two letters ("oeufs", "4x40").
_SPELLED = str.maketrans({"œ": "oe", "æ": "ae", "×": "x"})


def fold(value: str) -> str:
    """Accent-free, case-folded text: 'Équerre ÉTÉ' and 'equerre ete' compare equal."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().translate(_SPELLED)


def search_text_for(product) -> str:
    """The text `Product.search_text` holds: every searchable field, folded, one line."""
    parts = (getattr(product, name, None) or "" for name in _TEXT_FIELDS)
    return " ".join(fold(" ".join(parts)).split())


def _connection():
    return db.session.connection()


def uses_fts() -> bool:
    """Whether word search goes through FTS5 (SQLite with the module) on this session."""
    conn = _connection()
    return conn.dialect.name == "sqlite" and _ensure_fts(conn)


_FTS_SEEN = "product_fts seen in"


def _fts_definition(conn) -> str | None:
    """The FTS table's CREATE statement, None when it does not exist. Once seen in a
    transaction it is not looked up again in that transaction (a search page asks twice: the
    view's ensure_search_index, the search); the next transaction, or savepoint, looks again,
    as a rollback may have undone it."""
    transaction = conn.get_nested_transaction() or conn.get_transaction()
    seen = conn.info.get(_FTS_SEEN)
    if transaction is not None and seen is not None and seen[0]() is transaction:
        return seen[1]
    row = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'product_fts'"
    ).first()
    if row is not None and transaction is not None:
        conn.info[_FTS_SEEN] = (weakref.ref(transaction), row[0])  # the pool keeps conn.info
    return row[0] if row is not None else None


def _fts_exists(conn) -> bool:
    return _fts_definition(conn) is not None


def _fts_current(conn) -> bool:
    definition = _fts_definition(conn)
    return definition is not None and _FTS_CURRENT in definition


def _ensure_fts(conn) -> bool:
    """Whether the FTS table can be used; creates and fills it when missing, or made before
    its prefix indexes.

    Only "this SQLite has no FTS5" is remembered (per DBAPI connection): the table itself is
    looked up once a transaction (a cheap catalog read), since a transaction that created it
    may have been rolled back since.
    """
    if conn.info.get(_FTS_TABLE) is False:
        return False
    try:
        if _fts_current(conn):
            return True
        conn.info.pop(_FTS_SEEN, None)  # its definition changes here
        conn.exec_driver_sql("DROP TABLE IF EXISTS product_fts")
        conn.exec_driver_sql(_FTS_CREATE)
    except OperationalError:
        conn.info[_FTS_TABLE] = False  # no FTS5 module: LIKE it is
        return False
    _fill_fts(conn)
    return True


def ensure_search_index() -> bool:
    """Build the SQLite FTS table if it is missing (a database made by migrations, before any
    rebuild) or made before its prefix indexes. True when it was built now: the caller
    commits, so it is built only once."""
    conn = _connection()
    if conn.dialect.name != "sqlite" or conn.info.get(_FTS_TABLE) is False or _fts_current(conn):
        return False
    return _ensure_fts(conn)


def _fill_fts(conn) -> None:
    conn.exec_driver_sql("DELETE FROM product_fts")
    conn.exec_driver_sql(
        "INSERT INTO product_fts (rowid, search_text) SELECT id, search_text FROM products"
    )


# The brand lists of the search filter (filled by catalog.brands). They live here, beside what
# makes them stale, so that the index does not import the catalog that imports it.
_brands_cache: dict = {}


def brand_list_changed() -> None:
    """Products changed: the cached brand lists of the search filter are stale."""
    _brands_cache.clear()


def rebuild_search_index() -> int:
    """Recompute every product's search text and, on SQLite, refill the FTS table.

    Call after seeding or a bulk import (which bypass the ORM events). Changes the session;
    the caller commits. Returns the number of products whose text changed.
    """
    brand_list_changed()
    columns = [getattr(Product, name) for name in _TEXT_FIELDS]
    rows = db.session.execute(select(Product.id, Product.search_text, *columns)).all()
    changed = []
    for row in rows:
        fresh = search_text_for(row)
        if fresh != row.search_text:
            changed.append({"pid": row.id, "text": fresh})
    if changed:
        db.session.execute(
            text("UPDATE products SET search_text = :text WHERE id = :pid"), changed
        )
    conn = _connection()
    if conn.dialect.name == "sqlite" and _ensure_fts(conn):
        _fill_fts(conn)
    return len(changed)


def refresh_search_entries(skus) -> int:
    """Recompute the search text of these products only and, on SQLite, replace their FTS
    rows: a bulk upsert's cost grows with what it wrote, not with the catalog (a rebuild
    per 1,000-product request read all 50,000 products each time).

    Changes the session; the caller commits. Returns the number of texts that changed.
    """
    brand_list_changed()
    wanted = sorted(set(skus))
    columns = [getattr(Product, name) for name in _TEXT_FIELDS]
    conn = _connection()
    fts = conn.dialect.name == "sqlite" and _ensure_fts(conn)
    changed = 0
    for start in range(0, len(wanted), _CHUNK):
        rows = db.session.execute(select(Product.id, Product.search_text, *columns).where(
            Product.sku.in_(wanted[start:start + _CHUNK]))).all()
        fresh = [{"pid": row.id, "text": search_text_for(row), "old": row.search_text}
                 for row in rows]
        stale = [{"pid": r["pid"], "text": r["text"]} for r in fresh if r["text"] != r["old"]]
        if stale:
            db.session.execute(
                text("UPDATE products SET search_text = :text WHERE id = :pid"), stale)
            changed += len(stale)
        if fts and fresh:
            conn.execute(text("DELETE FROM product_fts WHERE rowid = :pid"),
                         [{"pid": r["pid"]} for r in fresh])
            conn.execute(text("INSERT INTO product_fts (rowid, search_text) "
                              "VALUES (:pid, :text)"),
                         [{"pid": r["pid"], "text": r["text"]} for r in fresh])
    return changed


_CHUNK = 1000  # SKUs per statement: far below SQLite's bound-parameter limit


# Keeping search_text and the FTS rows in step with the ORM, whoever changes a product.


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session, flush_context, instances):
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Product):
            brand_list_changed()
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Product):
            fresh = search_text_for(obj)
            if obj.search_text != fresh:
                obj.search_text = fresh


@event.listens_for(Session, "after_flush")
def _sync_fts(session, flush_context):
    touched = [o for o in session.new if isinstance(o, Product)]
    touched += [o for o in session.dirty if isinstance(o, Product)]
    gone = [o.id for o in session.deleted if isinstance(o, Product)]
    if not touched and not gone:
        return
    conn = session.connection()
    if conn.dialect.name != "sqlite" or conn.info.get(_FTS_TABLE) is False:
        return
    if not _fts_exists(conn):
        return  # no index yet: the first search builds it from the table
    ids = [{"pid": o.id} for o in touched] + [{"pid": pid} for pid in gone]
    conn.execute(text("DELETE FROM product_fts WHERE rowid = :pid"), ids)
    if touched:
        conn.execute(
            text("INSERT INTO product_fts (rowid, search_text) VALUES (:pid, :text)"),
            [{"pid": o.id, "text": o.search_text or ""} for o in touched],
        )


@event.listens_for(db.metadata, "after_create")
def _create_fts(target, connection, **kw):
    if connection.dialect.name == "sqlite":
        try:
            connection.exec_driver_sql(_FTS_CREATE)
        except OperationalError:
            pass  # no FTS5 in this build: search uses LIKE
