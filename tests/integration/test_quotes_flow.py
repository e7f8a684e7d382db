"""Quotes, from the buyer's request to the order at the quoted prices: the seller's queue and
answer (a price, a discount, a replacement), the comparison of versions, acceptance through
the approval rules, the thread, renewal and the hourly expiry."""

from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    CartLine,
    Order,
    OrderStatus,
    OutboxMessage,
    Quote,
    QuoteStatus,
    QuoteVersion,
)
from portal.services import quotes
from tests.conftest import login
from tests.factories import (
    QUOTE_NOW,
    TOKEN,
    approval_over_limit,
    assign,
    cart_with,
    product,
    quote_request,
    sent_quote,
)

ROUTES = "portal.blueprints.quotes.routes._now"
DESK = "portal.blueprints.quotes.desk._now"


@pytest.fixture
def frozen():
    """The pages' clock at QUOTE_NOW (a quote's validity is judged in Paris's calendar)."""
    with mock.patch(ROUTES, return_value=QUOTE_NOW), mock.patch(DESK, return_value=QUOTE_NOW):
        yield QUOTE_NOW


def _valid(days=30) -> str:
    return (QUOTE_NOW + timedelta(days=days)).date().isoformat()


def _token(page) -> str:
    return TOKEN.search(page.get_data(as_text=True)).group(1)


def test_buyer_asks_from_the_cart_with_target_prices_and_the_rep_finds_it(
        app, client, world, frozen):
    screws, cement = world.products["screws"], world.products["cement"]
    lines = cart_with(world.a.buyer, (screws, 20), (cement, 4))
    assign(world.rep, world.a.company)
    db.session.commit()
    login(client, world.a.buyer)
    page = client.get("/quotes/ask")
    assert page.status_code == 200 and "VIS-440" in page.get_data(as_text=True)
    sent = client.post("/quotes/ask", data={f"target-{lines[0].id}": "0,70",
                                            "jobsite": f"jobsite:{world.a.sites[0].id}",
                                            "note": "Dalle du 2e étage"})
    assert sent.status_code == 303
    quote = db.session.scalar(select(Quote))
    assert quote.status == QuoteStatus.REQUESTED and quote.rep_id == world.rep.id
    assert quote.jobsite_id == world.a.sites[0].id and quote.note == "Dalle du 2e étage"
    asked = quotes.facts(quote, QUOTE_NOW).version.lines
    assert [(x.product_id, x.quantity, x.target_price_cents, x.list_price_cents)
            for x in asked] == [(screws.id, 20, 70, 80), (cement.id, 4, None, 850)]
    # The request holds the lines now; the rep is told, with a link to answer.
    assert db.session.scalar(select(func.count()).select_from(CartLine)) == 0
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "quote_requested"))
    assert mail.to_address == world.rep.email and f"/quotes/desk/{quote.id}" in mail.body_text
    rep = app.test_client()
    login(rep, world.rep)
    queue = rep.get("/quotes/desk").get_data(as_text=True)
    assert quote.number in queue and "Company A" in queue


def test_rep_prices_replaces_and_the_buyer_accepts_into_an_order_waiting_for_approval(
        app, client, world, frozen):
    screws, cement = world.products["screws"], world.products["cement"]
    other = product(world.categories["tools"], "CIM-42", price_list=world.base, tiers={1: 990})
    approval_over_limit(world.a.company)  # the buyer may order 1,000 EUR alone
    quote = quote_request(world.a.buyer, (screws, 500), (cement, 100),
                          targets={screws.id: "0,60"})
    lines = quotes.facts(quote, QUOTE_NOW).version.lines
    rep = app.test_client()
    login(rep, world.rep)
    assert rep.get(f"/quotes/desk/{quote.id}").status_code == 200
    answered = rep.post(f"/quotes/desk/{quote.id}", data={
        f"price-{lines[0].id}": "0,65", f"discount-{lines[1].id}": "10",
        f"sku-{lines[1].id}": "CIM-42", "valid_until": _valid(), "seen_version": "0",
        "delivery_terms": "Livré sur chantier sous 5 jours", "message": "Prix ferme."})
    assert answered.status_code == 303, answered.get_data(as_text=True)[:2000]
    db.session.expire_all()
    version = quotes.facts(quote, QUOTE_NOW).version
    assert version.number == 1
    assert [(x.product_id, x.unit_price_cents, x.replaces_id) for x in version.lines] == [
        (screws.id, 65, None), (other.id, 891, cement.id)]  # 10 % off 9.90
    login(client, world.a.buyer)
    page = client.get(f"/quotes/{quote.id}").get_data(as_text=True)
    assert "Remplacé" in page and "Votre objectif" in page and "Prix ferme." in page
    form = {"line": [str(x.id) for x in version.lines], "version": "1",
            "place": f"jobsite:{world.a.sites[0].id}", "token": _token(client.get(
                f"/quotes/{quote.id}"))}
    accepted = client.post(f"/quotes/{quote.id}/accept", data=form)
    assert accepted.status_code == 303
    order = db.session.scalar(select(Order))
    assert order.quote_id == quote.id and order.status == OrderStatus.PENDING_APPROVAL
    assert [(x.sku, x.quantity, x.unit_price_cents) for x in order.lines] == [
        ("VIS-440", 500, 65), ("CIM-42", 100, 891)]
    assert order.subtotal_cents == 500 * 65 + 100 * 891
    db.session.refresh(quote)
    assert quote.status == QuoteStatus.ACCEPTED
    # The approver sees where the prices come from.
    approver = app.test_client()
    login(approver, world.a.approver)
    from portal.models import ApprovalRequest

    request_id = db.session.scalar(select(ApprovalRequest.id))
    assert quote.number in approver.get(f"/approvals/{request_id}").get_data(as_text=True)
    # A second acceptance (another tab's form) is refused; still one order.
    again = client.post(f"/quotes/{quote.id}/accept", data={**form, "token": "x" * 30})
    assert again.status_code == 409
    assert "déjà été accepté" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1


def test_buyer_accepts_some_lines_only(app, client, world, frozen):
    screws, cement = world.products["screws"], world.products["cement"]
    quote = sent_quote(world.a.buyer, world.rep, (screws, 20), (cement, 2),
                       prices={screws.id: "0,70", cement.id: "8"})
    lines = quotes.facts(quote, QUOTE_NOW).version.lines
    login(client, world.a.buyer)
    token = _token(client.get(f"/quotes/{quote.id}"))
    done = client.post(f"/quotes/{quote.id}/accept", data={
        "line": [str(lines[1].id)], "version": "1", "token": token,
        "place": f"jobsite:{world.a.sites[0].id}"})
    assert done.status_code == 303
    order = db.session.scalar(select(Order))
    assert [(x.sku, x.unit_price_cents) for x in order.lines] == [("CIM-35", 800)]
    assert order.status == OrderStatus.SUBMITTED


def test_the_buyer_compares_a_revision_with_the_version_before(app, client, world, frozen):
    screws, cement = world.products["screws"], world.products["cement"]
    quote = sent_quote(world.a.buyer, world.rep, (screws, 20), (cement, 2),
                       prices={screws.id: "0,70", cement.id: "8"})
    lines = quotes.facts(quote, QUOTE_NOW).version.lines
    quotes.send_version(world.rep, quote, quotes.Answer(
        {lines[0].id: quotes.LineAnswer(price="0,66")}, _valid(), ""), QUOTE_NOW)
    db.session.commit()
    found = quotes.facts(quote, QUOTE_NOW)
    assert found.version.number == 2 and found.changed_count == 1
    assert found.version.lines[1].unit_price_cents == 800  # kept from version 1
    login(client, world.a.buyer)
    page = client.get(f"/quotes/{quote.id}").get_data(as_text=True)
    assert "Avant\u202f: 0,70" in page and "inférieur" in page
    assert client.get(f"/quotes/{quote.id}?version=1").status_code == 200
    assert client.get(f"/quotes/{quote.id}?version=7").status_code == 404


def test_a_price_on_request_product_can_be_asked_for_from_its_page(app, client, world, frozen):
    unpriced = product(world.categories["tools"], "SUR-MESURE")  # on no price list
    login(client, world.a.buyer)
    page = client.get(f"/catalog/p/{unpriced.id}").get_data(as_text=True)
    assert "Prix sur demande" in page and f"/quotes/ask/product/{unpriced.id}" in page
    assert client.get(f"/quotes/ask/product/{unpriced.id}").status_code == 200
    sent = client.post(f"/quotes/ask/product/{unpriced.id}",
                       data={"qty-product": "3", "target-product": "150"})
    assert sent.status_code == 303
    line = quotes.facts(db.session.scalar(select(Quote)), QUOTE_NOW).version.lines[0]
    assert (line.product_id, line.quantity, line.target_price_cents, line.list_price_cents) \
        == (unpriced.id, 3, 15000, None)


def test_messages_on_the_thread_reach_the_other_side(app, client, world, frozen):
    quote = quote_request(world.a.buyer, (world.products["cement"], 2))
    login(client, world.a.buyer)
    assert client.post(f"/quotes/{quote.id}/messages", data={"body": "Livrable samedi ?"}
                       ).status_code == 303
    rep = app.test_client()
    login(rep, world.rep)
    assert "Livrable samedi ?" in rep.get(f"/quotes/desk/{quote.id}").get_data(as_text=True)
    assert rep.post(f"/quotes/desk/{quote.id}/messages", data={"body": "Oui, le matin."}
                    ).status_code == 303
    kinds = [(m.kind, m.to_address) for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "quote_message"))]
    assert ("quote_message", world.a.buyer.email) in kinds
    assert "Oui, le matin." in client.get(f"/quotes/{quote.id}").get_data(as_text=True)


def test_an_expired_quote_is_not_accepted_and_can_be_renewed(app, client, world, frozen):
    quote = sent_quote(world.a.buyer, world.rep, (world.products["cement"], 2),
                       prices={world.products["cement"].id: "8"}, valid_days=2)
    later = QUOTE_NOW + timedelta(days=3)
    assert quotes.expire_due(QUOTE_NOW) == 0
    assert quotes.expire_due(later) == 1
    db.session.commit()
    login(client, world.a.buyer)
    line = quotes.facts(quote, later).version.lines[0]
    with mock.patch(ROUTES, return_value=later):
        token = _token(client.get(f"/quotes/{quote.id}")) if False else "t" * 30
        refused = client.post(f"/quotes/{quote.id}/accept", data={
            "line": [str(line.id)], "version": "1", "token": token,
            "place": f"jobsite:{world.a.sites[0].id}"})
        assert refused.status_code == 422 and "expiré" in refused.get_data(as_text=True)
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0
        assert client.post(f"/quotes/{quote.id}/renew").status_code == 303
    db.session.refresh(quote)
    assert quote.status == QuoteStatus.REQUESTED


def test_staff_start_a_quote_for_a_customers_buyer(app, client, world, frozen):
    login(client, world.staff)
    assert client.get(f"/quotes/desk/customer/{world.a.company.id}/new").status_code == 200
    started = client.post(f"/quotes/desk/customer/{world.a.company.id}/new",
                          data={"buyer": str(world.a.buyer.id), "lines": "CIM-35 5\nVIS-440 20"})
    assert started.status_code == 303
    quote = db.session.scalar(select(Quote))
    assert quote.buyer_id == world.a.buyer.id and quote.started_by_id == world.staff.id
    assert started.headers["Location"].endswith(f"/quotes/desk/{quote.id}")
    assert db.session.scalar(select(func.count()).select_from(QuoteVersion)) == 1


def test_the_workers_hourly_duty_expires_quotes_past_their_date(app, world):
    from portal.worker.duties import PERIODIC

    duty = next(p for p in PERIODIC if p.name == "quote-expiry")
    assert duty.every_seconds == 3600
    quote = sent_quote(world.a.buyer, world.rep, (world.products["cement"], 2),
                       prices={world.products["cement"].id: "8"}, valid_days=1)
    assert duty.run(QUOTE_NOW + timedelta(days=1)) == 0  # valid through its last day
    assert duty.run(QUOTE_NOW + timedelta(days=2)) == 1
    db.session.refresh(quote)
    assert quote.status == QuoteStatus.EXPIRED


def test_lines_the_rep_leaves_empty_keep_the_customers_price_and_show_unchanged(
        app, client, world, frozen):
    screws, cement = world.products["screws"], world.products["cement"]
    quote = quote_request(world.a.buyer, (screws, 20), (cement, 2))
    lines = quotes.facts(quote, QUOTE_NOW).version.lines
    quotes.send_version(world.rep, quote, quotes.Answer(
        {lines[1].id: quotes.LineAnswer(price="8")}, _valid(), ""), QUOTE_NOW)
    db.session.commit()
    found = quotes.facts(quote, QUOTE_NOW)
    assert [x.unit_price_cents for x in found.version.lines] == [80, 800]
    assert [row.changed for row in found.changes] == [False, True]


def test_a_buyer_asks_for_a_quote_from_a_shopping_list_which_stays(app, client, world, frozen):
    from tests.factories import shopping_list

    screws, cement = world.products["screws"], world.products["cement"]
    kept = shopping_list(world.a.buyer, "Dalle", lines=[(screws, 30), (cement, 5)])
    db.session.commit()
    login(client, world.a.buyer)
    page = client.get(f"/lists/{kept.id}").get_data(as_text=True)
    assert f"/quotes/ask/list/{kept.id}" in page
    form = client.get(f"/quotes/ask/list/{kept.id}").get_data(as_text=True)
    assert "VIS-440" in form and "CIM-35" in form
    first = kept.lines[0].id
    refused = client.post(f"/quotes/ask/list/{kept.id}", data={f"target-{first}": "-2"})
    assert refused.status_code == 422 and f'id="target-{first}-error"' in refused.get_data(
        as_text=True)
    sent = client.post(f"/quotes/ask/list/{kept.id}", data={f"target-{first}": "0,75"})
    assert sent.status_code == 303
    lines = quotes.facts(db.session.scalar(select(Quote)), QUOTE_NOW).version.lines
    assert [(x.product_id, x.quantity, x.target_price_cents) for x in lines] == [
        (screws.id, 30, 75), (cement.id, 5, None)]
    db.session.refresh(kept)
    assert len(kept.lines) == 2
    client.post("/logout")
    login(client, world.b.buyer)
    assert client.get(f"/quotes/ask/list/{kept.id}").status_code == 404
    assert client.post(f"/quotes/ask/list/{kept.id}").status_code == 404


def test_cancelling_asks_for_confirmation_on_a_page_first(app, client, world, frozen):
    quote = quote_request(world.a.buyer, (world.products["cement"], 2))
    login(client, world.a.buyer)
    confirm = client.get(f"/quotes/{quote.id}/cancel")
    assert confirm.status_code == 200 and "définitif" in confirm.get_data(as_text=True)
    db.session.refresh(quote)
    assert quote.status == QuoteStatus.REQUESTED
    assert client.post(f"/quotes/{quote.id}/cancel").status_code == 303
    db.session.refresh(quote)
    assert quote.status == QuoteStatus.CANCELLED
    again = client.post(f"/quotes/{quote.id}/cancel")
    assert again.status_code == 409


def test_the_rep_sees_the_customers_recent_orders_beside_the_request(app, client, world, frozen):
    from tests.factories import order

    placed = order(world.a.buyer, [(world.products["cement"], 3)])
    db.session.commit()
    quote = quote_request(world.a.buyer, (world.products["cement"], 2))
    login(client, world.rep)
    page = client.get(f"/quotes/desk/{quote.id}").get_data(as_text=True)
    assert "Commandes récentes" in page and placed.number in page


def test_home_cards_count_quotes_for_the_rep_and_the_buyer(app, client, world, frozen):
    quote_request(world.a.buyer, (world.products["cement"], 2))
    login(client, world.rep)
    assert "1 demande à traiter" in client.get("/").get_data(as_text=True)
    buyer = app.test_client()
    login(buyer, world.a.buyer)
    assert "1 demande en attente du vendeur" in buyer.get("/").get_data(as_text=True)
