"""Demo delivery promise: each warehouse's cut-off, the warehouse serving each customer, and
substitutes for what is out of stock, so a newcomer sees dated lines, the countdown and a
substitute offered in the cart (e.g. GAN-NIT-M-PRO, out everywhere: GAN-NIT-M-SEC instead).

Cut-offs: Lyon 14:00, Paris 15:00, Marseille 12:00, Monday to Friday, public holidays closed.
Customers are served by the warehouse of their city's region (Lyon by default). Substitutes:
for every current product out of stock everywhere, up to two in the same category, sold in the
same unit and case, that are in stock (same family of SKU first).

Delivery zones: Élec Services Provence's jobsite "Villa Aubagne" is in its warehouse's farther
zone "Arrière-pays" (one more day on the road, trucks on Tuesdays and Thursdays, cut-off
11:00), so the cart and the countdown show a later date there than at its Marseille jobsite.

Open orders of the history (submitted, confirmed, partially shipped) hold what they have left
to ship at the warehouse serving their customer, as an order placed in the portal would: the
goods are in (on hand is raised where the generated levels fall short), so the warehouse can
ship a demo order the way it ships a new one. Products out of stock everywhere stay out (they
show the substitutes).
"""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Company,
    DeliveryZone,
    Order,
    OrderStatus,
    Product,
    ProductSubstitute,
    Stock,
    StockReservation,
    Unit,
    Warehouse,
)

OPEN = (OrderStatus.SUBMITTED, OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_SHIPPED)

CUTOFFS = {"LYO": 14 * 60, "PAR": 15 * 60, "MAR": 12 * 60}
SERVED_BY = {"Marseille": "MAR", "Paris": "PAR"}  # words in the company's name; else LYO
# (company, jobsite) in a farther zone of the company's warehouse.
ZONED = ("Élec Services Provence", "Villa Aubagne")


def seed_delivery() -> dict[str, int]:
    warehouses = {w.code: w for w in db.session.scalars(select(Warehouse))}
    for code, minutes in CUTOFFS.items():
        if code in warehouses:
            warehouses[code].cutoff_minutes = minutes
    for company in db.session.scalars(select(Company)):
        code = next((c for word, c in SERVED_BY.items() if word in company.name), "LYO")
        company.warehouse_id = warehouses[code].id if code in warehouses else None
    _farther_zone()
    totals = dict(db.session.execute(select(Stock.product_id, func.sum(Stock.quantity))
                                     .group_by(Stock.product_id)).all())
    products = list(db.session.scalars(select(Product).where(Product.discontinued.is_(False))
                                       .order_by(Product.sku)))
    by_category: dict[int, list[Product]] = {}
    for p in products:
        by_category.setdefault(p.category_id, []).append(p)
    made = 0
    for p in products:
        if totals.get(p.id, 0) > 0:
            continue
        family = p.sku.rsplit("-", 1)[0]
        candidates = [c for c in by_category[p.category_id]
                      if c.id != p.id and totals.get(c.id, 0) > 0 and c.uom == p.uom
                      and c.case_pack == p.case_pack]
        candidates.sort(key=lambda c: (not c.sku.startswith(family + "-"), c.sku))
        for position, sub in enumerate(candidates[:2]):
            db.session.add(ProductSubstitute(product_id=p.id, substitute_id=sub.id,
                                             position=position))
            made += 1
    db.session.flush()
    return {"substitutes": made, "reservations": _hold_open_orders(totals)}


def _farther_zone() -> None:
    company_name, site_name = ZONED
    site = db.session.scalar(select(Unit).join(Company, Company.id == Unit.company_id)
                             .where(Company.name == company_name, Unit.name == site_name))
    if site is None or site.company.warehouse_id is None:
        return
    zone = DeliveryZone(warehouse_id=site.company.warehouse_id, name="Arrière-pays",
                        transit_days=1, cutoff_minutes=11 * 60, delivery_days="24")
    db.session.add(zone)
    db.session.flush()
    site.zone_id = zone.id


def _hold_open_orders(totals: dict[int, int]) -> int:
    rows = {(s.product_id, s.warehouse_id): s for s in db.session.scalars(select(Stock))}
    made = 0
    for order in db.session.scalars(select(Order).where(Order.status.in_(OPEN))
                                    .order_by(Order.id)):
        wid = order.company.warehouse_id
        if wid is None:
            continue
        for line in order.lines:
            left = line.quantity - line.shipped_qty
            if left <= 0:
                continue
            if totals.get(line.product_id, 0) <= 0:
                continue
            row = rows.get((line.product_id, wid))
            if row is None:
                row = rows[(line.product_id, wid)] = Stock(
                    product_id=line.product_id, warehouse_id=wid, quantity=0, reserved=0)
                db.session.add(row)
            row.quantity = max(row.quantity, row.reserved + left)
            row.reserved += left
            db.session.add(StockReservation(order_line_id=line.id, product_id=line.product_id,
                                            warehouse_id=wid, quantity=left))
            made += 1
    db.session.flush()
    return made
