"""Quick order: "Ask for a quote" sends the rows naming a product (priced or on request) to
the sales team, as the cart does; rows with an unknown SKU stay out; nothing named, nothing
sent. The approver then sees the order came from the quote (test_quotes_flow)."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Quote
from portal.services import quotes
from tests import factories as f
from tests.conftest import login


def test_quick_order_rows_become_a_quote_request(app, client, world):
    f.product(world.categories["tools"], "SUR-MESURE")  # on no list: on request
    db.session.commit()
    login(client, world.a.buyer)
    sent = client.post("/quick-order/quote", data={
        "paste": "VIS-440 300\nSUR-MESURE 4\nNOPE-1 2"})
    assert sent.status_code == 303
    quote = db.session.scalar(select(Quote))
    assert sent.headers["Location"].endswith(f"/quotes/{quote.id}")
    lines = quotes.facts(quote, quote.created_at).version.lines
    assert [(x.product.sku, x.quantity, x.list_price_cents) for x in lines] == [
        ("VIS-440", 300, 80), ("SUR-MESURE", 4, None)]
    assert quote.buyer_id == world.a.buyer.id


def test_nothing_named_nothing_sent(app, client, world):
    login(client, world.a.buyer)
    answer = client.post("/quick-order/quote", data={"paste": "NOPE-1 2"})
    assert answer.status_code == 422
    assert "Aucune ligne" in answer.get_data(as_text=True)
    assert db.session.scalar(select(Quote)) is None


def test_a_viewer_cannot_ask(app, client, world):
    login(client, world.a.viewer)
    assert client.post("/quick-order/quote", data={"paste": "VIS-440 10"}).status_code in (
        403, 404)
    assert db.session.scalar(select(Quote)) is None
