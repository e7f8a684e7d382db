"""A double tap on "Place order" on a flaky network makes one order (PostgreSQL only).

Ten clients of the same buyer post the same checkout token at the same instant (a barrier
releases them together), twenty times over: exactly one order per trial, and every answer
leads to that order.
"""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Order
from tests.concurrency.bursts import post_together
from tests.conftest import login
from tests.factories import cart_with, checkout_token

TRIALS = 200
SUBMITS = 10


# Concurrency is proved on PostgreSQL only (SQLite serialises writers).
pytestmark = pytest.mark.parametrize("app", ["postgresql"], indirect=True)


@pytest.fixture
def postgres_only(app):
    return app


@pytest.mark.postgres
def test_double_submit_makes_exactly_one_order_per_token(figure, postgres_only, world):
    app, buyer, site = postgres_only, world.a.buyer, world.a.sites[0]
    clients = [app.test_client() for _ in range(SUBMITS)]
    for client in clients:
        login(client, buyer)
    for trial in range(TRIALS):
        cart_with(buyer, (world.products["cement"], 2), (world.products["screws"], 5))
        token = checkout_token(clients[0])
        form = {"token": token, "place": f"jobsite:{site.id}"}
        answers = post_together(app, clients, "/checkout/", [form] * len(clients))
        db.session.expire_all()
        placed = db.session.scalars(select(Order).where(Order.submit_token == token)).all()
        assert len(placed) == 1, f"trial {trial}: {len(placed)} orders"
        assert [a.status_code for a in answers] == [303] * SUBMITS
        locations = {a.headers["Location"] for a in answers}
        assert locations == {f"/orders/{placed[0].id}"}, locations
        assert re.fullmatch(r"CMD-\d{4}-\d{6}", placed[0].number)
    orders = db.session.scalar(select(func.count(Order.id)))
    assert orders == TRIALS
    figure(f"double-submit: {TRIALS} trials × {SUBMITS} submits → {orders} orders")
