"""Availability: what a buyer is told about stock ("In stock", "3 left", "Backorder").

`availability()` is a pure rule over warehouse quantities; the two loaders read stock for a
page of products in one aggregate query, or per warehouse for one product page.
`presence_only()` is what an anonymous visitor may know: in stock or not, never how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import bindparam, select

from portal.extensions import db
from portal.models import Stock, Warehouse

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


# Built once (every priced page asks): keying a new statement costs more than running it.
_FREE = Stock.quantity - Stock.reserved
_HOLDINGS = (select(Stock.product_id, Stock.warehouse_id, _FREE)
             .where(Stock.product_id.in_(bindparam("ids", expanding=True)), _FREE > 0)
             .order_by(Stock.product_id, Stock.warehouse_id))


def stock_holdings(product_ids) -> dict[int, tuple[tuple[int, int], ...]]:
    """What each product has available to promise (on hand - reserved) in each warehouse
    that has any, as ((warehouse id, units), ...) by warehouse id, in one query."""
    ids = list(set(product_ids))
    if not ids:
        return {}
    rows = db.session.execute(_HOLDINGS, {"ids": ids}).all()
    out: dict[int, list[tuple[int, int]]] = {}
    for pid, wid, units in rows:
        out.setdefault(pid, []).append((wid, int(units)))
    return {pid: tuple(held) for pid, held in out.items()}


def stock_totals(product_ids) -> dict[int, int]:
    """Total available stock of each product over all warehouses, in one query."""
    return {pid: sum(u for _w, u in held) for pid, held in stock_holdings(product_ids).items()}


_BY_WAREHOUSE = (select(Warehouse.code, Warehouse.name, _FREE)
                 .join(Stock, Stock.warehouse_id == Warehouse.id)
                 .where(Stock.product_id == bindparam("product_id"))
                 .order_by(Warehouse.code))


def stock_by_warehouse(product_id: int) -> list[WarehouseStock]:
    """One product's available stock (on hand - reserved) in each warehouse that holds a row
    for it, by warehouse code."""
    rows = db.session.execute(_BY_WAREHOUSE, {"product_id": product_id}).all()
    return [WarehouseStock(code, name, quantity) for code, name, quantity in rows]
