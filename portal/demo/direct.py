"""The demo's consumer storefront: "Direct Chantier" (host direct.localhost), where anyone
buys protective equipment, tools and hardware without an account, at public prices shown with
VAT, has it delivered or collects it at the Lyon or Marseille counter (click-and-collect), and
pays by bank transfer or at collection (README "Storefronts").

Its price list "PUBLIC" prices those categories at the general list's prices plus 30 %, tier
for tier (the same selling units and case quantities). Nothing is drawn at random, so the
rest of the demo draws exactly as before.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.demo import logos
from portal.extensions import db
from portal.models import (
    Category,
    PriceList,
    PriceTier,
    Product,
    Storefront,
    StorefrontKind,
    Warehouse,
)

HOST = "direct.localhost"
SOLD = ("epi", "outillage", "quincaillerie")  # top categories (their sub-categories follow)
MARKUP_BP = 13000  # public price = general list's unit price + 30 %
COLLECTION_POINTS = {
    "LYO": "lun.-ven. 7 h-12 h et 13 h 30-17 h 30, sam. 8 h-12 h",
    "MAR": "lun.-ven. 7 h 30-12 h et 13 h 30-17 h",
}


def seed_direct() -> dict[str, int]:
    public = PriceList(code="PUBLIC", name="Prix publics (Direct Chantier)", currency="EUR",
                       is_base=False)
    db.session.add(public)
    db.session.flush()
    base_id = db.session.scalar(select(PriceList.id).where(PriceList.is_base.is_(True)))
    tops = set(db.session.scalars(select(Category.id).where(Category.slug.in_(SOLD))))
    leaves = set(db.session.scalars(select(Category.id).where(Category.parent_id.in_(tops))))
    rows = db.session.execute(
        select(PriceTier.product_id, PriceTier.min_qty, PriceTier.unit_price_cents)
        .join(Product, Product.id == PriceTier.product_id)
        .where(PriceTier.price_list_id == base_id,
               Product.category_id.in_(tops | leaves), Product.active.is_(True),
               Product.discontinued.is_(False))).all()
    for product_id, min_qty, cents in rows:
        db.session.add(PriceTier(price_list_id=public.id, product_id=product_id,
                                 min_qty=min_qty,
                                 unit_price_cents=(cents * MARKUP_BP + 5000) // 10000))
    front = Storefront(code="direct", kind=StorefrontKind.CONSUMER,
                       name="Direct Chantier", hosts=HOST, language="fr", country="FR",
                       currency="EUR", prices_with_vat=True, brand_colour="#7a1f1f",
                       price_list_id=public.id, active=True)
    db.session.add(front)
    logos.give_logo(front)  # drawn here (portal/demo/logos.py), stored as a seller's would be
    # Click-and-collect: consumers may collect at the Lyon and Marseille platforms' counters.
    for warehouse in db.session.scalars(select(Warehouse).where(
            Warehouse.code.in_(COLLECTION_POINTS))):
        warehouse.collection_point = True
        warehouse.opening_hours = COLLECTION_POINTS[warehouse.code]
    db.session.flush()
    return {"public price tiers": len(rows), "collection points": len(COLLECTION_POINTS)}
