"""What each buyer has bought, one row per product (`BoughtProduct`): what the home's "due to
reorder" and "to replace" cards read instead of the buyer's order lines.

A busy buyer's last half-year is 11,000 order lines (a buyer of 4,000 orders in the large
data set) and their last year twice that: reading them on every home page cost 30–100 ms
before the page had drawn anything. A row keeps, for one buyer and one product, over the
orders that count (placed by the buyer, not rejected or cancelled):
- the latest order's moment and its line's quantity (`last_at`, `last_quantity`);
- the largest line quantity ever (`most`);
- each UTC day of the last `KEEP_DAYS` it was ordered on, with that day's largest line
  quantity (`days`, as text: "2026-11-02:12 2026-11-16:10"; older days are dropped when the
  row is written, and readers ignore the ones past their own window).

Kept in step by the ORM, whoever writes (each flush notes what changed, the commit writes the
rows, in the same transaction): a line added to an order that counts is merged into its row;
any other change (a line's quantity or product, a line removed, an order rejected or
cancelled, its buyer or moment changed) recomputes the rows of the products concerned from
the order lines. A bulk load that bypasses the ORM (the benchmark's generator) calls
`rebuild()` once at the end; the migration that made the table filled it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, delete, event, inspect, select, text, tuple_, update
from sqlalchemy.orm import Session

from portal.models import BoughtProduct, Order, OrderLine, OrderStatus, User

NOT_ORDERED = (OrderStatus.REJECTED, OrderStatus.CANCELLED)
KEEP_DAYS = 366  # the longest window a reader asks for: a year ("to replace" a discontinued)


def parse_days(text: str) -> dict[date, int]:
    """The `days` text as {day: largest quantity that day} (a day written twice: the larger)."""
    days: dict[date, int] = {}
    for item in text.split():
        day, _, quantity = item.partition(":")
        key, value = date.fromisoformat(day), int(quantity)
        if value > days.get(key, -1):
            days[key] = value
    return days


def format_days(days: dict[date, int], newest: datetime) -> str:
    """`days` as stored: oldest first, without the days older than a year before `newest`."""
    since = (newest - timedelta(days=KEEP_DAYS)).date()
    return " ".join(f"{day.isoformat()}:{quantity}"
                    for day, quantity in sorted(days.items()) if day >= since)


class _Row:
    """A row being worked out: the stored one merged with lines, or one built from lines."""

    __slots__ = ("last_at", "last_quantity", "most", "days")

    def __init__(self, last_at=None, last_quantity=0, most=0, days=None):
        self.last_at, self.last_quantity, self.most = last_at, last_quantity, most
        self.days: dict[date, int] = days if days is not None else {}

    def add(self, placed_at: datetime, quantity: int) -> None:
        if (self.last_at is None or placed_at > self.last_at
                or (placed_at == self.last_at and quantity > self.last_quantity)):
            self.last_at, self.last_quantity = placed_at, quantity
        self.most = max(self.most, quantity)
        day = placed_at.date()
        self.days[day] = max(self.days.get(day, 0), quantity)

    def values(self, user_id: int, product_id: int) -> dict:
        return {"user_id": user_id, "product_id": product_id, "last_at": self.last_at,
                "last_quantity": self.last_quantity, "most": self.most,
                "days": format_days(self.days, self.last_at)}


_TABLE = BoughtProduct.__table__
_UPDATE = (update(_TABLE)
           .where(_TABLE.c.user_id == bindparam("b_user"),
                  _TABLE.c.product_id == bindparam("b_product"))
           .values(last_at=bindparam("b_last_at"), last_quantity=bindparam("b_last_quantity"),
                   most=bindparam("b_most"), days=bindparam("b_days")))


def _lock_buyers(connection, user_ids: set[int]) -> None:
    """One buyer's orders placed at the same moment on two devices would both read a
    product's row, or both insert it: the buyers' own rows are locked first (PostgreSQL;
    SQLite has one writer at a time), so the second waits, then reads what the first wrote.
    FOR NO KEY UPDATE: rows that only refer to the buyer (an order, an event) are not held."""
    connection.execute(select(User.id).where(User.id.in_(user_ids)).order_by(User.id)
                       .with_for_update(key_share=True))


def _add_lines(connection, added: dict[tuple[int, int], list[tuple[datetime, int]]]) -> None:
    """Merge newly ordered lines ({(user, product): [(moment, quantity)]}) into their rows."""
    _lock_buyers(connection, {user for user, _ in added})
    stored = {(r.user_id, r.product_id): _Row(r.last_at, r.last_quantity, r.most,
                                              parse_days(r.days))
              for r in connection.execute(
                  select(BoughtProduct).where(
                      tuple_(BoughtProduct.user_id, BoughtProduct.product_id).in_(list(added))))}
    changed, new = [], []
    for key, lines in added.items():
        row = stored.get(key) or _Row()
        for placed_at, quantity in lines:
            row.add(placed_at, quantity)
        (changed if key in stored else new).append(row.values(*key))
    if changed:
        connection.execute(_UPDATE, [{"b_user": v["user_id"], "b_product": v["product_id"],
                                      "b_last_at": v["last_at"],
                                      "b_last_quantity": v["last_quantity"],
                                      "b_most": v["most"], "b_days": v["days"]}
                                     for v in changed])
    if new:
        connection.execute(_TABLE.insert(), new)


def _recompute(connection, pairs: set[tuple[int, int]]) -> None:
    """Rebuild these (user, product) rows from the order lines (a row with no counted line
    left is deleted)."""
    by_user: dict[int, set[int]] = {}
    for user_id, product_id in pairs:
        by_user.setdefault(user_id, set()).add(product_id)
    _lock_buyers(connection, set(by_user))
    for user_id, product_ids in by_user.items():
        rows: dict[int, _Row] = {}
        for product_id, placed_at, quantity in connection.execute(
                select(OrderLine.product_id, Order.placed_at, OrderLine.quantity)
                .join(Order, Order.id == OrderLine.order_id)
                .where(Order.placed_by_id == user_id, Order.status.not_in(NOT_ORDERED),
                       OrderLine.product_id.in_(product_ids))):
            rows.setdefault(product_id, _Row()).add(placed_at, quantity)
        connection.execute(delete(BoughtProduct).where(
            BoughtProduct.user_id == user_id, BoughtProduct.product_id.in_(product_ids)))
        if rows:
            connection.execute(_TABLE.insert(),
                               [row.values(user_id, pid) for pid, row in rows.items()])


# Every row from the order lines in one statement (the migration that made the table runs
# the same one): the latest line per buyer and product, its largest quantity, and the days of
# the last year with their largest quantity.
_REBUILD = """
WITH counted AS (
  SELECT orders.placed_by_id AS user_id, order_lines.product_id, orders.placed_at,
         order_lines.quantity, {day} AS day
  FROM order_lines JOIN orders ON orders.id = order_lines.order_id
  WHERE orders.status NOT IN ('rejected', 'cancelled')),
per_day AS (
  SELECT user_id, product_id, day, max(quantity) AS quantity FROM counted
  WHERE day >= :since GROUP BY user_id, product_id, day),
day_text AS (
  SELECT user_id, product_id, {agg}(day || ':' || quantity, ' ') AS days FROM per_day
  GROUP BY user_id, product_id),
ranked AS (
  SELECT user_id, product_id, placed_at, quantity,
         row_number() OVER (PARTITION BY user_id, product_id
                            ORDER BY placed_at DESC, quantity DESC) AS rank,
         max(quantity) OVER (PARTITION BY user_id, product_id) AS most
  FROM counted)
INSERT INTO bought_products (user_id, product_id, last_at, last_quantity, most, days)
SELECT ranked.user_id, ranked.product_id, ranked.placed_at, ranked.quantity, ranked.most,
       coalesce(day_text.days, '')
FROM ranked LEFT JOIN day_text ON day_text.user_id = ranked.user_id
                              AND day_text.product_id = ranked.product_id
WHERE ranked.rank = 1
"""
_DIALECT = {"sqlite": {"day": "date(orders.placed_at)", "agg": "group_concat"},
            "postgresql": {"day": "to_char(orders.placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
                           "agg": "string_agg"}}


def rebuild(session, now: datetime) -> None:
    """Every row again from the order lines (after a bulk load that bypassed the ORM)."""
    connection = session.connection()
    connection.execute(delete(BoughtProduct))
    since = (now - timedelta(days=KEEP_DAYS)).date().isoformat()
    connection.execute(text(_REBUILD.format(**_DIALECT[connection.dialect.name])),
                       {"since": since})


# Keeping the rows in step with the ORM, whoever changes an order or its lines: each flush
# notes what changed (`_note`), the commit writes the rows (`_keep_in_step`). Written at the
# commit, not at each flush: a buyer's row is locked only for the end of the transaction, and
# two transactions of one buyer that each flush an order and then wait for the other (a test's
# barrier, a caller holding its transaction open) do not wait on each other's rows.

_ORDER_FIELDS = ("placed_by_id", "placed_at")
_LINE_FIELDS = ("quantity", "product_id", "order_id")
_WORK = "bought_products"


@event.listens_for(Session, "after_flush")
def _note(session, _context) -> None:
    work = None
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, OrderLine):
            work = work or session.info.setdefault(_WORK, _Work())
            if obj in session.new:
                work.added.add(obj.id)
            elif obj in session.deleted or _changed(obj, _LINE_FIELDS):
                for order_id in _values(obj, "order_id"):
                    work.redo.setdefault(order_id, set()).update(_values(obj, "product_id"))
        elif isinstance(obj, Order) and obj not in session.new:
            # A line taken out of `order.lines` is deleted as an orphan by this flush, without
            # ever being in session.deleted: the collection's history names it.
            removed = {line.product_id for line in inspect(obj).attrs["lines"].history.deleted}
            if obj in session.deleted or removed or _counts_otherwise(obj):
                work = work or session.info.setdefault(_WORK, _Work())
                work.redo.setdefault(obj.id, set()).update(removed)
                # The buyer of a deleted order, or the one it was moved from: the order no
                # longer says, and their rows are recomputed too.
                work.former.setdefault(obj.id, set()).update(_values(obj, "placed_by_id"))


class _Work:
    __slots__ = ("added", "redo", "former")

    def __init__(self):
        self.added: set[int] = set()  # new lines' ids: merged into their rows
        self.redo: dict[int, set[int]] = {}  # order id -> products whose rows are recomputed
        self.former: dict[int, set[int]] = {}  # order id -> buyers it had


@event.listens_for(Session, "before_commit")
def _keep_in_step(session) -> None:
    session.flush()  # the commit's own flush, done first: what it writes is noted too
    work: _Work | None = session.info.pop(_WORK, None)
    if work is None:
        return
    connection = session.connection()
    # The lines as they are now: one added then rolled back with its savepoint is gone.
    added = connection.execute(select(OrderLine.order_id, OrderLine.product_id,
                                      OrderLine.quantity)
                               .where(OrderLine.id.in_(work.added))).all() if work.added else []
    orders = {oid: (user, at, status) for oid, user, at, status in connection.execute(
        select(Order.id, Order.placed_by_id, Order.placed_at, Order.status)
        .where(Order.id.in_({order_id for order_id, _, _ in added} | set(work.redo))))}
    if work.redo:
        for order_id, product_id in connection.execute(
                select(OrderLine.order_id, OrderLine.product_id)
                .where(OrderLine.order_id.in_(list(work.redo)))):
            work.redo[order_id].add(product_id)
    pairs = {(user_id, product_id) for order_id, products in work.redo.items()
             for user_id in work.former.get(order_id, set()) | {orders.get(order_id, (None,))[0]}
             if user_id is not None for product_id in products}
    merged: dict[tuple[int, int], list[tuple[datetime, int]]] = {}
    for order_id, product_id, quantity in added:
        user_id, placed_at, status = orders[order_id]
        if status not in NOT_ORDERED and (user_id, product_id) not in pairs:
            merged.setdefault((user_id, product_id), []).append((placed_at, quantity))
    if merged:
        _add_lines(connection, merged)
    if pairs:
        _recompute(connection, pairs)


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction is over, committed or not
        session.info.pop(_WORK, None)


def _counts_otherwise(order: Order) -> bool:
    """Whether the change moves the order in what its buyer bought: another buyer or moment,
    or a status into or out of rejected and cancelled (not confirmed to shipped to delivered,
    which the warehouse does all day)."""
    if _changed(order, _ORDER_FIELDS):
        return True
    status = inspect(order).attrs["status"].history
    if not status.has_changes():
        return False
    if not status.deleted:  # set without the old value loaded: count it as a move
        return True
    return ({value in NOT_ORDERED for value in status.deleted}
            != {value in NOT_ORDERED for value in status.added})


def _changed(obj, names: Iterable[str]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _values(obj, name: str) -> set:
    """The attribute's value now and the one it had before this flush, if it changed."""
    history = inspect(obj).attrs[name].history
    return {value for value in (*history.unchanged, *history.added, *history.deleted)
            if value is not None} or {getattr(obj, name)}
