"""Price tiers (list, SKU, minimum quantity, unit price) and stock levels per warehouse.

Both refer to products and warehouses that must already exist; a tier or a stock row that
exists is updated, a new one is created. A price list code not known yet is created when its
rows give it a name (`price_list_name`, and `currency`, EUR when empty); without a name it is
refused, so a typo never makes a list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import insert, select, tuple_, update

from portal.extensions import db
from portal.models import PriceList, PriceTier, Product, Stock, Warehouse
from portal.services.accounts import record
from portal.services.csv_import import cells
from portal.services.csv_import.base import Checker, RowCheck, Writer, also_on
from portal.services.csv_import.parse import Row, Spec
from portal.services.quantities import MAX_QUANTITY

PRICES = Spec(columns=("price_list_code", "sku", "min_qty", "unit_price", "price_list_name",
                       "currency"),
              required=frozenset({"price_list_code", "sku", "min_qty", "unit_price"}))
STOCK = Spec(columns=("sku", "warehouse_code", "quantity"),
             required=frozenset({"sku", "warehouse_code", "quantity"}))
MAX_STOCK = 10_000_000


def _product_ids(chunk: list[Row]) -> dict[str, int]:
    skus = {r.cells.get("sku", "").upper() for r in chunk} - {""}
    return dict(db.session.execute(
        select(Product.sku, Product.id).where(Product.sku.in_(skus))).all())


@dataclass(frozen=True)
class TierPlan:
    price_list_id: int
    product_id: int
    min_qty: int
    unit_price_cents: int
    new_list: tuple[str, str, str] | None = None  # (code, name, currency) of a list to create


class PricesChecker(Checker):
    key_columns = ("price_list_code", "sku", "min_qty")

    def __init__(self):
        super().__init__()
        self.seen: dict[tuple, int] = {}
        self.lists = {code.upper(): pid for pid, code in
                      db.session.execute(select(PriceList.id, PriceList.code))}
        self.new_lists: dict[str, tuple[str, str, str]] = {}
        self.fresh = 0  # new lists first seen in the chunk being checked

    @staticmethod
    def _key(row: Row) -> tuple:
        cells_ = row.cells
        return (cells_.get("price_list_code", "").upper(), cells_.get("sku", "").upper(),
                cells_.get("min_qty", "").lstrip("0"))

    def remember(self, row: Row) -> None:
        self.seen.setdefault(self._key(row), row.line)

    def check(self, chunk: list[Row]):
        products = _product_ids(chunk)
        errors, plans, counts = [], [], Counter()
        self.fresh = 0
        for row in chunk:
            c = RowCheck(row)
            code = c.need("price_list_code", cells.code)
            sku = c.need("sku", cells.sku)
            min_qty = c.need("min_qty", cells.integer, 1, MAX_QUANTITY)
            cents = c.need("unit_price", cells.money)
            list_id = self.lists.get(code.upper()) if code else None
            new_list = self._new_list(c, code) if code and list_id is None else None
            if sku and sku not in products:
                c.fail("sku", _("unknown SKU"))
            if self._key(row) in self.seen:
                c.fail("min_qty", also_on(self.seen[self._key(row)]))
            self.remember(row)
            errors.extend(c.errors)
            if c.ok:
                plans.append(TierPlan(list_id, products[sku], min_qty, cents, new_list))
                counts["tiers"] += 1
        if self.fresh:
            counts["lists"] += self.fresh
        return errors, plans, counts


    def _new_list(self, c: RowCheck, code: str) -> tuple[str, str, str] | None:
        """A list this file creates: named on one of its rows (the first), one currency."""
        name = c.get("price_list_name", cells.text, 120)
        raw_currency = (c.get("currency", cells.code, 3) or "").upper()
        first = self.new_lists.get(code.upper())
        if first is None and not name:
            c.fail("price_list_code", _("unknown price list: give its name in a "
                                        "price_list_name column to create it"))
            return None
        currency = raw_currency or (first[2] if first else "EUR")
        if len(currency) != 3 or not currency.isalpha():
            c.fail("currency", _("a three-letter currency code such as EUR is expected"))
            return None
        if first is None:
            self.fresh += 1
            first = self.new_lists[code.upper()] = (code.upper(), name, currency)
        elif first[2] != currency:
            c.fail("currency", _("this list was given another currency above"))
        return first


class PricesWriter(Writer):
    def __init__(self, actor, now):
        self.created = self.updated = self.lists_created = 0
        self.actor = actor

    def _list_ids(self, plans: list[TierPlan]) -> list[TierPlan]:
        """Plans with the id of their list, creating the new lists once (audited)."""
        wanted = {p.new_list for p in plans if p.new_list is not None}
        if not wanted:
            return plans
        ids = dict(db.session.execute(select(PriceList.code, PriceList.id).where(
            PriceList.code.in_({code for code, _n, _c in wanted}))).all())
        for code, name, currency in sorted(wanted):
            if code not in ids:
                made = PriceList(code=code, name=name, currency=currency, is_base=False)
                db.session.add(made)
                db.session.flush()
                record(self.actor, "price_list.create", made,
                       {"code": code, "currency": currency, "by": "csv_import"})
                ids[code] = made.id
                self.lists_created += 1
        return [replace(p, price_list_id=ids[p.new_list[0]]) if p.new_list else p
                for p in plans]

    def write(self, plans: list[TierPlan]) -> None:
        plans = self._list_ids(plans)
        keys = {(p.price_list_id, p.product_id, p.min_qty) for p in plans}
        existing = {}
        if keys:
            found = db.session.execute(
                select(PriceTier.id, PriceTier.price_list_id, PriceTier.product_id,
                       PriceTier.min_qty)
                .where(PriceTier.product_id.in_({k[1] for k in keys}))
            )
            existing = {(r.price_list_id, r.product_id, r.min_qty): r.id for r in found}
        inserts, updates = [], []
        for p in plans:
            tier_id = existing.get((p.price_list_id, p.product_id, p.min_qty))
            if tier_id is None:
                inserts.append({"price_list_id": p.price_list_id, "product_id": p.product_id,
                                "min_qty": p.min_qty, "unit_price_cents": p.unit_price_cents})
            else:
                updates.append({"id": tier_id, "unit_price_cents": p.unit_price_cents})
        if inserts:
            db.session.execute(insert(PriceTier), inserts)
        if updates:
            db.session.execute(update(PriceTier), updates)
        self.created += len(inserts)
        self.updated += len(updates)

    def finish(self) -> dict:
        done = {"created": self.created, "updated": self.updated}
        if self.lists_created:
            done["lists_created"] = self.lists_created
        return done


@dataclass(frozen=True)
class StockPlan:
    product_id: int
    warehouse_id: int
    quantity: int


class StockChecker(Checker):
    key_columns = ("sku", "warehouse_code")

    def __init__(self):
        super().__init__()
        self.seen: dict[tuple, int] = {}
        self.warehouses = {code.upper(): wid for wid, code in
                           db.session.execute(select(Warehouse.id, Warehouse.code))}

    @staticmethod
    def _key(row: Row) -> tuple:
        return (row.cells.get("sku", "").upper(), row.cells.get("warehouse_code", "").upper())

    def remember(self, row: Row) -> None:
        self.seen.setdefault(self._key(row), row.line)

    def check(self, chunk: list[Row]):
        products = _product_ids(chunk)
        errors, plans, counts = [], [], Counter()
        for row in chunk:
            c = RowCheck(row)
            sku = c.need("sku", cells.sku)
            code = c.need("warehouse_code", cells.code, 12)
            quantity = c.need("quantity", cells.integer, 0, MAX_STOCK)
            warehouse_id = self.warehouses.get(code.upper()) if code else None
            if code and warehouse_id is None:
                c.fail("warehouse_code", _("unknown warehouse"))
            if sku and sku not in products:
                c.fail("sku", _("unknown SKU"))
            if self._key(row) in self.seen:
                c.fail("warehouse_code", also_on(self.seen[self._key(row)]))
            self.remember(row)
            errors.extend(c.errors)
            if c.ok:
                plans.append(StockPlan(products[sku], warehouse_id, quantity))
                counts["rows"] += 1
        return errors, plans, counts


class StockWriter(Writer):
    def __init__(self, actor, now):
        self.created = self.updated = 0

    def write(self, plans: list[StockPlan]) -> None:
        keys = [(p.product_id, p.warehouse_id) for p in plans]
        existing = set()
        if keys:
            existing = {(r[0], r[1]) for r in db.session.execute(
                select(Stock.product_id, Stock.warehouse_id)
                .where(tuple_(Stock.product_id, Stock.warehouse_id).in_(keys)))}
        inserts = [{"product_id": p.product_id, "warehouse_id": p.warehouse_id,
                    "quantity": p.quantity} for p in plans
                   if (p.product_id, p.warehouse_id) not in existing]
        updates = [{"product_id": p.product_id, "warehouse_id": p.warehouse_id,
                    "quantity": p.quantity} for p in plans
                   if (p.product_id, p.warehouse_id) in existing]
        if inserts:
            db.session.execute(insert(Stock), inserts)
        if updates:
            db.session.execute(update(Stock), updates)
        self.created += len(inserts)
        self.updated += len(updates)

    def finish(self) -> dict:
        return {"created": self.created, "updated": self.updated}
