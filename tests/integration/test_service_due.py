"""Service-interval and successor suggestions on the buyer's home page ("À remplacer"): a
product bought once whose "replace every N months" has come, and the successor of a
discontinued product the buyer bought, each with its reason and one tap to the cart; only
what the buyer may order. Clock pinned: 2026-12-10."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import CartLine, VisibilityRule
from tests import factories as f
from tests.conftest import login
from tests.factories import order

TODAY = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
EN = {"Accept-Language": "en"}


@pytest.fixture
def bought(app, world):
    app.config["CLOCK_NOW"] = TODAY.isoformat()
    p, buyer = world.products, world.a.buyer
    p["screws"].service_interval_months = 6  # bought on 3 June: due
    p["cement"].service_interval_months = 12  # bought on 3 June: not yet
    old = f.product(world.categories["tools"], "GANT-OLD", price_list=world.base,
                    warehouse=world.warehouse, discontinued=True,
                    replacement_id=p["gloves"].id)
    order(buyer, [(p["screws"], 20), (p["cement"], 5)],
          placed_at=datetime(2026, 6, 3, 10, 0, tzinfo=UTC))
    order(buyer, [(old, 12)], placed_at=datetime(2026, 9, 1, 10, 0, tzinfo=UTC))
    db.session.commit()
    yield old
    app.config["CLOCK_NOW"] = ""


def _card(page: str) -> str:
    return page.split('id="service-card-title"')[1].split("</section>")[0]


def test_the_home_page_suggests_what_is_due_and_the_successor_with_the_reason(
        client, world, bought):
    login(client, world.a.buyer)
    card = _card(client.get("/", headers=EN).get_data(as_text=True))
    assert "Bought on 3 June, to replace every 6 months" in card
    assert f"Replaces {bought.name_en}, discontinued (bought on 1 September)" in card
    assert world.products["cement"].name_en not in card


def test_one_tap_puts_the_suggestion_in_the_cart_and_it_leaves_the_card(client, world, bought):
    screws = world.products["screws"]
    login(client, world.a.buyer)
    answer = client.post(f"/catalog/p/{screws.id}/cart", data={"qty": "20", "next": "/"})
    assert answer.status_code == 303
    assert db.session.scalars(select(CartLine.product_id)).all() == [screws.id]
    card = _card(client.get("/", headers=EN).get_data(as_text=True))
    assert "to replace every 6 months" not in card


def test_a_product_the_buyer_may_not_order_is_not_suggested(client, world, bought):
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["food"].id))
    db.session.commit()
    login(client, world.a.buyer)
    assert 'id="service-card-title"' not in client.get("/", headers=EN).get_data(as_text=True)


def test_staff_set_the_interval_refusing_what_does_not_parse(client, world):
    from tests.integration.test_catalog_admin_editing import form_of

    screws = world.products["screws"]
    login(client, world.staff)
    url = f"/staff/catalog/products/{screws.id}"
    assert "Replace every (months, empty: never)" in client.get(url, headers=EN).get_data(
        as_text=True)
    bad = client.post(url, data=form_of(screws, service_interval_months="six"), headers=EN)
    assert bad.status_code == 422
    db.session.expire_all()
    assert screws.service_interval_months is None
    assert client.post(url, data=form_of(screws, service_interval_months="6")).status_code == 303
    db.session.expire_all()
    assert screws.service_interval_months == 6
