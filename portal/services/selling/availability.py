"""Availability: what a buyer is told about stock ("In stock", "3 left", "Backorder").

`availability()` is a pure rule over warehouse quantities; the stock itself is read with the
offers, in their batch's one statement (pricing.py), and split here by `stock_of`.
`presence_only()` is what an anonymous visitor may know: in stock or not, never how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Below this many units a product shows "n left" even when a whole case is there.
LOW_STOCK_UNITS = 5


class StockStatus(StrEnum):
    IN_STOCK = "in_stock"
    LOW = "low"
    BACKORDER = "backorder"


@dataclass(frozen=True)
class WarehouseStock:
    code: str
    name: str
    quantity: int


@dataclass(frozen=True)
class Availability:
    status: StockStatus
    total: int
    lead_time_days: int
    warehouses: tuple[WarehouseStock, ...] = ()
    exact: bool = True  # False: counts withheld (total 0, no warehouses), only the status told

    def backordered_units(self, quantity: int) -> int:
        """How many of `quantity` units would wait for the next delivery."""
        return max(0, quantity - self.total)


def availability(quantities, case_pack: int, lead_time_days: int,
                 low_threshold: int = LOW_STOCK_UNITS) -> Availability:
    """Classify stock spread over warehouses.

    `quantities` is an int (a total) or an iterable of WarehouseStock. Negative counts (a
    warehouse that oversold) count as zero: they never hide another warehouse's stock.
    """
    if isinstance(quantities, int):
        detail: tuple[WarehouseStock, ...] = ()
        total = max(0, quantities)
    else:
        detail = tuple(quantities)
        total = sum(max(0, w.quantity) for w in detail)
    if total <= 0:
        status = StockStatus.BACKORDER
    elif total < max(case_pack, 1) or total < low_threshold:
        status = StockStatus.LOW
    else:
        status = StockStatus.IN_STOCK
    return Availability(status, total, max(0, lead_time_days), detail)


def presence_only(stock: Availability) -> Availability:
    """The same stock told as "in stock" or "on order", with every count removed (a
    competitor browsing anonymously learns nothing of the seller's quantities)."""
    out = stock.status == StockStatus.BACKORDER
    status = StockStatus.BACKORDER if out else StockStatus.IN_STOCK
    return Availability(status, 0, stock.lead_time_days, (), exact=False)


def stock_of(rows) -> tuple[tuple[tuple[int, int], ...], tuple[WarehouseStock, ...]]:
    """One product's rows of stock, each (warehouse id, code, name, on hand - reserved), read
    with its offer (pricing.py): what it has available to promise in each warehouse that has
    any, ((warehouse id, units), ...) by warehouse id; and every warehouse holding a row for
    it, by code, with its units (0 or less too): the product page's list."""
    holdings = tuple(sorted((wid, units) for wid, _code, _name, units in rows if units > 0))
    detail = tuple(WarehouseStock(code, name, units)
                   for _wid, code, name, units in sorted(rows, key=lambda row: row[1]))
    return holdings, detail
