"""The demo's storefront in another country and currency: "Pro Fournitures Suisse" (host
suisse.localhost), a trade portal in Swiss francs, in French, at Swiss VAT (8.1 %, 3.8 %,
2.6 %), with its own legal mentions.

Its price list "CH-CHF" prices a few dozen products (the first three by SKU of each leaf
category of structural work, hardware, tools and safety gear) in CHF: the general list's
prices + 8 %, rounded to 5 centimes as Swiss prices are, tier for tier (no exchange rate is
ever applied). Léman Construction SA in Geneva buys there on net 30 through that list; its
buyer Luca Rochat signs in on that host only. Nothing is drawn at random, so the rest of the
demo draws exactly as before.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Address,
    Category,
    Company,
    CompanyStatus,
    PaymentTerms,
    PriceList,
    PriceTier,
    Product,
    Role,
    Storefront,
    StorefrontKind,
    Unit,
    UnitKind,
    User,
)

HOST = "suisse.localhost"
BUYER = "luca.rochat@leman-construction.demo.test"
SOLD = ("gros-oeuvre", "quincaillerie", "outillage", "epi")
PER_CATEGORY = 3
MARKUP_BP = 10800  # CHF price = the general list's EUR figure + 8 %, to 5 centimes
LEGAL = ("Pro Fournitures Suisse Sàrl · Rue de Lausanne 42, 1201 Genève · IDE CHE-109.322.551 "
         "TVA · Registre du commerce du canton de Genève")


def seed_suisse(password_hash: str) -> dict[str, int]:
    """The storefront, its CHF list, and a Geneva contractor with its buyer and jobsite."""
    chf = PriceList(code="CH-CHF", name="Prix Suisse (CHF)", currency="CHF", is_base=False)
    db.session.add(chf)
    db.session.flush()
    tiers = _francs(chf.id)
    front = Storefront(code="suisse", kind=StorefrontKind.TRADE, name="Pro Fournitures Suisse",
                       hosts=HOST, language="fr", country="CH", currency="CHF",
                       prices_with_vat=False, brand_colour="#a3141d", active=True,
                       legal_mentions=LEGAL)
    db.session.add(front)
    db.session.flush()
    company = Company(name="Léman Construction SA", legal_id="CHE-286.514.903", country="CH",
                      trade="Gros œuvre", status=CompanyStatus.ACTIVE, currency="CHF",
                      language="fr", payment_terms=PaymentTerms.NET30,
                      credit_limit_cents=3_000_000, phone="+41 22 318 44 10",
                      price_list_id=chf.id, storefront_id=front.id)
    db.session.add(company)
    db.session.flush()
    db.session.add(Address(company_id=company.id, label="Siège", line1="Rue du Rhône 14",
                           line2="", postal_code="1204", city="Genève", country="CH",
                           is_billing=True))
    site_address = Address(company_id=company.id, label="Chantier Carouge",
                           line1="Route de Drize 7", line2="Accès par la rue Jacques-Grosselin",
                           postal_code="1227", city="Carouge", country="CH")
    db.session.add(site_address)
    db.session.flush()
    site = Unit(company_id=company.id, kind=UnitKind.JOBSITE, name="Chantier Carouge",
                address_id=site_address.id, project_code="LC-CAR",
                site_contact_name="Marco Bianchi", site_contact_phone="+41 79 412 33 08",
                delivery_window="7 h – 10 h", archived=False)
    db.session.add(site)
    db.session.flush()
    db.session.add(User(email=BUYER, name="Luca Rochat", company_id=company.id,
                        role=Role.BUYER, language="fr", phone="+41 79 455 21 60",
                        password_hash=password_hash, last_jobsite_id=site.id))
    db.session.flush()
    return {"CHF price tiers": tiers}


def _francs(list_id: int) -> int:
    """The CHF tiers of the first products of each leaf category sold: the general list's
    figures + 8 %, rounded to 5 centimes."""
    base_id = db.session.scalar(select(PriceList.id).where(PriceList.is_base.is_(True)))
    tops = set(db.session.scalars(select(Category.id).where(Category.slug.in_(SOLD))))
    leaves = list(db.session.scalars(select(Category.id).where(Category.parent_id.in_(tops))
                                     .order_by(Category.id)))
    priced = select(PriceTier.product_id).where(PriceTier.price_list_id == base_id)
    count = 0
    for leaf in leaves:
        products = list(db.session.scalars(
            select(Product.id).where(Product.category_id == leaf, Product.active.is_(True),
                                     Product.discontinued.is_(False), Product.id.in_(priced))
            .order_by(Product.sku).limit(PER_CATEGORY)))
        for product_id, min_qty, cents in db.session.execute(
                select(PriceTier.product_id, PriceTier.min_qty, PriceTier.unit_price_cents)
                .where(PriceTier.price_list_id == base_id,
                       PriceTier.product_id.in_(products))):
            francs = (cents * MARKUP_BP + 5000) // 10000
            db.session.add(PriceTier(price_list_id=list_id, product_id=product_id,
                                     min_qty=min_qty,
                                     unit_price_cents=max(5, (francs + 2) // 5 * 5)))
            count += 1
    return count
