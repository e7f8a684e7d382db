"""The demo data set has quotes to try: one request waiting for the rep, one answered."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, Quote, QuoteStatus
from portal.services import quotes
from tests.integration.test_demo_seed import SEEDED_AT, _seeded


def test_the_demo_has_an_open_request_and_an_answered_quote(tmp_path):
    app, counts = _seeded(tmp_path / "demo.sqlite3")
    with app.app_context():
        assert counts["quotes"] == 2
        found = {q.status: q for q in db.session.scalars(select(Quote))}
        assert set(found) == {QuoteStatus.REQUESTED, QuoteStatus.SENT}
        assert {q.buyer.email for q in found.values()} == {"buyer@demo.test"}
        assert found[QuoteStatus.REQUESTED].rep.email == "rep@demo.test"
        answered = quotes.facts(found[QuoteStatus.SENT], SEEDED_AT)
        assert not answered.expired and answered.subtotal_cents > 0
        assert all(line.discount_bp == 800 for line in answered.version.lines)
        assert answered.messages  # the rep's word on the thread
        waiting = quotes.facts(found[QuoteStatus.REQUESTED], SEEDED_AT).version
        assert len(waiting.lines) >= 2 and waiting.lines[0].target_price_cents == 990
        assert db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.kind.like("quote_%"))) is None
        db.session.remove()
