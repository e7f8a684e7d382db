"""The staff dashboard: today's orders, 12 weeks of revenue, what waits, the top sellers.

Every figure is one aggregate query (GROUP BY or conditional sums), whatever the number of
orders. A sales rep's figures cover only their assigned customers. The bar geometry of the
small inline SVG charts is a pure function, unit-tested without the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from portal.extensions import db
from portal.models import (
    AccountApplication,
    ApplicationStatus,
    Company,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    RepAssignment,
    Role,
)

WEEKS = 12
TOP_N = 5
TOP_DAYS = 30
# Orders that count as business: placed and going ahead (not waiting, refused or cancelled).
BOOKED = (OrderStatus.SUBMITTED, OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_SHIPPED,
          OrderStatus.SHIPPED, OrderStatus.DELIVERED)


# ---------------------------------------------------------------- pure rules

@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int


def column_bars(values, width: float, height: float, gap: float = 4) -> tuple[Bar, ...]:
    """Vertical bars side by side, scaled to the largest value, bottoms on y = height.

    Negative values count as zero; a non-zero value is at least 1 unit tall so it shows.
    """
    if not values:
        return ()
    slot = width / len(values)
    bar_width = max(slot - gap, 1.0)
    top = max(max(values), 0)
    bars = []
    for index, value in enumerate(values):
        value = max(value, 0)
        h = height * value / top if top else 0.0
        if value and h < 1:
            h = 1.0
        bars.append(Bar(round(index * slot + (slot - bar_width) / 2, 2), round(height - h, 2),
                        round(bar_width, 2), round(h, 2), value))
    return tuple(bars)


def row_bars(values, width: float, row_height: float, bar_height: float,
             offset: float = 0) -> tuple[Bar, ...]:
    """Horizontal bars, one per row, starting at x = 0, scaled to the largest value."""
    top = max([max(v, 0) for v in values], default=0)
    bars = []
    for index, value in enumerate(values):
        value = max(value, 0)
        w = width * value / top if top else 0.0
        if value and w < 1:
            w = 1.0
        bars.append(Bar(0.0, round(index * row_height + offset, 2), round(w, 2),
                        round(bar_height, 2), value))
    return tuple(bars)


def week_starts(now: datetime, tz: ZoneInfo, weeks: int = WEEKS) -> list[datetime]:
    """Local Mondays at midnight, oldest first, the last one being this week's (aware)."""
    local_today = now.astimezone(tz).date()
    monday = local_today - timedelta(days=local_today.weekday())
    return [datetime.combine(monday - timedelta(weeks=weeks - 1 - i), time(), tzinfo=tz)
            for i in range(weeks)]


def local_midnight(now: datetime, tz: ZoneInfo) -> datetime:
    return datetime.combine(now.astimezone(tz).date(), time(), tzinfo=tz)


# ---------------------------------------------------------------- queries

@dataclass(frozen=True)
class Ranked:
    label: str
    detail: str
    cents: int


@dataclass(frozen=True)
class Dashboard:
    currency: str  # every amount below is in it: currencies are never added together
    today_count: int
    today_cents: int
    weeks: list[tuple[date, int]]
    pending_applications: int | None  # None: not this user's business
    waiting_approval: int
    top_products: list[Ranked]
    top_customers: list[Ranked]


def _mine(stmt, user):
    """Limit a statement over Order to the orders this staff member looks after."""
    if user.role == Role.SALES_REP:
        return stmt.where(Order.company_id.in_(
            select(RepAssignment.company_id).where(RepAssignment.rep_id == user.id)))
    return stmt


def _scoped(stmt, user, currency: str):
    """... and in one currency: amounts in euros and in francs are never summed."""
    return _mine(stmt.where(Order.currency == currency), user)


def today_totals(user, now: datetime, tz: ZoneInfo, currency: str = "EUR") -> tuple[int, int]:
    stmt = select(func.count(Order.id), func.coalesce(func.sum(Order.total_cents), 0)).where(
        Order.placed_at >= local_midnight(now, tz).astimezone(UTC), Order.status.in_(BOOKED))
    count, cents = db.session.execute(_scoped(stmt, user, currency)).one()
    return int(count or 0), int(cents or 0)


def weekly_revenue(user, now: datetime, tz: ZoneInfo,
                   currency: str = "EUR") -> list[tuple[date, int]]:
    """One row with one conditional sum per week."""
    local_starts = week_starts(now, tz)
    # SQLite compares wall-clock text: every bound goes in as UTC, like the stored values.
    starts = [s.astimezone(UTC) for s in local_starts]
    ends = starts[1:] + [(local_starts[-1] + timedelta(weeks=1)).astimezone(UTC)]
    columns = [
        func.coalesce(func.sum(case(
            ((Order.placed_at >= start) & (Order.placed_at < end), Order.total_cents),
            else_=0)), 0)
        for start, end in zip(starts, ends, strict=True)
    ]
    stmt = select(*columns).where(Order.placed_at >= starts[0], Order.placed_at < ends[-1],
                                  Order.status.in_(BOOKED))
    row = db.session.execute(_scoped(stmt, user, currency)).one()
    return [(start.date(), int(value or 0))
            for start, value in zip(local_starts, row, strict=True)]


def waiting_approval(user) -> int:
    """Orders waiting for their customer's approval, whatever their currency."""
    stmt = select(func.count(Order.id)).where(Order.status == OrderStatus.PENDING_APPROVAL)
    return int(db.session.scalar(_mine(stmt, user)) or 0)


def pending_applications(user) -> int | None:
    if user.role != Role.STAFF_ADMIN:
        return None
    return int(db.session.scalar(select(func.count(AccountApplication.id)).where(
        AccountApplication.status == ApplicationStatus.PENDING)) or 0)


def top_products(user, now: datetime, lang: str, currency: str = "EUR") -> list[Ranked]:
    revenue = func.sum(OrderLine.line_total_cents)
    stmt = (
        select(Product.sku, Product.name_fr, Product.name_en, revenue)
        .join(OrderLine, OrderLine.product_id == Product.id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.placed_at >= now - timedelta(days=TOP_DAYS), Order.status.in_(BOOKED))
        .group_by(Product.id, Product.sku, Product.name_fr, Product.name_en)
        .order_by(revenue.desc(), Product.sku).limit(TOP_N)
    )
    return [Ranked(name_en if lang == "en" else name_fr, sku, int(cents or 0))
            for sku, name_fr, name_en, cents in db.session.execute(_scoped(stmt, user, currency))]


def top_customers(user, now: datetime, currency: str = "EUR") -> list[Ranked]:
    revenue = func.sum(Order.total_cents)
    stmt = (
        select(Company.name, func.count(Order.id), revenue)
        .join(Order, Order.company_id == Company.id)
        .where(Order.placed_at >= now - timedelta(days=TOP_DAYS), Order.status.in_(BOOKED))
        .group_by(Company.id, Company.name)
        .order_by(revenue.desc(), Company.name).limit(TOP_N)
    )
    return [Ranked(name, str(count), int(cents or 0))
            for name, count, cents in db.session.execute(_scoped(stmt, user, currency))]


def build(user, now: datetime, tz: ZoneInfo, lang: str, currency: str = "EUR") -> Dashboard:
    count, cents = today_totals(user, now, tz, currency)
    return Dashboard(currency, count, cents, weekly_revenue(user, now, tz, currency),
                     pending_applications(user), waiting_approval(user),
                     top_products(user, now, lang, currency), top_customers(user, now, currency))
