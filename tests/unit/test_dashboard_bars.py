"""Pure rules of the staff dashboard: bar geometry of the SVG charts and week boundaries."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.services.backoffice.dashboard import (
    Bar,
    column_bars,
    local_midnight,
    row_bars,
    week_starts,
)

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("values", "width", "height", "gap", "expected"),
    [
        ([], 100, 50, 4, ()),
        ([10], 100, 50, 4, (Bar(2.0, 0.0, 96.0, 50.0, 10),)),
        ([5, 10], 100, 50, 4, (Bar(2.0, 25.0, 46.0, 25.0, 5), Bar(52.0, 0.0, 46.0, 50.0, 10))),
        ([0, 0], 100, 50, 4, (Bar(2.0, 50.0, 46.0, 0.0, 0), Bar(52.0, 50.0, 46.0, 0.0, 0))),
        # A tiny value still shows as one unit; a negative one counts as zero.
        ([1, 1000], 100, 50, 0, (Bar(0.0, 49.0, 50.0, 1.0, 1), Bar(50.0, 0.0, 50.0, 50.0, 1000))),
        ([-3, 6], 100, 60, 0, (Bar(0.0, 60.0, 50.0, 0.0, 0), Bar(50.0, 0.0, 50.0, 60.0, 6))),
        # Bars never get narrower than one unit, however many there are.
        ([1, 1, 1], 6, 10, 4, (Bar(0.5, 0.0, 1.0, 10.0, 1), Bar(2.5, 0.0, 1.0, 10.0, 1),
                               Bar(4.5, 0.0, 1.0, 10.0, 1))),
    ],
)
def test_column_bars_are_scaled_to_the_largest_value_and_stand_on_the_baseline(
        values, width, height, gap, expected):
    assert column_bars(values, width, height, gap) == expected


def test_twelve_weekly_columns_fill_the_chart_width_without_overlapping():
    bars = column_bars(list(range(12)), 320, 110)
    assert len(bars) == 12
    for left, right in zip(bars, bars[1:], strict=False):
        assert left.x + left.width < right.x
    assert bars[0].x >= 0 and bars[-1].x + bars[-1].width <= 320
    assert bars[-1].height == 110 and bars[0].height == 0


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], ()),
        ([200, 100, 0], (Bar(0.0, 22.0, 300.0, 12.0, 200), Bar(0.0, 62.0, 150.0, 12.0, 100),
                         Bar(0.0, 102.0, 0.0, 12.0, 0))),
        ([1, 10_000], (Bar(0.0, 22.0, 1.0, 12.0, 1), Bar(0.0, 62.0, 300.0, 12.0, 10_000))),
        ([0, 0], (Bar(0.0, 22.0, 0.0, 12.0, 0), Bar(0.0, 62.0, 0.0, 12.0, 0))),
    ],
)
def test_row_bars_grow_from_the_left_one_per_row(values, expected):
    assert row_bars(values, 300, 40, 12, offset=22) == expected


@pytest.mark.parametrize(
    ("now", "first", "last"),
    [
        # A Wednesday: this week started on Monday 10 March.
        (datetime(2025, 3, 12, 10, 0, tzinfo=UTC), date(2024, 12, 23), date(2025, 3, 10)),
        # Sunday 23:30 UTC is already Monday in Paris.
        (datetime(2025, 3, 16, 23, 30, tzinfo=UTC), date(2024, 12, 30), date(2025, 3, 17)),
        # Across the change to summer time (30 March 2025) weeks still start at midnight.
        (datetime(2025, 4, 2, 8, 0, tzinfo=UTC), date(2025, 1, 13), date(2025, 3, 31)),
    ],
)
def test_weeks_start_on_local_mondays_at_midnight(now, first, last):
    starts = week_starts(now, PARIS)
    assert len(starts) == 12
    assert starts[0].date() == first and starts[-1].date() == last
    assert all(s.hour == 0 and s.minute == 0 and s.weekday() == 0 for s in starts)


def test_today_starts_at_local_midnight_not_utc_midnight():
    midnight = local_midnight(datetime(2025, 6, 1, 22, 30, tzinfo=UTC), PARIS)
    assert midnight.date() == date(2025, 6, 2)
    assert midnight.astimezone(UTC) == datetime(2025, 6, 1, 22, 0, tzinfo=UTC)
