"""Demo promotions: what a newcomer sees as "Promo jusqu'au ..." (15 % off a hinge for
everyone, a fitting at a promotional price for the BTP group), running from two days before
the seed for three weeks. Products outside those the e2e tests pick by price or name."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import CustomerGroup, Product, Promotion

PROMOTIONS = (("PAU-140-ZN", None, None, 1500), ("RAC-CP-16", "BTP", 290, None))


def seed_promotions(now: datetime) -> int:
    today = now.date()
    made = 0
    for sku, group_code, price, share in PROMOTIONS:
        product = db.session.scalar(select(Product).where(Product.sku == sku))
        group = db.session.scalar(select(CustomerGroup).where(CustomerGroup.code == group_code)) \
            if group_code else None
        if product is None or (group_code and group is None):
            continue
        db.session.add(Promotion(product_id=product.id,
                                 customer_group_id=group.id if group else None,
                                 unit_price_cents=price, percent_off_bp=share,
                                 starts_on=today - timedelta(days=2),
                                 ends_on=today + timedelta(days=20)))
        made += 1
    db.session.flush()
    return made
