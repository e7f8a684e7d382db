"""What a buyer reorders at a regular pace and is due again ("toutes les 2 semaines environ").

From the buyer's own orders of the last 26 weeks (placed by them, not rejected or
cancelled): a product ordered on at least three different days has a cadence, the median
of the gaps between those days, when the gaps are regular (each within half the cadence of
it) and the cadence is between 5 and 60 days. It is due from one cadence after the last
order, shown from two days before, until two cadences have passed (then the habit has
lapsed: the buyer buys it elsewhere or no longer needs it). The quantity proposed is the
last one ordered, snapped to today's selling unit. Only products the buyer can order now
(the selling policy) are offered; products already in the cart are left out.

`cadence` and `is_due` are pure rules (tested with tables); `due_for` reads the history in
one statement and the offers in the selling policy's fixed number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from portal.extensions import db
from portal.models import Cart, CartLine, Order, OrderLine, OrderStatus, Product, User
from portal.models.base import utc_day
from portal.services import DomainError
from portal.services.ordering.cart import add_many
from portal.services.selling import offers_for

HISTORY_DAYS = 182
MIN_DAYS, MAX_DAYS = 5, 60
SHOWN_BEFORE_DAYS = 2
MAX_SHOWN = 8
NOT_ORDERED = (OrderStatus.REJECTED, OrderStatus.CANCELLED)


def cadence(days: list[date]) -> int | None:
    """Days between orders when they are regular enough to call it a habit, else None."""
    days = sorted(set(days))
    if len(days) < 3:
        return None
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    pace = median(gaps)
    if not MIN_DAYS <= pace <= MAX_DAYS:
        return None
    if any(abs(gap - pace) > pace / 2 for gap in gaps):
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


# The buyer's lines of the last 26 weeks, oldest first, with the day of each (thousands of
# rows for a busy buyer: days, not datetimes), built once.
_HISTORY = (select(OrderLine.product_id, utc_day(Order.placed_at), OrderLine.quantity)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.placed_by_id == bindparam("user_id"),
                   Order.placed_at >= bindparam("since"), Order.status.not_in(NOT_ORDERED))
            .order_by(Order.placed_at))


def due_for(user: User, now: datetime) -> list[DueItem]:
    """The products this buyer is due to reorder, soonest due first (at most 8)."""
    today = now.date()
    since = now - timedelta(days=HISTORY_DAYS)
    rows = db.session.execute(_HISTORY, {"user_id": user.id, "since": since}).all()
    days: dict[int, list[date]] = {}
    last_quantity: dict[int, int] = {}
    for product_id, day, quantity in rows:
        days.setdefault(product_id, []).append(day)
        last_quantity[product_id] = quantity
    habits = {pid: every for pid, seen in days.items() if (every := cadence(seen))}
    due = {pid: every for pid, every in habits.items() if is_due(max(days[pid]), every, today)}
    if not due:
        return []
    in_cart = set(db.session.scalars(select(CartLine.product_id).join(Cart)
                                     .where(Cart.user_id == user.id)))
    offers = offers_for(user).load(pid for pid in due if pid not in in_cart)
    items = []
    for pid, offer in offers.items():
        if offer is None or not offer.orderable:
            continue
        quantity = offer.rule.snap(max(last_quantity[pid], offer.rule.minimum))
        items.append(DueItem(offer.product, due[pid], max(days[pid]), quantity))
    items.sort(key=lambda item: (item.due_on, item.product.sku))
    return items[:MAX_SHOWN]


def add_due_to_cart(user: User, now: datetime) -> int:
    """Put every due product in the cart at its proposed quantity; how many were added."""
    items = due_for(user, now)
    if not items:
        raise DomainError(_("Nothing is due to reorder right now."))
    return add_many(user, [(item.product, item.quantity, "") for item in items])
