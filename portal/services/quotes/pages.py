"""What the quote pages show: a version beside the one before it, its totals, the thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Order, Quote, QuoteLine, QuoteMessage, QuoteVersion
from portal.services.quotes.accepting import is_expired
from portal.services.quotes.rules import LineChange, compare


@dataclass(frozen=True)
class QuoteFacts:
    quote: Quote
    version: QuoteVersion
    previous: QuoteVersion | None
    changes: list[LineChange]
    subtotal_cents: int | None  # None while a line has no quoted price
    messages: list[QuoteMessage]
    order: Order | None
    expired: bool

    @property
    def changed_count(self) -> int:
        return sum(1 for row in self.changes if row.changed)


def _versions(quote: Quote, numbers: list[int]) -> dict[int, QuoteVersion]:
    rows = db.session.scalars(
        select(QuoteVersion).where(QuoteVersion.quote_id == quote.id,
                                   QuoteVersion.number.in_(numbers))
        .options(selectinload(QuoteVersion.lines).selectinload(QuoteLine.product),
                 selectinload(QuoteVersion.lines).selectinload(QuoteLine.replaces)))
    return {v.number: v for v in rows}


def facts(quote: Quote, now: datetime, number: int | None = None) -> QuoteFacts | None:
    """The page of one version (the current one by default) and its comparison with the
    version before; None for a version that does not exist."""
    wanted = quote.current_version if number is None else number
    if wanted < 0 or wanted > quote.current_version:
        return None
    versions = _versions(quote, [wanted, wanted - 1])
    version = versions.get(wanted)
    if version is None:
        return None
    previous = versions.get(wanted - 1)
    changes = compare(version.lines, previous.lines if previous else [])
    prices = [line.unit_price_cents for line in version.lines]
    subtotal = None if any(p is None for p in prices) else sum(
        line.unit_price_cents * line.quantity for line in version.lines)
    messages = list(db.session.scalars(
        select(QuoteMessage).where(QuoteMessage.quote_id == quote.id)
        .options(selectinload(QuoteMessage.author)).order_by(QuoteMessage.id)))
    order = db.session.scalar(select(Order).where(Order.quote_id == quote.id))
    return QuoteFacts(quote, version, previous, changes, subtotal, messages, order,
                      is_expired(quote, now))

