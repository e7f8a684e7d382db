"""Two orders of one buyer placed at the same time (two phones), both the buyer's first of a
product: what the buyer bought counts both (the buyer's row is locked while their bought
products are merged; without it the second insert of the same row fails the checkout).

PostgreSQL only (SQLite has one writer at a time).
"""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

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
    first_flushed, errors = threading.Event(), []

    def place(days_ago: int, quantity: int, hold: bool) -> None:
        with pg_app.app_context():
            try:
                if not hold:
                    first_flushed.wait(10)
                f.order(db.session.get(User, buyer.id),
                        [(db.session.get(Product, product.id), quantity)],
                        placed_at=NOW - timedelta(days=days_ago))
                if hold:
                    first_flushed.set()
                    time.sleep(0.5)  # the other order flushes meanwhile, and must wait
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(repr(exc))
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=place, args=(9, 6, True)),
               threading.Thread(target=place, args=(2, 8, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    row = db.session.get(BoughtProduct, (buyer.id, product.id))
    assert (row.last_at, row.last_quantity, row.most) == (NOW - timedelta(days=2), 8, 8)
    assert parse_days(row.days) == {(NOW - timedelta(days=9)).date(): 6,
                                    (NOW - timedelta(days=2)).date(): 8}
