"""The rep adds a product the buyer did not ask for (the matching adhesive) when answering:
priced like any line, refused at its field when unknown or off the selling unit."""

from datetime import timedelta
from unittest import mock

import pytest

from portal.extensions import db
from portal.services import quotes
from tests.conftest import login
from tests.factories import QUOTE_NOW, quote_request


@pytest.fixture
def rep(app, world):
    with mock.patch("portal.blueprints.quotes.desk._now", return_value=QUOTE_NOW):
        client = app.test_client()
        login(client, world.rep)
        yield client


def _form(quote, **added):
    return {"seen_version": "0", "valid_until": (QUOTE_NOW + timedelta(days=10)).date()
            .isoformat(), **added}


def test_the_rep_adds_a_line_with_a_discount(app, world, rep):
    quote = quote_request(world.a.buyer, (world.products["screws"], 300))
    answered = rep.post(f"/quotes/desk/{quote.id}", data=_form(
        quote, **{"sku-new": "cim-35", "qty-new": "20", "discount-new": "10"}))
    assert answered.status_code == 303
    db.session.expire_all()
    lines = quotes.facts(quote, QUOTE_NOW).version.lines
    assert [(x.position, x.product.sku, x.quantity, x.unit_price_cents) for x in lines] == [
        (1, "VIS-440", 300, 80), (2, "CIM-35", 20, 765)]


@pytest.mark.parametrize(("added", "field"), [
    ({"sku-new": "NOPE-1", "qty-new": "2", "price-new": "1"}, "sku-new"),
    ({"sku-new": "GANT-9", "qty-new": "5", "price-new": "3"}, "qty-new"),  # sold by 12
    ({"sku-new": "CIM-35", "qty-new": "2", "price-new": "-4"}, "price-new"),
])
def test_a_bad_added_line_is_refused_at_its_field_and_nothing_is_sent(app, world, rep, added,
                                                                       field):
    quote = quote_request(world.a.buyer, (world.products["screws"], 300))
    answer = rep.post(f"/quotes/desk/{quote.id}", data=_form(quote, **added))
    assert answer.status_code == 422
    assert f'id="{field}-error"' in answer.get_data(as_text=True)
    db.session.expire_all()
    assert quotes.facts(quote, QUOTE_NOW).version.number == 0
