"""Quotes built through the quotes service (as a buyer asking and a rep answering would)."""

from datetime import UTC, datetime, timedelta

from portal.extensions import db
from portal.services import quotes
from tests.factories.ordering import cart_with

QUOTE_NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday morning in Paris


def quote_request(buyer, *lines, targets=None, now=QUOTE_NOW):
    """A request from the buyer's cart holding `lines` ((product, qty) pairs); `targets`
    maps a product to a typed target price. Commits."""
    cart = cart_with(buyer, *lines)
    typed = {line.id: (targets or {}).get(line.product_id, "") for line in cart}
    quote = quotes.ask_from_cart(buyer, typed, quotes.RequestDetails(), now)
    db.session.commit()
    return quote


def sent_quote(buyer, rep, *lines, prices=None, now=QUOTE_NOW, valid_days=30):
    """A request answered by `rep`: each line priced at `prices[product_id]` (typed text),
    else 10 % off the customer's price. Commits."""
    quote = quote_request(buyer, *lines, now=now)
    version = quotes.facts(quote, now).version
    answers = {}
    for line in version.lines:
        typed = (prices or {}).get(line.product_id)
        answers[line.id] = quotes.LineAnswer(price=typed) if typed else \
            quotes.LineAnswer(discount="10")
    quotes.send_version(rep, quote, quotes.Answer(
        answers, (now + timedelta(days=valid_days)).date().isoformat(), "Livré sous 5 jours"),
        now)
    db.session.commit()
    return quote
