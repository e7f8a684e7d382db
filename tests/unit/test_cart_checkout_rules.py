"""Pure rules of the cart and checkout: VAT rounding, PO number, date, notes, numbers."""

from datetime import UTC, date, datetime

import pytest

from portal.services.ordering.checkout import (
    DeliveryPlace,
    clean_date,
    clean_notes,
    clean_po,
    default_place,
    earliest_date,
    local_today,
    order_number,
    subtree,
)
from portal.services.selling import vat_cents


@pytest.mark.parametrize("subtotal, rate_bp, vat", [
    (0, 2000, 0),
    (1, 2000, 0),  # 0.2 cent
    (2, 2000, 0),  # 0.4
    (3, 2000, 1),  # 0.6
    (5, 2000, 1),  # 1.0
    (12345, 2000, 2469),  # 2469.0
    (12348, 2000, 2470),  # 2469.6
    (100, 550, 6),  # 5.5 → half up
    (10, 550, 1),  # 0.55
    (9, 550, 0),  # 0.495
    (1_000_000_00, 2000, 200_000_00),
])
def test_vat_is_integer_cents_rounded_half_up(subtotal, rate_bp, vat):
    assert vat_cents(subtotal, rate_bp) == vat


def test_vat_defaults_to_twenty_percent():
    assert vat_cents(1000) == 200


@pytest.mark.parametrize("raw, required, expected", [
    ("", False, ""),
    ("  PO-2024-17 ", True, "PO-2024-17"),
    ("BC  42", False, "BC 42"),
    ("x" * 40, True, "x" * 40),
    ("Chantier Lyon / lot 3", True, "Chantier Lyon / lot 3"),
])
def test_po_numbers_that_are_accepted(raw, required, expected):
    assert clean_po(raw, required) == expected


@pytest.mark.parametrize("raw, required", [
    ("", True),
    ("   ", True),
    ("x" * 41, False),
    ("PO\x00 1", False),
    ("PO\u202e1", False),  # a right-to-left override is not printable
])
def test_po_numbers_that_are_refused(raw, required):
    with pytest.raises(ValueError):
        clean_po(raw, required)


TODAY = date(2025, 3, 14)  # a Friday


@pytest.mark.parametrize("raw, expected", [
    ("", None),
    ("2025-03-15", date(2025, 3, 15)),  # tomorrow, a Saturday: weekends allowed
    ("2025-03-16", date(2025, 3, 16)),
    ("2026-03-14", date(2026, 3, 14)),
])
def test_delivery_dates_that_are_accepted(raw, expected):
    assert clean_date(raw, TODAY) == expected


@pytest.mark.parametrize("raw", ["2025-03-14", "2025-03-01", "2026-03-15", "14/03/2025",
                                 "20250315", "2025-02-30", "tomorrow", "2025-3-15"])
def test_delivery_dates_that_are_refused(raw):
    with pytest.raises(ValueError):
        clean_date(raw, TODAY)


def test_tomorrow_is_the_earliest_date():
    assert earliest_date(TODAY) == date(2025, 3, 15)


def test_today_is_the_sellers_calendar_day():
    # 23:30 UTC on March 14 is already March 15 in Paris.
    assert local_today(datetime(2025, 3, 14, 23, 30, tzinfo=UTC)) == date(2025, 3, 15)


@pytest.mark.parametrize("raw, ok", [
    ("", True), ("Livrer côté rue.\nAppeler Léa.", True), ("x" * 1000, True),
    ("x" * 1001, False), ("bip\x07", False),
])
def test_notes_are_text_of_up_to_1000_characters(raw, ok):
    if ok:
        assert clean_notes(raw) == raw.strip()
    else:
        with pytest.raises(ValueError):
            clean_notes(raw)


@pytest.mark.parametrize("year, order_id, number", [
    (2025, 1, "CMD-2025-000001"), (2025, 123456, "CMD-2025-123456"),
    (2026, 1234567, "CMD-2026-1234567"),
])
def test_order_numbers_carry_the_year_and_the_id(year, order_id, number):
    assert order_number(year, order_id) == number


def test_a_unit_subtree_holds_the_unit_and_everything_below():
    parents = {1: None, 2: 1, 3: 2, 4: 2, 5: None, 6: 5}
    assert subtree(parents, 2) == {2, 3, 4}
    assert subtree(parents, 1) == {1, 2, 3, 4}
    assert subtree(parents, 6) == {6}


class FakeUser:
    def __init__(self, last_jobsite_id):
        self.last_jobsite_id = last_jobsite_id


@pytest.mark.parametrize("last, keys, expected", [
    (2, ["jobsite:1", "jobsite:2"], "jobsite:2"),
    (9, ["jobsite:1", "jobsite:2"], ""),  # archived or out of reach: nothing preselected
    (None, ["address:4"], "address:4"),  # a single place is chosen for the user
    (None, [], ""),
])
def test_the_last_jobsite_is_preselected(last, keys, expected):
    places = [DeliveryPlace(k, k, "") for k in keys]
    assert default_place(FakeUser(last), places) == expected
