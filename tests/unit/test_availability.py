"""Availability rule, as a table: in stock, a few left, backorder with the lead time."""

import pytest

from portal.services.selling.availability import (
    Availability,
    StockStatus,
    WarehouseStock,
    availability,
)


def wh(*quantities):
    return [WarehouseStock(f"W{i}", f"Warehouse {i}", q) for i, q in enumerate(quantities)]


@pytest.mark.parametrize(("stock", "case_pack", "status", "total"), [
    (500, 10, StockStatus.IN_STOCK, 500),
    (10, 10, StockStatus.IN_STOCK, 10),  # exactly one case
    (9, 10, StockStatus.LOW, 9),  # below a case
    (40, 1, StockStatus.IN_STOCK, 40),
    (4, 1, StockStatus.LOW, 4),  # below the threshold of 5 units
    (5, 1, StockStatus.IN_STOCK, 5),
    (1, 1, StockStatus.LOW, 1),
    (0, 12, StockStatus.BACKORDER, 0),
    (-3, 12, StockStatus.BACKORDER, 0),  # an oversold warehouse counts as empty
    (wh(6, 6), 12, StockStatus.IN_STOCK, 12),  # a case spread over two warehouses
    (wh(6, -4), 12, StockStatus.LOW, 6),  # a negative count never hides other stock
    (wh(0, 0), 1, StockStatus.BACKORDER, 0),
    (wh(), 1, StockStatus.BACKORDER, 0),  # no stock row at all
])
def test_availability_classifies_total_stock_against_one_case(stock, case_pack, status, total):
    found = availability(stock, case_pack, lead_time_days=3)
    assert (found.status, found.total) == (status, total)


def test_backorder_carries_the_lead_time_for_the_expected_delay():
    found = availability(0, 12, lead_time_days=5)
    assert found.status == StockStatus.BACKORDER and found.lead_time_days == 5


def test_negative_lead_time_in_data_reads_as_zero():
    assert availability(0, 1, lead_time_days=-2).lead_time_days == 0


def test_per_warehouse_detail_is_kept_in_order():
    detail = wh(3, 8)
    found = availability(detail, 1, 2)
    assert found.warehouses == tuple(detail)


@pytest.mark.parametrize(("total", "quantity", "backordered"), [
    (40, 10, 0), (40, 40, 0), (40, 45, 5), (0, 12, 12),
])
def test_backordered_units_are_what_stock_does_not_cover(total, quantity, backordered):
    found = Availability(StockStatus.IN_STOCK, total, 2)
    assert found.backordered_units(quantity) == backordered


def test_threshold_is_configurable():
    assert availability(8, 1, 2, low_threshold=10).status == StockStatus.LOW
