"""The demo's proof of delivery and claim: Julien Moreau's (buyer@demo.test) last order to
Chantier Confluence, delivered, has each shipment's proof (received by the jobsite's contact,
Karim Benali, with a photo of the drop) and one open claim: a damaged line, with a photo. So
staff find /staff/claims with work to do and the buyer sees the proof and the claim on the
order. Both go through the services a real delivery and report go through (the photos are
stored as `delivery-proof` files), without their e-mails.

The photos are drawn here with Pillow from their own generator, so the rest of the demo draws
exactly as before.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select

from portal.demo import without_emails
from portal.extensions import db
from portal.models import Order, OrderEvent, OrderStatus, User
from portal.services import claims
from portal.services.fulfilment import Photo, record_delivery

BUYER_EMAIL = "buyer@demo.test"
WAREHOUSE_EMAIL = "warehouse@demo.test"
RECEIVER = "Karim Benali"
# What a forklift damages first, and its colour in the photo (else the order's first line).
FRAGILE = {"PLQ-": (236, 236, 230), "BLK-": (170, 170, 166), "CIM-": (196, 196, 188),
           "MOR-": (214, 200, 170)}
ANY_COLOUR = (214, 196, 150)
SEED = 2127


def seed_claims(now: datetime) -> dict[str, int]:
    """Proof of delivery of Julien's last delivered order and one open claim on it."""
    buyer = db.session.scalar(select(User).where(User.email == BUYER_EMAIL))
    hands = db.session.scalar(select(User).where(User.email == WAREHOUSE_EMAIL))
    if buyer is None or hands is None:
        return {"delivered_shipments": 0, "claims": 0}
    order = db.session.scalars(
        select(Order).where(Order.placed_by_id == buyer.id,
                            Order.status == OrderStatus.DELIVERED)
        .order_by(Order.placed_at.desc(), Order.id.desc())).first()
    if order is None or not order.shipments:
        return {"delivered_shipments": 0, "claims": 0}
    rng = random.Random(SEED)
    delivered = _delivered_at(order, now)
    with without_emails():
        for shipment in sorted(order.shipments, key=lambda s: s.shipped_at):
            at = max(delivered, shipment.shipped_at + timedelta(minutes=1))
            record_delivery(order, shipment, hands, RECEIVER, "",
                            Photo(_drop_photo(rng), "image/jpeg"), UTC, at)
        line = _damaged_line(order)
        reported = min(delivered + timedelta(hours=2), now - timedelta(minutes=1))
        claims.report(buyer, order, line, "damaged", "1",
                      "Arrivé cassé, coin écrasé au déchargement : photo jointe.",
                      Photo(_damage_photo(rng, line.sku), "image/jpeg"), reported,
                      current_app.config["CLAIM_WINDOW_DAYS"])
    db.session.flush()
    return {"delivered_shipments": len(order.shipments), "claims": 1}


def _delivered_at(order: Order, now: datetime) -> datetime:
    """When the history says the order was delivered (its last status event)."""
    at = db.session.scalar(select(OrderEvent.at).where(
        OrderEvent.order_id == order.id, OrderEvent.status == OrderStatus.DELIVERED)
        .order_by(OrderEvent.at.desc()))
    return min(at or now - timedelta(minutes=5), now - timedelta(minutes=2))


def _damaged_line(order: Order):
    shipped = {sl.order_line_id for s in order.shipments for sl in s.lines}
    lines = [line for line in order.lines if line.id in shipped]
    return next((line for prefix in FRAGILE for line in lines if line.sku.startswith(prefix)),
                lines[0])


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _drop_photo(rng: random.Random) -> bytes:
    """Goods on a pallet in front of a blue site gate, on a grey morning."""
    image = Image.new("RGB", (960, 720), (196, 206, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 470, 960, 720), fill=(150, 146, 138))
    for x in range(40, 960, 120):  # the blue gate's bars
        draw.rectangle((x, 150, x + 18, 470), fill=(30, 80, 160))
    draw.rectangle((20, 150, 940, 172), fill=(30, 80, 160))
    dx = rng.randint(-30, 30)
    draw.rectangle((300 + dx, 560, 700 + dx, 600), fill=(170, 120, 70))  # the pallet
    for row in range(3):
        for col in range(3):
            x, y = 310 + dx + col * 130, 430 - row * 70
            draw.rounded_rectangle((x, y, x + 120, y + 130), radius=14,
                                   fill=(206, 200, 186), outline=(120, 116, 108), width=4)
    return _jpeg(image)


def _damage_photo(rng: random.Random, sku: str) -> bytes:
    """The product with a broken, crushed corner, seen from above."""
    colour = next((c for prefix, c in FRAGILE.items() if sku.startswith(prefix)), ANY_COLOUR)
    shade = tuple(c - 40 for c in colour)
    image = Image.new("RGB", (960, 720), (120, 116, 110))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 140, 840, 580), fill=colour, outline=shade, width=6)
    x, y = 840 - rng.randint(0, 30), 580 - rng.randint(0, 30)
    draw.polygon([(x - 260, y), (x, y - 200), (x, y)], fill=(120, 116, 110))
    crack = [(x - 260, y)]
    for step in range(1, 7):
        crack.append((x - 260 - step * 45, y - step * 38 + rng.randint(-18, 18)))
    draw.line(crack, fill=(90, 86, 80), width=5)
    draw.polygon([(x - 250, y - 10), (x - 10, y - 190), (x - 60, y - 120), (x - 200, y - 30)],
                 fill=shade)
    return _jpeg(image)
