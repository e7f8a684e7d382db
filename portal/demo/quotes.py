"""The demo's quotes: Julien Moreau (buyer@demo.test) has one request waiting for his rep,
Thomas (rep@demo.test), and one quote Thomas answered (8 % off, valid 30 days), both made
through the quotes service like real ones, without their e-mails."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.demo import without_emails
from portal.extensions import db
from portal.models import Product, User
from portal.services import ordering, quotes, selling

BUYER_EMAIL = "buyer@demo.test"
REP_EMAIL = "rep@demo.test"
# Plasterboard, cement, gloves: what a site orders by the pallet.
WANTED = ("PLQ-BA13", "CIM-", "GAN-NIT")


def _products(buyer: User) -> list[tuple[Product, int]]:
    found = []
    for prefix in WANTED:
        product = db.session.scalar(
            selling.visible_products(buyer).where(Product.sku.like(f"{prefix}%"),
                                                  Product.discontinued.is_(False))
            .order_by(Product.sku).limit(1))
        offer = selling.offers_for(buyer).get(product) if product is not None else None
        if offer is not None and offer.orderable:
            found.append((product, offer.rule.default() * 10))
    return found


def seed_quotes(now: datetime) -> int:
    buyer = db.session.scalar(select(User).where(User.email == BUYER_EMAIL))
    rep = db.session.scalar(select(User).where(User.email == REP_EMAIL))
    if buyer is None or rep is None:
        return 0
    lines = _products(buyer)
    if len(lines) < 2:
        return 0
    with without_emails():  # seeded like the history: nobody is e-mailed about it
        jobsite = next((p.key for p in ordering.delivery_places(buyer) if p.jobsite_id), "")
        answered = quotes.ask_for(
            buyer, [quotes.Wanted(p.id, str(q)) for p, q in lines[:2]],
            quotes.RequestDetails(note="Cloisons du 2e étage, livraison en deux fois."),
            now - timedelta(days=3))
        version = quotes.facts(answered, now).version
        quotes.send_version(rep, answered, quotes.Answer(
            {line.id: quotes.LineAnswer(discount="8") for line in version.lines},
            (now + timedelta(days=30)).date().isoformat(), "Livré sur chantier sous 5 jours ouvrés",
            "Remise de 8 % sur le lot ; prix fermes 30 jours."), now - timedelta(days=2))
        quotes.ask_for(
            buyer, [quotes.Wanted(p.id, str(q), "" if n else "9,90") for n, (p, q)
                    in enumerate(lines)],
            quotes.RequestDetails(needed_by=(now + timedelta(days=10)).date().isoformat(),
                                  jobsite=jobsite, note="Gros œuvre du bâtiment B."), now)
    db.session.flush()
    return 2

