"""What a buyer should replace now, with the reason shown: a product with a service interval
("replace every 6 months": a filter, a blade) bought once whose time has come, and the
successor of a discontinued product they bought ("replaces X, discontinued").

`interval_due` and `months_later` are pure rules (tested with a table). `service_due_for`
reads what the buyer has bought of such products (`bought.py`: one row per product, days as
whole UTC days), then the offers in the selling policy's fixed number: only products the
buyer may order now are suggested, and nothing already in the cart.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, select

from portal.extensions import db
from portal.models import BoughtProduct, Product, User
from portal.services.ordering.bought import parse_days
from portal.services.ordering.due import first_orderable

SHOWN_BEFORE_DAYS = 7
SUCCESSOR_DAYS = 365  # a discontinued product bought within a year: its successor is offered
MAX_SHOWN = 6


def months_later(day: date, months: int) -> date:
    """`day` plus whole months, on the last day of a shorter month (31 Jan + 1 = 28 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interval_due(bought: date, months: int, today: date) -> bool:
    """Shown from a week before the interval has passed until a second one has (then the
    buyer has replaced it elsewhere or no longer uses it)."""
    due = months_later(bought, months)
    return due - timedelta(days=SHOWN_BEFORE_DAYS) <= today <= months_later(bought, 2 * months)


@dataclass(frozen=True)
class ServiceItem:
    product: Product  # what to order
    quantity: int
    bought_on: date
    months: int | None = None  # the interval ("replace every N months")
    replaces: Product | None = None  # the discontinued product this one succeeds


def _bought(*columns):
    return (select(Product, *columns)
            .join(BoughtProduct, BoughtProduct.product_id == Product.id)
            .where(BoughtProduct.user_id == bindparam("user_id")))


# Statements built once: what the buyer bought of the products with a service interval
# (found by their partial index; none, no statement), over all time; and of discontinued
# products, those last ordered within a year, with the days of that year.
_INTERVAL_PRODUCTS = select(Product.id).where(Product.service_interval_months.is_not(None))
_WITH_INTERVAL = _bought(BoughtProduct.last_at, BoughtProduct.most).where(
    BoughtProduct.product_id.in_(bindparam("ids", expanding=True)))
# (Discontinued said twice, for each planner: as a list from the partial index, SQLite checks
# the buyer's rows against it instead of reading each row's product, 10 -> 3 ms for a busy
# buyer; PostgreSQL joins from the partial index itself, 30 -> 5 ms.)
_DISCONTINUED = _bought(BoughtProduct.days).where(
    Product.discontinued, BoughtProduct.product_id.in_(select(Product.id).where(
        Product.discontinued)), BoughtProduct.last_at >= bindparam("since")
).order_by(Product.id)


def service_due_for(user: User, now: datetime) -> list[ServiceItem]:
    today = now.date()
    year_ago = now - timedelta(days=SUCCESSOR_DAYS)
    wanted: dict[int, tuple] = {}
    for product, text in db.session.execute(
            _DISCONTINUED, {"user_id": user.id, "since": year_ago}):
        days = {day: qty for day, qty in parse_days(text).items() if day >= year_ago.date()}
        if not days or not product.replacement_id:
            continue
        day = max(days)
        if today - day <= timedelta(days=SUCCESSOR_DAYS):
            wanted.setdefault(product.replacement_id, (day, max(days.values()), None, product))
    ids = db.session.scalars(_INTERVAL_PRODUCTS).all()
    for product, placed, qty in db.session.execute(
            _WITH_INTERVAL, {"user_id": user.id, "ids": ids}) if ids else ():
        if product.discontinued and product.replacement_id:
            continue  # its successor is offered instead (above), for a year
        day = placed.date()
        if interval_due(day, product.service_interval_months, today):
            wanted[product.id] = (day, qty, product.service_interval_months, None)
    if not wanted:
        return []

    def item(pid: int, offer) -> ServiceItem:
        day, qty, months, replaces = wanted[pid]
        return ServiceItem(offer.product, offer.rule.snap(max(qty, offer.rule.minimum)), day,
                           months, replaces)

    return first_orderable(user, {pid: wanted[pid][0] for pid in wanted}, item, MAX_SHOWN)
