"""Checking quick-order lines: merge duplicates, then one status per line (pure, no app)."""

import pytest

from portal.services.ordering.paste import RawLine
from portal.services.ordering.quick_order import (
    ERROR,
    MISSING_SKU,
    OK,
    QUANTITY,
    WARNING,
    ProductInfo,
    check_entry,
    check_lines,
    merge_entries,
)
from portal.services.selling import Reason, Tier

BACKORDER, DISCONTINUED, MINIMUM = Reason.BACKORDER, Reason.DISCONTINUED, Reason.MINIMUM
MULTIPLE, UNKNOWN = Reason.MULTIPLE, Reason.UNAVAILABLE

SCREWS = ProductInfo(1, "VIS-440", "Vis", case_pack=10, order_multiple=1, lead_time_days=3,
                     tiers=(Tier(1, 100), Tier(5, 97), Tier(10, 90)), in_stock=500)
GLOVES = ProductInfo(2, "GANT-9", "Gants", case_pack=12, order_multiple=12, lead_time_days=5,
                     tiers=(Tier(12, 300),), in_stock=24)
FLOUR = ProductInfo(3, "FAR-T55", "Farine", case_pack=10, order_multiple=5, lead_time_days=2,
                    tiers=(Tier(10, 120),), in_stock=100)
OLD = ProductInfo(4, "VIS-OLD", "Vieille vis", case_pack=1, order_multiple=1,
                  lead_time_days=2, tiers=(Tier(1, 50),), in_stock=10, discontinued=True,
                  replacement_sku="VIS-440")
GONE = ProductInfo(5, "VIS-GONE", "Vis", case_pack=1, order_multiple=1, lead_time_days=2,
                   tiers=(Tier(1, 50),), in_stock=10, discontinued=True)
UNPRICED = ProductInfo(6, "NOPRICE", "Sans prix", case_pack=1, order_multiple=1,
                       lead_time_days=2, tiers=(), in_stock=10)


def entry(sku, quantity):
    return merge_entries([RawLine("paste", 1, sku, quantity)])[0]


@pytest.mark.parametrize("sku, qty, info, status, code", [
    ("VIS-440", "3", SCREWS, OK, OK),
    ("VIS-440", "10", SCREWS, OK, OK),
    ("", "3", None, ERROR, MISSING_SKU),
    ("NOPE", "3", None, ERROR, UNKNOWN),
    ("NOPRICE", "3", UNPRICED, ERROR, UNKNOWN),  # not orderable: the same answer as unknown
    ("VIS-OLD", "3", OLD, ERROR, DISCONTINUED),
    ("VIS-GONE", "3", GONE, ERROR, DISCONTINUED),
    ("VIS-440", "", SCREWS, ERROR, QUANTITY),
    ("VIS-440", "0", SCREWS, ERROR, QUANTITY),
    ("VIS-440", "-2", SCREWS, ERROR, QUANTITY),
    ("VIS-440", "1.5", SCREWS, ERROR, QUANTITY),
    ("VIS-440", "１２", SCREWS, ERROR, QUANTITY),  # full-width digits
    ("VIS-440", "1_000", SCREWS, ERROR, QUANTITY),
    ("VIS-440", "100000", SCREWS, ERROR, QUANTITY),
    ("GANT-9", "13", GLOVES, ERROR, MULTIPLE),
    ("GANT-9", "24", GLOVES, OK, OK),
    ("GANT-9", "36", GLOVES, WARNING, BACKORDER),
    ("FAR-T55", "5", FLOUR, ERROR, MINIMUM),
])
def test_each_line_gets_a_status_and_a_reason(sku, qty, info, status, code):
    result = check_entry(entry(sku, qty), info)
    assert (result.status, result.code) == (status, code)


def test_a_discontinued_product_offers_its_replacement():
    result = check_entry(entry("VIS-OLD", "3"), OLD)
    assert result.replacement_sku == "VIS-440"
    assert not result.orderable


def test_a_discontinued_product_without_orderable_replacement_offers_none():
    assert check_entry(entry("VIS-GONE", "3"), GONE).replacement_sku is None


def test_a_quantity_off_the_selling_unit_offers_the_next_multiple():
    result = check_entry(entry("GANT-9", "13"), GLOVES)
    assert result.snap_to == 24


def test_below_the_smallest_priced_quantity_offers_it():
    result = check_entry(entry("FAR-T55", "5"), FLOUR)
    assert result.snap_to == 10


@pytest.mark.parametrize("qty, snap_to, saving", [
    ("9", 10, (97 - 90) * 10),  # 9 at 0.97, a full case at 0.90: +0.27 on 8.73
    ("7", None, 0),  # +3 units would cost a third more: not a nudge
    ("3", None, 0),
    ("10", None, 0),  # a full case already
    ("20", None, 0),
])
def test_an_orderable_quantity_shows_the_saving_of_a_full_case(qty, snap_to, saving):
    result = check_entry(entry("VIS-440", qty), SCREWS)
    assert result.status == OK
    assert (result.snap_to, result.saving_cents) == (snap_to, saving)


def test_over_stock_is_a_warning_with_the_backorder_still_orderable():
    result = check_entry(entry("GANT-9", "36"), GLOVES)
    assert result.orderable
    assert result.backordered == 12


def test_an_orderable_line_is_priced_at_the_tier_its_quantity_reaches():
    result = check_entry(entry("VIS-440", "5"), SCREWS)
    assert (result.unit_price_cents, result.line_total_cents) == (97, 485)


# -- Merging duplicates ---------------------------------------------------------------------

def lines(*pairs):
    return [RawLine("paste", n, sku, qty) for n, (sku, qty) in enumerate(pairs, 1)]


def test_duplicate_skus_are_merged_into_one_line_that_says_so():
    merged = merge_entries(lines(("VIS-440", "3"), ("CIM-35", "1"), ("vis-440 ", "4")))
    assert [(e.sku, e.quantity, e.merged) for e in merged] == [("VIS-440", 7, 2),
                                                               ("CIM-35", 1, 1)]


def test_a_duplicate_with_a_bad_quantity_stays_on_its_own_line():
    merged = merge_entries(lines(("VIS-440", "3"), ("VIS-440", "x")))
    assert [(e.sku, e.quantity, e.merged) for e in merged] == [("VIS-440", 3, 1),
                                                               ("VIS-440", None, 1)]


def test_merged_quantities_over_the_maximum_are_an_error():
    merged = merge_entries(lines(("VIS-440", "60000"), ("VIS-440", "60000")))
    assert len(merged) == 1 and merged[0].quantity is None and merged[0].quantity_error


def test_no_line_is_dropped_silently():
    raw = lines(("VIS-440", "3"), ("", "2"), ("NOPE", "1"), ("VIS-440", "2"), ("GANT-9", "x"))
    result = check_lines(raw, {"VIS-440": SCREWS, "GANT-9": GLOVES})
    accounted = sum(r.merged for r in result.lines)
    assert accounted == len(raw)
    assert [r.code for r in result.lines] == [OK, MISSING_SKU, UNKNOWN, QUANTITY]


def test_the_result_counts_only_orderable_lines_in_its_total():
    result = check_lines(lines(("VIS-440", "10"), ("NOPE", "1")), {"VIS-440": SCREWS})
    assert result.total_cents == 900
    assert len(result.errors) == 1 and len(result.orderable) == 1
