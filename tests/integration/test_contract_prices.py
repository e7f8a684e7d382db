"""A rep makes a quote's prices the customer's contract prices until a day: once the buyer
accepts, that company pays them through the normal price resolution (catalog, cart) until
they expire; no other company ever sees them."""

from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, ContractPrice
from portal.services import quotes
from tests.conftest import login
from tests.factories import QUOTE_NOW, TOKEN, quote_request

TODAY = "portal.services.selling.offers.local_today"


@pytest.fixture
def frozen():
    with mock.patch("portal.blueprints.quotes.routes._now", return_value=QUOTE_NOW), \
            mock.patch("portal.blueprints.quotes.desk._now", return_value=QUOTE_NOW), \
            mock.patch(TODAY, return_value=QUOTE_NOW.date()):
        yield QUOTE_NOW


def _answer(app, world, quote, **extra):
    lines = quotes.facts(quote, QUOTE_NOW).version.lines
    rep = app.test_client()
    login(rep, world.rep)
    return rep.post(f"/quotes/desk/{quote.id}", data={
        f"price-{lines[0].id}": "0,61", "seen_version": "0",
        "valid_until": (QUOTE_NOW + timedelta(days=10)).date().isoformat(), **extra})


def _accept(client, world, quote):
    login(client, world.a.buyer)
    page = client.get(f"/quotes/{quote.id}").get_data(as_text=True)
    lines = quotes.facts(quote, QUOTE_NOW).version.lines
    return client.post(f"/quotes/{quote.id}/accept", data={
        "line": [str(x.id) for x in lines], "version": "1",
        "place": f"jobsite:{world.a.sites[0].id}", "token": TOKEN.search(page).group(1)}), page


def _catalog_price(app, user, product):
    other = app.test_client()
    login(other, user)
    return other.get(f"/catalog/p/{product.id}").get_data(as_text=True)


def test_accepted_contract_prices_reach_that_company_only_until_their_day(
        app, client, world, frozen):
    screws = world.products["screws"]
    quote = quote_request(world.a.buyer, (screws, 300))
    until = (QUOTE_NOW + timedelta(days=90)).date()
    assert _answer(app, world, quote, contract="1",
                   contract_until=until.isoformat()).status_code == 303
    accepted, page = _accept(client, world, quote)
    assert "Once accepted, these prices are yours" in page or "sont les vôtres" in page
    assert accepted.status_code == 303
    contract = db.session.scalar(select(ContractPrice))
    assert (contract.company_id, contract.product_id, contract.unit_price_cents,
            contract.valid_until, contract.quote_id) == (world.a.company.id, screws.id, 61,
                                                         until, quote.id)
    assert db.session.scalar(select(AuditEntry.actor_id).where(
        AuditEntry.action == "contract_price.create")) == world.a.buyer.id
    # Company A's buyers pay 0,61 at any quantity, said as a contract price; B pays its own.
    mine = _catalog_price(app, world.a.approver, screws)
    assert "0,61" in mine and "prix contrat" in mine
    theirs = _catalog_price(app, world.b.buyer, screws)
    assert "0,61" not in theirs and "0,95" in theirs
    # The day after: the group list again.
    with mock.patch(TODAY, return_value=until + timedelta(days=1)):
        after = _catalog_price(app, world.a.buyer, screws)
    assert "0,61" not in after and "0,80" in after


def test_without_the_tick_accepting_makes_no_contract_price(app, client, world, frozen):
    screws = world.products["screws"]
    quote = quote_request(world.a.buyer, (screws, 300))
    assert _answer(app, world, quote, contract_until=(QUOTE_NOW + timedelta(days=90))
                   .date().isoformat()).status_code == 303
    assert _accept(client, world, quote)[0].status_code == 303
    assert db.session.scalar(select(ContractPrice)) is None
    assert "0,80" in _catalog_price(app, world.a.buyer, screws)


@pytest.mark.parametrize("day", ["2026-12-01", "2030-01-01", "demain"])
def test_a_contract_date_in_the_past_or_too_far_is_refused_at_its_field(
        app, client, world, frozen, day):
    quote = quote_request(world.a.buyer, (world.products["screws"], 300))
    answer = _answer(app, world, quote, contract="1", contract_until=day)
    assert answer.status_code == 422
    assert 'id="contract_until-error"' in answer.get_data(as_text=True)
    db.session.expire_all()
    assert quotes.facts(quote, QUOTE_NOW).version.number == 0
