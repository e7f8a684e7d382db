"""Quotes refuse bad input at its field and change nothing: absurd or negative prices, a
discount of 100 % or more, a validity date in the past, quantities against the case pack
or selling multiple, an unknown replacement; and nobody reaches a quote that is not theirs
(another company's, another rep's customer's): a 404 on every path, fragments included.
Quoted prices stay on their quote: other customers, carts and quotes never see them."""

from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Order, Quote, QuoteMessage, QuoteVersion
from portal.services import ordering, quotes
from tests.conftest import htmx_headers, login
from tests.factories import QUOTE_NOW, assign, cart_with, quote_request, sent_quote, user

ROUTES = "portal.blueprints.quotes.routes._now"
DESK = "portal.blueprints.quotes.desk._now"


@pytest.fixture
def frozen():
    with mock.patch(ROUTES, return_value=QUOTE_NOW), mock.patch(DESK, return_value=QUOTE_NOW):
        yield QUOTE_NOW


def _valid(days=30) -> str:
    return (QUOTE_NOW + timedelta(days=days)).date().isoformat()


def _rows() -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Quote, QuoteVersion, QuoteMessage, Order))


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("price", "-5", "supérieur à zéro"),
    ("price", "0", "supérieur à zéro"),
    ("price", "abc", "en chiffres"),
    ("price", "1,234", "en chiffres"),
    ("price", "99999999", "faute de frappe"),
    ("price", "500", "faute de frappe"),  # more than ten times the customer's 8.50
    ("discount", "100", "inférieure à 100"),
    ("discount", "150", "inférieure à 100"),
    ("discount", "-3", "en pourcentage"),
    ("valid_until", (QUOTE_NOW - timedelta(days=1)).date().isoformat(), "passée"),
    ("valid_until", "31/12/2026", "date comme"),
    ("qty", "18", "multiples de 12"),  # gloves are sold by 12
    ("sku", "NOPE-404", "inconnue"),
    ("sku", "FAR-T55", "inconnue"),  # flour: a product company A may not see
])
def test_the_rep_is_told_at_the_field_and_nothing_is_sent(app, client, world, frozen, field,
                                                          typed, message):
    from tests.factories import restrict_to_category

    restrict_to_category(world.a.company, world.categories["tools"])
    quote = quote_request(world.a.buyer, (world.products["cement"], 2),
                          (world.products["gloves"], 24))
    lines = quotes.facts(quote, QUOTE_NOW).version.lines
    target = lines[1] if field == "qty" else lines[0]
    form = {f"price-{lines[0].id}": "8", f"price-{lines[1].id}": "2,50",
            "valid_until": _valid(), "seen_version": "0"}
    if field == "valid_until":
        form["valid_until"] = typed
        name = "valid_until"
    else:
        name = f"{field}-{target.id}"
        if field == "discount":
            form.pop(f"price-{target.id}")
        form[name] = typed
    login(client, world.rep)
    before = _rows()
    refused = client.post(f"/quotes/desk/{quote.id}", data=form)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert f'id="{name}-error"' in html and message in html, html[html.find('class="error"'):][:300]
    assert _rows() == before
    db.session.refresh(quote)
    assert quote.current_version == 0


def test_a_price_on_request_line_left_unpriced_is_refused(app, client, world, frozen):
    from tests.factories import product

    unpriced = product(world.categories["tools"], "SUR-MESURE")
    db.session.commit()
    quote = quotes.ask_for(world.a.buyer, [quotes.Wanted(unpriced.id, "2")],
                           quotes.RequestDetails(), QUOTE_NOW)
    db.session.commit()
    line = quotes.facts(quote, QUOTE_NOW).version.lines[0]
    login(client, world.rep)
    refused = client.post(f"/quotes/desk/{quote.id}", data={"valid_until": _valid()})
    assert refused.status_code == 422 and f'id="price-{line.id}-error"' in refused.get_data(
        as_text=True)


def test_the_buyers_bad_target_price_or_date_is_refused_at_its_field(app, client, world, frozen):
    lines = cart_with(world.a.buyer, (world.products["cement"], 2))
    login(client, world.a.buyer)
    for form, field in (({f"target-{lines[0].id}": "-1"}, f"target-{lines[0].id}"),
                        ({"needed_by": "2020-01-01"}, "needed_by"),
                        ({"jobsite": "jobsite:999999"}, "jobsite")):
        refused = client.post("/quotes/ask", data=form)
        assert refused.status_code == 422
        assert f'id="{field}-error"' in refused.get_data(as_text=True)
    assert _rows() == (0, 0, 0, 0)
    assert len(ordering.cart_lines(world.a.buyer)) == 1


def test_a_quantity_off_the_selling_multiple_is_refused_on_the_product_request(
        app, client, world, frozen):
    gloves = world.products["gloves"]
    login(client, world.a.buyer)
    refused = client.post(f"/quotes/ask/product/{gloves.id}", data={"qty-product": "18"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="qty-product-error"' in html and "multiples de 12" in html
    assert _rows() == (0, 0, 0, 0)


def test_another_companys_quote_is_a_404_on_every_path(app, client, world, frozen):
    quote = sent_quote(world.b.buyer, world.rep, (world.products["screws"], 20),
                       prices={world.products["screws"].id: "0,50"})
    before = _rows()
    for attacker in (world.a.buyer, world.a.admin, world.a.approver):
        client.post("/logout")
        login(client, attacker)
        for method, path in (("get", ""), ("post", "/accept"), ("post", "/renew"),
                             ("post", "/cancel"), ("post", "/messages")):
            for headers in ({}, htmx_headers("#quote")):
                answer = getattr(client, method)(f"/quotes/{quote.id}{path}", headers=headers,
                                                 data={"body": "x", "line": "1"})
                assert answer.status_code == 404, (attacker.email, path)
    # A colleague who did not ask sees nothing either; the company admin sees it.
    colleague = user(world.b.company, email="other-buyer-b@test.example")
    db.session.commit()
    client.post("/logout")
    login(client, colleague)
    assert client.get(f"/quotes/{quote.id}").status_code == 404
    client.post("/logout")
    login(client, world.b.admin)
    assert client.get(f"/quotes/{quote.id}").status_code == 200
    assert _rows() == before


def test_a_rep_reaches_only_his_customers_quotes_and_unassigned_ones(app, client, world, frozen):
    from portal.models import Role

    other_rep = user(None, Role.SALES_REP, email="rep2@test.example")
    assign(other_rep, world.b.company)
    db.session.commit()
    quote = quote_request(world.b.buyer, (world.products["cement"], 2))
    login(client, world.rep)
    assert client.get(f"/quotes/desk/{quote.id}").status_code == 404
    assert client.post(f"/quotes/desk/{quote.id}/messages", data={"body": "x"}).status_code == 404
    assert quote.number not in client.get("/quotes/desk").get_data(as_text=True)
    mine = quote_request(world.a.buyer, (world.products["cement"], 2))  # no rep assigned
    assert client.get(f"/quotes/desk/{mine.id}").status_code == 200


def test_quoted_prices_reach_neither_the_cart_nor_another_customer(app, client, world, frozen):
    screws = world.products["screws"]
    quote = sent_quote(world.a.buyer, world.rep, (screws, 20), prices={screws.id: "0,42"})
    assert quotes.facts(quote, QUOTE_NOW).version.lines[0].unit_price_cents == 42
    other = quote_request(world.a.buyer, (screws, 20))
    assert quotes.facts(other, QUOTE_NOW).version.lines[0].list_price_cents == 80
    cart_with(world.a.buyer, (screws, 20))
    summary = ordering.summarize(world.a.buyer, QUOTE_NOW)
    assert summary.lines[0].unit_price_cents == 80  # the buyer's list price, not the quote's
    login(client, world.b.buyer)  # the chef of another company
    page = client.get(f"/catalog/p/{screws.id}").get_data(as_text=True)
    assert "0,95" in page and "0,42" not in page
    assert client.get(f"/quotes/{quote.id}").status_code == 404
