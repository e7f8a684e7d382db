"""Delivery dates as tables: cut-off, working days, holidays, lead time, split lines.

Fixed dates only. 2026-12-10 is a Thursday; 2026-12-25 a Friday (Christmas).
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from portal.services.delivery.dates import (
    Calendar,
    countdown,
    easter,
    french_holidays,
    parse_cutoff,
    parse_working_days,
    split,
)

WEEK = Calendar()  # Monday to Friday, 14:00, French holidays closed


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(("now", "stock_date"), [
    ("2026-12-10T09:30", date(2026, 12, 11)),  # Thursday before 14:00: Friday
    ("2026-12-10T13:59", date(2026, 12, 11)),
    ("2026-12-10T14:00", date(2026, 12, 14)),  # at the cut-off: leaves Friday, Monday
    ("2026-12-11T10:00", date(2026, 12, 14)),  # Friday morning: Monday
    ("2026-12-11T15:00", date(2026, 12, 15)),  # Friday afternoon: Tuesday
    ("2026-12-12T10:00", date(2026, 12, 15)),  # Saturday: leaves Monday, Tuesday
    ("2026-12-24T10:00", date(2026, 12, 28)),  # Christmas Eve: Christmas is closed
    ("2026-04-03T10:00", date(2026, 4, 7)),  # Good Friday is open, Easter Monday is not
])
def test_in_stock_arrives_the_working_day_after_it_leaves(now, stock_date):
    assert WEEK.stock_date(at(now)) == stock_date


def test_a_warehouse_open_on_holidays_and_saturdays_delivers_then():
    open_often = Calendar(time(12, 0), frozenset({1, 2, 3, 4, 5, 6}), holidays_closed=False)
    assert open_often.stock_date(at("2026-12-24T10:00")) == date(2026, 12, 25)
    assert open_often.stock_date(at("2026-12-11T12:30")) == date(2026, 12, 14)  # leaves Sat


@pytest.mark.parametrize(("now", "lead", "expected"), [
    ("2026-12-10T09:30", 0, date(2026, 12, 11)),
    ("2026-12-10T09:30", 3, date(2026, 12, 16)),  # Fri + Mon, Tue, Wed
    ("2026-12-10T15:00", 3, date(2026, 12, 17)),
    ("2026-12-22T09:00", 2, date(2026, 12, 28)),  # Wed 23, Thu 24, (25 closed) Mon 28
])
def test_a_backorder_waits_for_the_lead_time_in_working_days(now, lead, expected):
    assert WEEK.lead_date(at(now), lead) == expected


def test_a_line_split_between_stock_and_lead_time_shows_both_parts():
    parts = split(12, [(WEEK, 7)], at("2026-12-10T09:30"), WEEK, 3)
    assert [(p.quantity, p.on, p.in_stock) for p in parts] == [
        (7, date(2026, 12, 11), True), (5, date(2026, 12, 16), False)]


def test_a_second_warehouse_completes_the_first_and_same_days_merge():
    early = Calendar(time(11, 0))
    parts = split(10, [(WEEK, 4), (early, 3)], at("2026-12-10T12:00"), WEEK, 5)
    # WEEK still ships today (Friday delivery); the other closed at 11:00 (Monday).
    assert [(p.quantity, p.on) for p in parts] == [
        (4, date(2026, 12, 11)), (3, date(2026, 12, 14)), (3, date(2026, 12, 18))]
    assert [(p.quantity, p.on) for p in split(6, [(WEEK, 2), (WEEK, 4)],
                                              at("2026-12-10T09:00"), WEEK, 2)] == [
        (6, date(2026, 12, 11))]


def test_nothing_in_stock_is_one_part_on_the_lead_time():
    assert [(p.quantity, p.in_stock) for p in split(5, [], at("2026-12-10T09:00"), WEEK, 1)] == [
        (5, False)]


@pytest.mark.parametrize(("now", "remaining", "delivery", "after", "today"), [
    ("2026-12-10T11:45", (2, 15), date(2026, 12, 11), date(2026, 12, 14), True),
    ("2026-12-10T15:00", (23, 0), date(2026, 12, 14), date(2026, 12, 15), False),
    ("2026-12-11T16:00", (70, 0), date(2026, 12, 15), date(2026, 12, 16), False),
])
def test_the_countdown_tells_the_cutoff_and_the_date_on_either_side(now, remaining, delivery,
                                                                    after, today):
    told = countdown(at(now), WEEK)
    assert told.hours_minutes == remaining
    assert (told.delivery, told.after, told.today) == (delivery, after, today)


@pytest.mark.parametrize(("year", "sunday"), [
    (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
    (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25)),
])
def test_easter(year, sunday):
    assert easter(year) == sunday


def test_french_holidays_include_the_moving_ones():
    days = french_holidays(2026)
    assert len(days) == 11
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= days


@pytest.mark.parametrize(("raw", "minutes"), [
    ("14:00", 840), ("14h", 840), ("14 h 30", 870), ("9h15", 555), ("0:00", 0), ("23:59", 1439),
])
def test_a_cutoff_is_read_as_people_write_it(raw, minutes):
    assert parse_cutoff(raw) == minutes


@pytest.mark.parametrize("raw", ["", "24:00", "14:60", "2 pm", "14:5", "١٤:٠٠", "-1", "14:00:00"])
def test_a_cutoff_that_does_not_parse_is_refused(raw):
    with pytest.raises(ValueError):
        parse_cutoff(raw)


@pytest.mark.parametrize(("raw", "days"), [("12345", "12345"), ("5,4,3,2,1", "12345"),
                                          ("6", "6")])
def test_working_days(raw, days):
    assert parse_working_days(raw) == days


@pytest.mark.parametrize("raw", ["", "8", "0", "lun"])
def test_working_days_refused(raw):
    with pytest.raises(ValueError):
        parse_working_days(raw)


# A mountain zone: one more day on the road, trucks on Tuesdays and Thursdays, cut-off 11:00.
MOUNTAIN = WEEK.zoned(1, 11 * 60, "24")


@pytest.mark.parametrize(("calendar", "now", "lead", "expected"), [
    (WEEK.zoned(0), "2026-12-10T09:30", 0, date(2026, 12, 11)),  # no transit: as the warehouse
    (WEEK.zoned(2), "2026-12-10T09:30", 0, date(2026, 12, 15)),  # Fri + 2 working days
    (MOUNTAIN, "2026-12-08T10:00", 0, date(2026, 12, 10)),  # Tue before 11:00: Thursday
    (MOUNTAIN, "2026-12-08T12:00", 0, date(2026, 12, 15)),  # after its cut-off: Fri, Tuesday
    (MOUNTAIN, "2026-12-10T09:30", 0, date(2026, 12, 15)),  # Thu: Mon on the road, Tuesday
    (MOUNTAIN, "2026-12-10T09:30", 2, date(2026, 12, 17)),  # lead time: Wed, truck Thursday
    (MOUNTAIN, "2026-12-23T10:00", 0, date(2026, 12, 29)),  # Thu 24th, Christmas: Tue 29th
    (WEEK.zoned(0, None, "6"), "2026-12-10T09:30", 0, date(2026, 12, 11)),  # Saturday truck
])                                                             # never comes: ignored
def test_a_zone_adds_transit_days_waits_for_its_truck_day_and_has_its_cutoff(
        calendar, now, lead, expected):
    assert calendar.lead_date(at(now), lead) == expected


def test_another_warehouse_keeps_its_own_cutoff_in_a_zone():
    assert WEEK.zoned(0, 11 * 60, "", own_cutoff=False).cutoff == time(14, 0)
    assert WEEK.zoned(0, 11 * 60, "").cutoff == time(11, 0)


def test_the_countdown_of_a_zone_uses_its_cutoff_and_truck_days():
    told = countdown(at("2026-12-08T09:30"), MOUNTAIN)
    assert told.hours_minutes == (1, 30)
    assert (told.delivery, told.after, told.today) == (date(2026, 12, 10), date(2026, 12, 15),
                                                       True)


def test_the_same_instant_in_two_time_zones_is_dated_by_each_local_hour():
    """Dates are kept per calendar and moment (a cart asks once per line): the key is the
    local wall time, since two aware datetimes of one instant are equal in Python."""
    paris = datetime(2026, 12, 10, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))
    london = paris.astimezone(ZoneInfo("Europe/London"))  # 13:30, before the cut-off
    assert paris == london
    assert WEEK.stock_date(paris) == date(2026, 12, 14)  # leaves Friday, Monday
    assert WEEK.stock_date(london) == date(2026, 12, 11)  # leaves today, Friday
