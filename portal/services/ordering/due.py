"""What a buyer reorders at a regular pace and is due again ("toutes les 2 semaines environ").

From the buyer's own orders of the last 26 weeks (placed by them, not rejected or
cancelled): a product ordered on at least three different days has a cadence, the median
of the gaps between those days, when the gaps are regular (each within half the cadence of
it) and the cadence is between 5 and 60 days. It is due from one cadence after the last
order, shown from two days before, until two cadences have passed (then the habit has
lapsed: the buyer buys it elsewhere or no longer needs it). The quantity proposed is the
last one ordered, snapped to today's selling unit. Only products the buyer can order now
(the selling policy) are offered; products already in the cart are left out.

`cadence` and `is_due` are pure rules (tested with tables); `due_for` reads what the buyer
has bought (`bought.py`, one row per product, days as whole UTC days) in one statement and the
offers in the selling policy's fixed number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from portal.extensions import db
from portal.models import BoughtProduct, Cart, CartLine, Product, User
from portal.services import DomainError
from portal.services.ordering.cart import add_many
from portal.services.selling import offers_for

HISTORY_DAYS = 182
MIN_DAYS, MAX_DAYS = 5, 60
SHOWN_BEFORE_DAYS = 2
MAX_SHOWN = 8


def cadence(days: list[date]) -> int | None:
    """Days between orders when they are regular enough to call it a habit, else None."""
    return _cadence(sorted({day.toordinal() for day in days}))


def _cadence(days: list[int]) -> int | None:
    """`cadence` of sorted, distinct day numbers (a busy buyer's home asks 1,500 times)."""
    if len(days) < 3:
        return None
    gaps = sorted([b - a for a, b in zip(days, days[1:], strict=False)])
    middle = len(gaps) // 2
    pace = gaps[middle] if len(gaps) % 2 else (gaps[middle - 1] + gaps[middle]) / 2  # median
    if not MIN_DAYS <= pace <= MAX_DAYS:
        return None
    # Sorted, the first and last gaps are the farthest from the pace on each side.
    if pace - gaps[0] > pace / 2 or gaps[-1] - pace > pace / 2:
        return None
    return round(pace)


def is_due(last: date, every: int, today: date) -> bool:
    return last + timedelta(days=every - SHOWN_BEFORE_DAYS) <= today <= last + timedelta(
        days=2 * every)


@dataclass(frozen=True)
class DueItem:
    product: Product
    every_days: int
    last_ordered: date
    quantity: int

    @property
    def due_on(self) -> date:
        return self.last_ordered + timedelta(days=self.every_days)

    def pace(self) -> str:
        """The habit in words: "about every 2 weeks", "about every 9 days"."""
        weeks = round(self.every_days / 7)
        if self.every_days >= 12 and abs(self.every_days - 7 * weeks) <= 2:
            return _("about every %(num)s weeks", num=weeks)
        if 6 <= self.every_days <= 8:
            return _("about every week")
        return _("about every %(num)s days", num=self.every_days)


# The buyer's products that can be due: last ordered at most two of the longest cadences ago
# and on at least three days (three "YYYY-MM-DD:q" in the text): 1,500 rows for the busiest
# buyer of the benchmark, whose order lines of the same half-year are 11,000.
_THREE_DAYS = 3 * len("2026-01-01:1") + 2
_BOUGHT = (select(BoughtProduct.product_id, BoughtProduct.last_quantity, BoughtProduct.days)
           .where(BoughtProduct.user_id == bindparam("user_id"),
                  BoughtProduct.last_at >= bindparam("since"),
                  func.length(BoughtProduct.days) >= _THREE_DAYS))


def due_for(user: User, now: datetime) -> list[DueItem]:
    """The products this buyer is due to reorder, soonest due first (at most 8)."""
    today = now.date()
    first = (now - timedelta(days=HISTORY_DAYS)).date().isoformat()
    due: dict[int, int] = {}
    last: dict[int, date] = {}
    last_quantity: dict[int, int] = {}
    known: dict[str, int] = {}  # the same half-year of days recurs in every row
    rows = db.session.connection().execute(  # plain rows: no ORM entity is read here
        _BOUGHT, {"user_id": user.id, "since": now - timedelta(days=2 * MAX_DAYS + 1)})
    for product_id, quantity, text in rows:
        ordered = _day_numbers(text, first, known)
        every = _cadence(ordered)
        if every and is_due(latest := date.fromordinal(ordered[-1]), every, today):
            due[product_id], last[product_id] = every, latest
            last_quantity[product_id] = quantity
    if not due:
        return []

    def item(pid: int, offer) -> DueItem:
        quantity = offer.rule.snap(max(last_quantity[pid], offer.rule.minimum))
        return DueItem(offer.product, due[pid], last[pid], quantity)

    return first_orderable(user, {pid: last[pid] + timedelta(days=due[pid]) for pid in due},
                           item, MAX_SHOWN)


def _day_numbers(text: str, first: str, known: dict[str, int]) -> list[int]:
    """The distinct days of a `days` text from `first` on (ISO days compare as text), as
    sorted day numbers; `known` keeps the number of each day already parsed."""
    seen = set()
    for item in text.split():
        if (day := item[:10]) >= first:
            if (number := known.get(day)) is None:
                number = known[day] = date.fromisoformat(day).toordinal()
            seen.add(number)
    return sorted(seen)


SHOWN_BATCH = 12


def first_orderable(user: User, candidates: dict[int, date], item, limit: int) -> list:
    """`item(product id, offer)` for the first `limit` candidates the buyer can order now and
    has not put in the cart, by their day (then SKU). Their offers are read a batch at a time,
    in the order of their day, until the next could only come later: a busy buyer has dozens
    of candidates for 6 or 8 places, and each offer read costs about a quarter millisecond."""
    in_cart = set(db.session.scalars(select(CartLine.product_id).join(Cart)
                                     .where(Cart.user_id == user.id)))
    ranked = sorted((pid for pid in candidates if pid not in in_cart), key=candidates.get)
    offers, found = offers_for(user), []
    for start in range(0, len(ranked), SHOWN_BATCH):
        for pid, offer in offers.load(ranked[start:start + SHOWN_BATCH]).items():
            if offer is not None and offer.orderable:
                found.append(((candidates[pid], offer.product.sku), item(pid, offer)))
        found.sort(key=lambda pair: pair[0])
        after = ranked[start + SHOWN_BATCH:start + SHOWN_BATCH + 1]
        if len(found) >= limit and (not after or candidates[after[0]] > found[limit - 1][0][0]):
            break
    return [shown for _, shown in found[:limit]]


def add_due_to_cart(user: User, now: datetime) -> int:
    """Put every due product in the cart at its proposed quantity; how many were added."""
    items = due_for(user, now)
    if not items:
        raise DomainError(_("Nothing is due to reorder right now."))
    return add_many(user, [(item.product, item.quantity, "") for item in items])
