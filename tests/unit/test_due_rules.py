"""When a buyer's orders of a product make a habit, and when it is due again."""

from datetime import date, timedelta

import pytest

from portal.services.ordering.due import cadence, is_due

D = date(2026, 11, 2)


def days(*offsets):
    return [D + timedelta(days=n) for n in offsets]


@pytest.mark.parametrize(("seen", "expected"), [
    (days(0, 14, 28), 14),                 # every two weeks
    (days(0, 13, 28, 42), 14),             # a day early or late is still the habit
    (days(0, 7, 14, 14, 21), 7),           # twice on one day counts once
    (days(0, 14), None),                   # two orders are not a habit yet
    (days(0, 2, 4, 6), None),              # faster than 5 days: a busy week, not a pace
    (days(0, 70, 140), None),              # slower than 60 days
    (days(0, 14, 15, 40), None),           # irregular: 14, 1, 25
    (days(0, 10, 25, 35), 10),             # 10, 15, 10: within half the pace
])
def test_cadence(seen, expected):
    assert cadence(seen) == expected


@pytest.mark.parametrize(("today_offset", "due"), [(11, False), (12, True), (14, True),
                                                   (28, True), (29, False)])
def test_due_from_two_days_before_the_pace_until_two_paces_have_passed(today_offset, due):
    assert is_due(D, 14, D + timedelta(days=today_offset)) is due
