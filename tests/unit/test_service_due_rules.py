"""When a product with a service interval is due to be replaced: a table of fixed dates."""

from datetime import date

import pytest

from portal.services.ordering.service_due import interval_due, months_later


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 6, 3), 6, date(2026, 12, 3)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),  # a shorter month: its last day
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 11, 15), 3, date(2027, 2, 15)),  # across the year
    (date(2026, 12, 1), 12, date(2027, 12, 1)),
])
def test_months_later(day, months, expected):
    assert months_later(day, months) == expected


@pytest.mark.parametrize(("bought", "months", "today", "due"), [
    (date(2026, 6, 3), 6, date(2026, 11, 25), False),  # 8 days before: not yet
    (date(2026, 6, 3), 6, date(2026, 11, 26), True),  # a week before: shown
    (date(2026, 6, 3), 6, date(2026, 12, 10), True),
    (date(2026, 6, 3), 6, date(2027, 6, 3), True),  # two intervals: the last day shown
    (date(2026, 6, 3), 6, date(2027, 6, 4), False),  # replaced elsewhere, or not used
    (date(2026, 11, 10), 1, date(2026, 12, 10), True),
    (date(2026, 12, 1), 1, date(2026, 12, 10), False),
])
def test_a_product_is_due_from_a_week_before_its_interval_until_a_second_one(
        bought, months, today, due):
    assert interval_due(bought, months, today) is due
