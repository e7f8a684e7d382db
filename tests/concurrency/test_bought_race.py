"""Two orders of one buyer committed at the same time (two phones), both the buyer's first of
a product: what the buyer bought counts both. The buyer's row is locked while their bought
products are merged at the commit; without it, both would find no row for the product and
both insert one, and the second commit would fail.

PostgreSQL only (SQLite has one writer at a time).
"""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.models import BoughtProduct, Product, Role, User
from portal.services.ordering.bought import parse_days
from tests import factories as f

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.mark.postgres
def test_two_first_orders_of_a_product_at_once_both_count(pg_app):
    product = f.product(f.category("Habitudes"), "HAB-1")
    buyer = f.user(f.company("Habit Co"), Role.BUYER)
    db.session.commit()
    first_has_read, errors = threading.Event(), []

    def hold_the_first(conn, cursor, statement, *_args):
        # The first commit has read the buyer's bought products: the second commits now.
        if (threading.current_thread().name == "first" and not first_has_read.is_set()
                and statement.startswith("SELECT") and "FROM bought_products" in statement):
            first_has_read.set()
            time.sleep(0.5)

    def place(days_ago: int, quantity: int) -> None:
        with pg_app.app_context():
            try:
                if threading.current_thread().name == "second":
                    first_has_read.wait(10)
                f.order(db.session.get(User, buyer.id),
                        [(db.session.get(Product, product.id), quantity)],
                        placed_at=NOW - timedelta(days=days_ago))
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(repr(exc))
                db.session.rollback()
            finally:
                db.session.remove()

    event.listen(db.engine, "after_cursor_execute", hold_the_first)
    try:
        threads = [threading.Thread(target=place, args=(9, 6), name="first"),
                   threading.Thread(target=place, args=(2, 8), name="second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        event.remove(db.engine, "after_cursor_execute", hold_the_first)
    assert first_has_read.is_set() and errors == []
    row = db.session.get(BoughtProduct, (buyer.id, product.id))
    assert (row.last_at, row.last_quantity, row.most) == (NOW - timedelta(days=2), 8, 8)
    assert parse_days(row.days) == {(NOW - timedelta(days=9)).date(): 6,
                                    (NOW - timedelta(days=2)).date(): 8}
