"""What order-history search looks in: one lowercased text per order (number, PO number,
notes, and every line's SKU and name).

Searching the lines through a join scanned the two million order lines of the large data
set on PostgreSQL (2 to 3 s); one column per order, with a trigram index on PostgreSQL,
answers "%word%" from the index. The ORM keeps it in step (any flush that touches an
order or its lines rewrites that order's text); bulk loads (demo, benchmark) call
refresh() once at the end.
"""

from sqlalchemy import bindparam, event, func, inspect, literal, select, update
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import Order, OrderLine


def _lines_text(dialect: str):
    line = func.lower(OrderLine.sku + literal(" ") + OrderLine.name)
    joined = (func.string_agg(line, literal(" ")) if dialect == "postgresql"
              else func.group_concat(line, literal(" ")))
    return select(joined).where(OrderLine.order_id == Order.id).scalar_subquery()


def _statement(dialect: str, order_ids):
    header = func.lower(Order.number + literal(" ") + Order.po_number + literal(" ")
                        + Order.notes)
    stmt = update(Order).values(
        search_text=header + literal(" ") + func.coalesce(_lines_text(dialect), literal("")))
    if order_ids is not None:
        stmt = stmt.where(Order.id.in_(order_ids))
    return stmt.execution_options(synchronize_session=False)


def refresh(order_ids: list[int] | None = None) -> None:
    """Recompute the search text of these orders (all orders when None), in SQL."""
    db.session.execute(_statement(db.session.get_bind().dialect.name, order_ids))


_SEARCHED = ("number", "po_number", "notes")


@event.listens_for(Session, "after_flush")
def _keep_in_step(session, _context) -> None:
    touched = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, OrderLine):
            touched.add(obj.order_id)
        elif isinstance(obj, Order) and obj not in session.deleted and (
                obj in session.new or any(_changed(obj, name) for name in _SEARCHED)):
            touched.add(obj.id)
    touched.discard(None)
    if touched:
        connection = session.connection()
        connection.execute(_statement(connection.dialect.name, sorted(touched)))


def _changed(obj, name: str) -> bool:
    return inspect(obj).attrs[name].history.has_changes()


_ESCAPE = "/"


def pattern(text: str) -> str:
    """`text` as a LIKE pattern's middle wants it: lowercased, LIKE's wildcards escaped (a
    typed "%" or "_" is that character)."""
    return (text.lower().replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%")
            .replace("_", _ESCAPE + "_"))


# Orders whose number, PO, notes or lines contain the text bound as "order_text" (given as
# pattern(text)): for statements built once.
MATCHING = Order.search_text.contains(bindparam("order_text", type_=Order.search_text.type),
                                      escape=_ESCAPE)


def matching(text: str):
    """The condition for orders whose number, PO, notes or lines contain `text`."""
    return Order.search_text.contains(pattern(text), escape=_ESCAPE)
