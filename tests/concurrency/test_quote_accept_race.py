"""A quote is accepted once: two tabs of the buyer (and the company admin's phone) accepting
the same quote at the same instant make exactly one order; the others are told it was
already accepted (409). Both databases; on PostgreSQL the threads really overlap.
"""

from unittest import mock

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Order, Quote, QuoteStatus
from portal.services import quotes
from tests.concurrency.bursts import post_together
from tests.conftest import login
from tests.factories import QUOTE_NOW, TOKEN, sent_quote

TRIALS = 8
EN = {"Accept-Language": "en"}


def test_one_quote_accepted_from_three_sessions_at_once_makes_one_order(figure, app, world):
    buyer, admin = world.a.buyer, world.a.admin
    clients = [app.test_client() for _ in range(3)]
    for client, person in zip(clients, (buyer, buyer, admin), strict=True):
        login(client, person)
    extra, problems = 0, []
    with mock.patch("portal.blueprints.quotes.routes._now", return_value=QUOTE_NOW):
        for trial in range(TRIALS):
            cement = world.products["cement"]
            quote = sent_quote(buyer, world.rep, (cement, 2), prices={cement.id: "8"})
            line = quotes.facts(quote, QUOTE_NOW).version.lines[0]
            forms = [{"line": str(line.id), "version": "1",
                      "place": f"jobsite:{world.a.sites[0].id}",
                      "token": TOKEN.search(c.get(f"/quotes/{quote.id}").get_data(
                          as_text=True)).group(1)} for c in clients]
            answers = post_together(app, clients, f"/quotes/{quote.id}/accept", forms,
                                    headers=EN)
            db.session.expire_all()
            made = db.session.scalar(select(func.count()).select_from(Order)
                                     .where(Order.quote_id == quote.id))
            extra += made - 1
            codes = sorted(a.status_code for a in answers)
            late = [a for a in answers if a.status_code == 409]
            if made != 1 or codes != [303, 409, 409] or not all(
                    "already accepted" in a.get_data(as_text=True) for a in late):
                problems.append((trial, made, codes))
            status = db.session.scalar(select(Quote.status).where(Quote.id == quote.id))
            assert status == QuoteStatus.ACCEPTED
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    figure(f"one quote, one order ({backend}): {TRIALS} trials × 3 acceptances at once, "
           f"{extra} extra orders, {len(problems)} trials wrong")
    assert problems == [], problems[:5]
