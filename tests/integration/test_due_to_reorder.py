"""The buyer's "Due to reorder" card: products bought at a regular pace show on the home page
when due, with the pace in words, and one tap puts them in the cart at the last quantity.
The clock is pinned (CLOCK_NOW): 2026-12-10."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import CartLine, OrderStatus
from tests.conftest import login
from tests.factories import cart_with, order

TODAY = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def history(app, world):
    """Screws every 14 days (last 12 days ago: due), gloves every 14 days (last 3 days ago:
    not due), cement twice only; a rejected order does not count."""
    app.config["CLOCK_NOW"] = TODAY.isoformat()
    buyer, p = world.a.buyer, world.products
    for days_ago in (40, 26, 12):
        order(buyer, [(p["screws"], 30 if days_ago == 12 else 20)],
              placed_at=TODAY - timedelta(days=days_ago))
    for days_ago in (31, 17, 3):
        order(buyer, [(p["gloves"], 24)], placed_at=TODAY - timedelta(days=days_ago))
    for days_ago in (30, 16):
        order(buyer, [(p["cement"], 5)], placed_at=TODAY - timedelta(days=days_ago))
    order(buyer, [(p["cement"], 5)], placed_at=TODAY - timedelta(days=2),
          status=OrderStatus.REJECTED)
    db.session.commit()
    yield
    app.config["CLOCK_NOW"] = ""


def _card(page: str) -> str:
    return page.split('id="due-card-title"')[1].split("</section>")[0]


def test_the_due_product_shows_with_its_pace_and_goes_to_the_cart_in_one_tap(
        client, world, history):
    login(client, world.a.buyer)
    card = _card(client.get("/").get_data(as_text=True))
    assert world.products["screws"].name_fr in card
    assert "environ toutes les 2 semaines" in card and "30 à ajouter" in card
    assert world.products["gloves"].name_fr not in card
    assert world.products["cement"].name_fr not in card
    answer = client.post("/orders/due/to-cart")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/cart/")
    lines = db.session.scalars(select(CartLine)).all()
    assert [(line.product_id, line.quantity) for line in lines] == [
        (world.products["screws"].id, 30)]
    # In the cart now: the card has nothing left to offer.
    assert 'id="due-card-title"' not in client.get("/").get_data(as_text=True)


def test_a_product_already_in_the_cart_is_not_offered_again(
        client, world, history):
    cart_with(world.a.buyer, (world.products["screws"], 10))
    login(client, world.a.buyer)
    assert 'id="due-card-title"' not in client.get("/").get_data(as_text=True)
    answer = client.post("/orders/due/to-cart", follow_redirects=True)
    assert "à recommander pour le moment." in answer.get_data(as_text=True)


def test_another_buyer_sees_nothing_of_this_one_s_habits(app, world, history):
    other = app.test_client()
    login(other, world.b.buyer)
    assert 'id="due-card-title"' not in other.get("/").get_data(as_text=True)


@pytest.mark.parametrize("days_ago, sold", [
    (lambda n: 12 + n % 9, lambda n: n % 9 < 5),  # the eight soonest no longer sold
    (lambda n: 14, lambda n: True),  # all due the same day: the SKU decides
], ids=["soonest-not-sold", "same-day"])
def test_of_many_due_products_the_card_shows_the_eight_soonest_the_buyer_can_order(
        app, client, world, days_ago, sold):
    """Twenty habits due: the card reads offers a dozen at a time, soonest first, and shows
    what reading all of them would, the eight soonest orderable ones (then by SKU), even when
    they are in the second dozen or tie with it."""
    from tests import factories as f

    app.config["CLOCK_NOW"] = TODAY.isoformat()
    buyer, due_on = world.a.buyer, {}
    for n in range(20):
        product = f.product(world.categories["tools"], f"HAB-{19 - n:02d}", price_list=world.base,
                            tiers={1: 100}, warehouse=world.warehouse,
                            name_fr=f"Habitude {19 - n:02d}", active=sold(n))
        for gap in (28, 14, 0):  # every 14 days, last ordered 12 to 20 days ago: all due
            order(buyer, [(product, 3)], placed_at=TODAY - timedelta(days=days_ago(n) + gap))
        if product.active:
            due_on[product.name_fr] = (TODAY - timedelta(days=days_ago(n) - 14), product.sku)
    db.session.commit()
    login(client, buyer)
    card = _card(client.get("/").get_data(as_text=True))
    shown = sorted((name for name in due_on if name in card), key=card.index)
    assert shown == sorted(due_on, key=due_on.get)[:8]
    app.config["CLOCK_NOW"] = ""
