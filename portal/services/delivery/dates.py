"""Delivery dates as pure rules: a warehouse's calendar, cut-off, and the date of each part
of a line. Plain values in, plain values out; `now` is always given (the seller's local time).

- An order placed on a working day before the warehouse's cut-off leaves that day
  (`dispatch_day`); after it, or on a day off, it leaves the next working day.
- What is in stock is delivered the working day after it leaves (`stock_date`).
- What is not waits for the product's lead time in working days on top (`lead_date`).
- A jobsite in a farther delivery zone (`Calendar.zoned`) waits `transit_days` working days
  more, is delivered only on the zone's weekdays, and the zone may have its own cut-off.
- Collected at a branch (`Calendar.collected`): ready the day it would leave, no transit.
- A line is split over the warehouses that hold it, the serving one first, then the rest on
  its lead time (`split`); parts on the same day are merged.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

WEEKDAYS = frozenset(range(1, 6))
DEFAULT_CUTOFF = time(14, 0)
_MAX_SCAN = 400  # days looked ahead for a working day (a calendar with none answers None)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


@functools.cache  # asked for each day a calendar looks at: a handful of years in all
def french_holidays(year: int) -> frozenset[date]:
    """France's public holidays (metropolitan): fixed days plus those that follow Easter."""
    sunday = easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [sunday + timedelta(days=n) for n in (1, 39, 50)]  # Monday, Ascension, Whit Monday
    return frozenset([date(year, m, d) for m, d in fixed] + moving)


def parse_cutoff(raw) -> int:
    """"14:00", "14h", "14 h 30", "9h15" -> minutes after midnight; ValueError otherwise."""
    text = str(raw or "").strip().lower().replace(" ", "").replace("h", ":")
    hours, _sep, minutes = text.partition(":")
    if not (hours.isascii() and hours.isdigit() and len(hours) <= 2) or (
            minutes and not (minutes.isascii() and minutes.isdigit() and len(minutes) == 2)):
        raise ValueError(raw)
    value = int(hours) * 60 + int(minutes or 0)
    if int(hours) > 23 or int(minutes or 0) > 59:
        raise ValueError(raw)
    return value


def parse_working_days(raw) -> str:
    """"12345" (ISO weekdays, Monday = 1) -> the same, sorted; ValueError if empty or wrong."""
    text = "".join(sorted(set(str(raw or "").replace(",", "").replace(" ", ""))))
    if not text or not all(ch in "1234567" for ch in text):
        raise ValueError(raw)
    return text


@dataclass(frozen=True)
class Calendar:
    cutoff: time = DEFAULT_CUTOFF
    working_days: frozenset[int] = WEEKDAYS
    holidays_closed: bool = True
    transit_days: int = 0  # working days on the road beyond the next one (a delivery zone)
    delivery_days: frozenset[int] | None = None  # the zone's truck days (None: every day)
    # Collected at the warehouse (click-and-collect): ready the day it would leave, no road.
    collected: bool = False

    def zoned(self, transit_days: int = 0, cutoff_minutes: int | None = None,
              delivery_days: str | None = None, own_cutoff: bool = True) -> Calendar:
        """This calendar delivering into a zone. Truck days that are never working days are
        ignored (they would never come); `own_cutoff` False keeps this calendar's cut-off
        (another warehouse completing the line keeps its own)."""
        return _zoned(self, transit_days, cutoff_minutes, delivery_days, own_cutoff)

    def _zoned(self, transit_days, cutoff_minutes, delivery_days, own_cutoff) -> Calendar:
        days = frozenset(int(ch) for ch in delivery_days or "" if ch in "1234567")
        days = days & self.working_days or None
        cutoff = self.cutoff
        if own_cutoff and cutoff_minutes is not None:
            cutoff = time(cutoff_minutes // 60, cutoff_minutes % 60)
        return replace(self, cutoff=cutoff, transit_days=max(0, transit_days),
                       delivery_days=days)

    @classmethod
    def of(cls, cutoff_minutes: int, working_days: str, holidays_closed: bool) -> Calendar:
        days = frozenset(int(ch) for ch in working_days if ch in "1234567") or WEEKDAYS
        return cls(time(cutoff_minutes // 60, cutoff_minutes % 60), days, holidays_closed)

    def is_working(self, day: date) -> bool:
        if day.isoweekday() not in self.working_days:
            return False
        return not (self.holidays_closed and day in french_holidays(day.year))

    def next_working(self, day: date) -> date:
        """The first working day after `day`."""
        for n in range(1, _MAX_SCAN):
            candidate = day + timedelta(days=n)
            if self.is_working(candidate):
                return candidate
        raise ValueError("no working day")

    def dispatch_day(self, now: datetime) -> date:
        """The day an order placed at `now` (local time) leaves the warehouse."""
        today = now.date()
        if self.is_working(today) and now.time() < self.cutoff:
            return today
        return self.next_working(today)

    def _later(self, day: date, working_days: int) -> date:
        for _ in range(max(0, working_days)):
            day = self.next_working(day)
        return day

    def _truck_day(self, day: date) -> date:
        """`day`, or the first working day after it that the zone's truck goes."""
        while self.delivery_days and day.isoweekday() not in self.delivery_days:
            day = self.next_working(day)
        return day

    def stock_date(self, now: datetime) -> date:
        """Delivery of what is in stock: the working day after it leaves (plus the zone's
        transit, on the zone's next truck day)."""
        return self.lead_date(now, 0)

    def lead_date(self, now: datetime, lead_days: int) -> date:
        """Delivery of what must first come in: `lead_days` working days more."""
        # Keyed by the wall time alone: aware datetimes are equal across time zones when
        # they are the same instant, and the answer depends on the local day and hour.
        return _lead_date(self, now.replace(tzinfo=None), lead_days)

    def _lead_date(self, now: datetime, lead_days: int) -> date:
        if self.collected:
            return self._later(self.dispatch_day(now), max(0, lead_days))
        arrives = self._later(self.dispatch_day(now), 1 + self.transit_days + max(0, lead_days))
        return self._truck_day(arrives)

    def deadline(self, now: datetime) -> datetime:
        """The cut-off that `now` is before: today's, or the next working day's."""
        return datetime.combine(self.dispatch_day(now), self.cutoff, tzinfo=now.tzinfo)


# Pure functions of plain values, so kept: a 100-line cart asks each warehouse's calendar the
# same question once per line, at the same `now`.
_zoned = functools.lru_cache(maxsize=256)(Calendar._zoned)
_lead_date = functools.lru_cache(maxsize=2048)(Calendar._lead_date)


@dataclass(frozen=True)
class Countdown:
    """What the cut-off changes, told at `now`."""

    deadline: datetime  # the next cut-off (local time)
    remaining: timedelta  # until it
    delivery: date  # ordered before the deadline: delivered then
    after: date  # ordered after it
    today: bool  # the deadline is today (a countdown is worth showing)

    @property
    def hours_minutes(self) -> tuple[int, int]:
        minutes = max(0, int(self.remaining.total_seconds() // 60))
        return minutes // 60, minutes % 60


def countdown(now: datetime, calendar: Calendar) -> Countdown:
    deadline = calendar.deadline(now)
    delivery = calendar.stock_date(now)
    after = calendar.stock_date(deadline)  # ordered at the cut-off is ordered after it
    return Countdown(deadline, deadline - now, delivery, after, deadline.date() == now.date())


@dataclass(frozen=True)
class Part:
    quantity: int
    on: date
    in_stock: bool


def split(quantity: int, holdings, now: datetime, lead_calendar: Calendar,
          lead_days: int) -> tuple[Part, ...]:
    """The parts of a line of `quantity`: `holdings` are (Calendar, units available) in the
    order they serve (the serving warehouse first); what none holds comes on the lead time of
    `lead_calendar` (the serving warehouse). Same-day parts are merged, earliest first."""
    left = max(0, quantity)
    by_day: dict[date, list[int]] = {}
    for calendar, units in holdings:
        take = min(left, max(0, units))
        if take:
            day = calendar.stock_date(now)
            by_day.setdefault(day, [0, 1])[0] += take
            left -= take
    if left:
        day = lead_calendar.lead_date(now, lead_days)
        entry = by_day.setdefault(day, [0, 0])
        entry[0] += left
    return tuple(Part(qty, day, bool(stock)) for day, (qty, stock) in sorted(by_day.items()))


def order_parts(quantity: int, shipped: int, backordered: int, promised: date | None,
                backorder_date: date | None) -> tuple[Part, ...]:
    """What is left of an order line, dated as promised: the units held in stock on
    `promised`, the backordered ones on `backorder_date` (an undated part has no date)."""
    left = max(0, quantity - shipped)
    later = min(max(0, backordered), left)
    parts = []
    if left - later and promised:
        parts.append(Part(left - later, promised, True))
    if later and backorder_date:
        parts.append(Part(later, backorder_date, False))
    return tuple(parts)
