"""A customer's home shows the latest shipment with its tracking link; tracking numbers link
to the carrier's page wherever they appear, unknown carriers stay plain text."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.extensions import db
from portal.models import OrderStatus
from tests.conftest import login
from tests.factories import order, shipment

GEODIS = "https://geodis.com/fr/suivi-expedition?reference="


@pytest.fixture
def client(app):
    english = app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return english


def shipped(user, product, *, days_ago: int, carrier: str, tracking: str, number: str):
    placed = datetime.now(UTC) - timedelta(days=days_ago)
    made = order(user, [(product, 2, 500)], status=OrderStatus.SHIPPED, placed_at=placed,
                 number=number)
    shipment(made, [(made.lines[0], 2)], carrier=carrier, tracking=tracking,
             at=placed + timedelta(hours=20))
    return made


def home_card(client) -> str:
    page = client.get("/").get_data(as_text=True)
    start = page.find('class="card shipment-card"')
    assert start != -1, "no latest shipment card"
    return page[start:page.find("</section>", start)]


def test_the_home_shows_the_latest_shipment_with_its_tracking_link(client, world):
    screws = world.products["screws"]
    shipped(world.a.buyer, screws, days_ago=9, carrier="Geodis", tracking="GEO111", number="A-OLD")
    newest = shipped(world.a.buyer, screws, days_ago=2, carrier="Geodis", tracking="GEO222",
                     number="A-NEW")
    # Company B shipped later still: never shown to A.
    shipped(world.b.buyer, screws, days_ago=1, carrier="Geodis", tracking="GEO999",
            number="B-NEWEST")
    db.session.commit()
    for person in (world.a.buyer, world.a.viewer):
        login(client, person)
        card = home_card(client)
        assert "A-NEW" in card and "A-OLD" not in card and "B-NEWEST" not in card
        assert f'href="/orders/{newest.id}"' in card
        assert f'href="{GEODIS}GEO222"' in card
        client.post("/logout")


def test_an_unknown_carrier_shows_the_number_as_text(client, world):
    shipped(world.a.buyer, world.products["screws"], days_ago=1, carrier="Transports Perrin",
            tracking="TP1234567", number="A-TP")
    db.session.commit()
    login(client, world.a.buyer)
    card = home_card(client)
    assert "TP1234567" in card and "tracking-link" not in card


def test_no_card_without_a_recent_shipment(client, world):
    shipped(world.a.buyer, world.products["screws"], days_ago=200, carrier="Geodis",
            tracking="GEO1", number="A-ANCIENT")
    db.session.commit()
    login(client, world.a.buyer)
    assert "shipment-card" not in client.get("/").get_data(as_text=True)


def test_order_page_and_fulfilment_page_link_the_tracking_number(client, world):
    made = shipped(world.a.buyer, world.products["screws"], days_ago=3, carrier="DB Schenker",
                   tracking="SCH0012345678", number="A-SCH")
    db.session.commit()
    link = 'href="https://www.dbschenker.com/app/tracking-public/?refNumber=SCH0012345678"'
    login(client, world.a.buyer)
    assert link in client.get(f"/orders/{made.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, world.fulfilment)
    assert link in client.get(f"/staff/fulfilment/orders/{made.id}").get_data(as_text=True)
