"""Adds to one cart at the same instant lose nothing, and a user's first adds all answer.

A double tap on "Add" (or two phones of one buyer) sends simultaneous adds; each must count.
Ten clients of one buyer post "Add" together: first into a cart that does not exist yet (the
cart is created by whichever comes first), then again onto the line they made. A second test
has twenty writers mixing single adds and add_many (quick order, lists) onto the same line.

Both databases: SQLite (the embedded default) and PostgreSQL; prints the figures.
"""

import threading

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Cart, CartLine, Product, Role, User
from portal.services.ordering import cart as cart_service
from tests import factories as f
from tests.conftest import login

USERS = 8
CLIENTS = 10
ROUNDS = 10
WRITERS = 20


def _line_quantity(user_id: int, product_id: int) -> tuple[int, int]:
    """(lines of this product in the user's cart, their quantity)."""
    db.session.expire_all()
    return db.session.execute(
        select(func.count(CartLine.id), func.coalesce(func.sum(CartLine.quantity), 0))
        .join(Cart).where(Cart.user_id == user_id, CartLine.product_id == product_id)).one()


def _burst(app, jobs) -> list:
    """Run every job at the same instant, each in its own app context (own session)."""
    barrier = threading.Barrier(len(jobs))
    answers: list = [None] * len(jobs)

    def run(n):
        with app.app_context(), app.test_request_context():
            try:
                barrier.wait()
                answers[n] = jobs[n]()
            except Exception as exc:  # noqa: BLE001 - reported by the assertions
                db.session.rollback()
                answers[n] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_simultaneous_adds_by_one_buyer_all_count_from_the_first_one(figure, app, world):
    # Plain ids: an expired ORM object read from a thread would use the test's session.
    url = f"/catalog/p/{world.products['cement'].id}/cart"
    product_id = world.products["cement"].id
    lost, failed = 0, []
    for n in range(USERS):
        buyer = f.user(world.a.company, Role.BUYER, unit_id=world.a.branch.id,
                       email=f"tapper{n}@test.example")
        db.session.commit()
        clients = [app.test_client() for _ in range(CLIENTS)]
        for client in clients:
            login(client, buyer)
        for _ in range(2):  # the first burst creates the cart; the second adds to its line
            answers = _burst(app, [
                lambda c=c: c.post(url, data={"qty": "1"}).status_code
                for c in clients])
            failed += [a for a in answers if a != 303]
            lines, quantity = _line_quantity(buyer.id, product_id)
            assert lines == 1, answers
        lost += 2 * CLIENTS - quantity
    figure(f"cart add race ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}): "
           f"{USERS} buyers × 2 bursts × {CLIENTS} adds, lost {lost}, failed {len(failed)}")
    assert failed == []
    assert lost == 0


def _add_one(user_id, product_id, many: bool):
    user = db.session.get(User, user_id)
    product = db.session.get(Product, product_id)
    if many:
        cart_service.add_many(user, [(product, 1, "")])
    else:
        cart_service.add_to_cart(user, product, 1)
    db.session.commit()
    return "ok"


def test_twenty_writers_mixing_add_and_add_many_lose_nothing(figure, app, world):
    buyer_id, product_id = world.a.buyer.id, world.products["cement"].id
    lost, failed = 0, []
    for n in range(1, ROUNDS + 1):
        answers = _burst(app, [lambda i=i: _add_one(buyer_id, product_id, i % 2 == 0)
                               for i in range(WRITERS)])
        failed += [a for a in answers if a != "ok"]
        lines, quantity = _line_quantity(buyer_id, product_id)
        assert lines == 1
        lost = n * WRITERS - quantity
    figure(f"cart add_many race ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}): "
           f"{ROUNDS} rounds × {WRITERS} writers, lost {lost}, failed {len(failed)}")
    assert failed == [], failed[:3]
    assert lost == 0


@pytest.fixture(autouse=True)
def _no_sign_in_limit(app):
    # Eighty sign-ins from one address in a minute: the limiter is not what is tested here.
    app.config["RATELIMIT_ENABLED"] = False
