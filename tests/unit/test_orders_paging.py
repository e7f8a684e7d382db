"""History paging cursors and filters: plain values in, plain values out, nothing trusted."""

from datetime import UTC, datetime

import pytest

from portal.services.orders.history import decode_cursor, encode_cursor, parse_filters


@pytest.mark.parametrize("placed_at", [
    datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
    datetime(2026, 3, 2, 8, 0, 0, 123456, tzinfo=UTC),
    datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
])
def test_a_cursor_round_trips_to_the_same_instant_and_id(placed_at):
    assert decode_cursor(encode_cursor(placed_at, 42)) == (placed_at, 42)


@pytest.mark.parametrize("raw", [
    None, "", "abc", "12", "12.", ".12", "-5.3", "1.2.3", "１２.3", "12.３", "9" * 41,
    "99999999999999999999999.1", "1e5.2",
])
def test_a_cursor_that_is_not_ours_is_ignored(raw):
    assert decode_cursor(raw) is None


@pytest.mark.parametrize(("args", "status", "jobsite", "q"), [
    ({}, "", None, ""),
    ({"status": "shipped"}, "shipped", None, ""),
    ({"status": "SHIPPED"}, "", None, ""),
    ({"status": "'; drop table"}, "", None, ""),
    ({"jobsite": "7"}, "", 7, ""),
    ({"jobsite": "8"}, "", None, ""),  # not one of the user's jobsites
    ({"jobsite": "٧"}, "", None, ""),
    ({"jobsite": "7x"}, "", None, ""),
    ({"q": "  PO   4471 "}, "", None, "PO 4471"),
    ({"q": "x" * 200}, "", None, "x" * 80),
])
def test_filters_keep_only_known_values(args, status, jobsite, q):
    filters = parse_filters(args, [7, 9])
    assert (filters.status, filters.jobsite_id, filters.q) == (status, jobsite, q)
    assert filters.active == bool(status or jobsite or q)
