"""What each buyer has bought (`bought_products`), kept in step with their orders whoever
changes them: after every kind of change the rows are what a rebuild from the order lines
gives, so the home's "due to reorder" and "to replace" cards read the same as they would from
the lines themselves."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import BoughtProduct, OrderLine, OrderStatus
from portal.services.ordering import rebuild_bought
from portal.services.ordering.bought import parse_days
from tests.conftest import login
from tests.factories import checkout_token, order

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _rows() -> dict:
    db.session.flush()
    db.session.expire_all()
    return {(r.user_id, r.product_id): (r.last_at, r.last_quantity, r.most, parse_days(r.days))
            for r in db.session.scalars(select(BoughtProduct))}


def _as_rebuilt() -> tuple[dict, dict]:
    kept = _rows()
    rebuild_bought(db.session, NOW)
    rebuilt = _rows()
    return kept, rebuilt


def _day(days_ago: int):
    return (NOW - timedelta(days=days_ago)).date()


def test_each_kind_of_change_leaves_the_rows_a_rebuild_would_make(app, world):
    buyer, other, p = world.a.buyer, world.a.approver, world.products
    first = order(buyer, [(p["screws"], 20), (p["cement"], 5)], placed_at=NOW - timedelta(days=30))
    second = order(buyer, [(p["screws"], 30), (p["gloves"], 24)],
                   placed_at=NOW - timedelta(days=16))
    third = order(buyer, [(p["screws"], 10), (p["screws"], 40)], placed_at=NOW - timedelta(days=2))
    order(buyer, [(p["flour"], 10)], placed_at=NOW - timedelta(days=1),
          status=OrderStatus.REJECTED)
    db.session.commit()
    kept, rebuilt = _as_rebuilt()
    assert kept == rebuilt
    # The latest order's largest line, the largest ever, each day's largest; no rejected one.
    assert kept[(buyer.id, p["screws"].id)] == (
        NOW - timedelta(days=2), 40, 40, {_day(30): 20, _day(16): 30, _day(2): 40})
    assert (buyer.id, p["flour"].id) not in kept

    changes = [
        ("an approver lowers a line", lambda: setattr(third.lines[1], "quantity", 12)),
        ("a line removed", lambda: third.lines.remove(third.lines[1])),
        ("a line's product replaced", lambda: setattr(second.lines[1], "product_id",
                                                      p["flour"].id)),
        ("an order rejected", lambda: setattr(second, "status", OrderStatus.REJECTED)),
        ("a rejected order restored", lambda: setattr(second, "status", OrderStatus.SUBMITTED)),
        ("an order moved in time", lambda: setattr(first, "placed_at", NOW - timedelta(days=3))),
        ("an order given to another buyer", lambda: setattr(first, "placed_by_id", other.id)),
        ("a line added to a placed order", lambda: first.lines.append(_line_like(
            first.lines[0], p["gloves"], 36))),
        ("an order cancelled", lambda: setattr(third, "status", OrderStatus.CANCELLED)),
        ("an order deleted", lambda: db.session.delete(first)),
        ("a line deleted, none of its columns loaded", lambda: _delete_expired(
            second.lines[0])),
    ]
    for what, change in changes:
        change()
        db.session.commit()
        kept, rebuilt = _as_rebuilt()
        assert kept == rebuilt, what
    # What is left: the second order's flour line (sixteen days ago).
    assert kept == {(buyer.id, p["flour"].id): (NOW - timedelta(days=16), 24, 24,
                                                {_day(16): 24})}


def _delete_expired(obj) -> None:
    db.session.expire(obj)
    db.session.delete(obj)


def _line_like(line, product, quantity):
    return OrderLine(position=9, product_id=product.id, sku=product.sku, name=product.name_fr,
                     quantity=quantity, unit_price_cents=100, line_total_cents=100 * quantity,
                     shipped_qty=0, backordered_qty=0)


def test_an_order_placed_at_checkout_is_counted_at_once(app, client, world):
    app.config["CLOCK_NOW"] = NOW.isoformat()
    buyer = world.a.buyer
    order(buyer, [(world.products["screws"], 20)], placed_at=NOW - timedelta(days=14))
    db.session.commit()
    login(client, buyer)
    assert client.post("/quick-order/add", data={"paste": "VIS-440;30"}).status_code == 303
    placed = client.post("/checkout/", data={"token": checkout_token(client),
                                             "place": f"jobsite:{world.a.sites[0].id}"})
    assert placed.status_code == 303
    assert _rows() == {(buyer.id, world.products["screws"].id): (
        NOW, 30, 30, {_day(14): 20, _day(0): 30})}


def test_days_older_than_a_year_are_dropped_when_the_row_is_written(app, world):
    buyer, screws = world.a.buyer, world.products["screws"]
    order(buyer, [(screws, 5)], placed_at=NOW - timedelta(days=400))
    order(buyer, [(screws, 7)], placed_at=NOW - timedelta(days=200))
    db.session.commit()
    order(buyer, [(screws, 3)], placed_at=NOW)
    db.session.commit()
    (row,) = _rows().values()
    assert row == (NOW, 3, 7, {_day(200): 7, _day(0): 3})


def test_the_migration_fills_the_table_from_the_orders_already_placed(tmp_path):
    """Upgrading a database that holds orders: their buyers' rows are there, as a rebuild
    makes them (the migration keeps its own copy of the statement). The migration keeps the
    days of the year before it runs: the orders are dated from the clock, whatever the day."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from portal import create_app
    from tests.conftest import base_config

    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)

    def at(days_ago: int) -> datetime:
        return midnight - timedelta(days=days_ago) + timedelta(hours=8)

    app = create_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'b.db'}"))
    with app.app_context():
        upgrade(revision="a2b3c4d5e6f7")
        with db.engine.begin() as connection:
            connection.execute(text("PRAGMA foreign_keys=OFF"))
            for oid, days_ago, status, quantities in ((1, 35, "delivered", (12, 4)),
                                                      (2, 21, "submitted", (10, 30)),
                                                      (3, 7, "rejected", (99,))):
                connection.execute(text(
                    "INSERT INTO orders (id, number, company_id, storefront_id, ship_to,"
                    " site_contact, delivery_window, delivery_notes, placed_by_id, po_number,"
                    " notes, payment_terms, currency, subtotal_cents, tax_cents, total_cents,"
                    " status, content_version, placed_at, updated_at, search_text)"
                    " VALUES (:id, :number, 1, 1, '', '', '', '', 7, '', '', 'net30', 'EUR', 0, 0,"
                    " 0, :status, 1, :at, :at, '')"),
                    {"id": oid, "number": f"C{oid}", "status": status,
                     "at": f"{at(days_ago):%Y-%m-%d %H:%M:%S}.000000"})
                for n, quantity in enumerate(quantities):
                    connection.execute(text(
                        "INSERT INTO order_lines (order_id, position, product_id, sku, name,"
                        " quantity, unit_price_cents, line_total_cents, note, shipped_qty,"
                        " backordered_qty) VALUES (:oid, :n, 5, 'VIS', 'Vis', :q, 1, :q, '', 0,"
                        " 0)"), {"oid": oid, "n": n, "q": quantity})
        upgrade()
        migrated = _rows()
        rebuild_bought(db.session, datetime.now(UTC))
        rebuilt = _rows()
        db.session.rollback()
        db.engine.dispose()
    (row,) = migrated.values()
    assert row == (at(21), 30, 30, {at(35).date(): 12, at(21).date(): 30})
    assert migrated == rebuilt


def test_the_warehouse_moving_an_order_along_does_not_touch_the_rows(app, world):
    """Confirmed, shipped, delivered: the order counts all along, so its products' rows are
    left alone (a recompute reads all of the buyer's lines of them)."""
    from sqlalchemy import event

    placed = order(world.a.buyer, [(world.products["screws"], 20)], placed_at=NOW)
    db.session.commit()
    seen = []

    def watch(conn, cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        for status in (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            placed.status = status
            db.session.commit()
        touched = [s for s in seen if "bought_products" in s]
        placed.status = OrderStatus.CANCELLED
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert touched == []
    assert any("bought_products" in s for s in seen)  # cancelled: it no longer counts
    assert _rows() == {}
