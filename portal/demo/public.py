"""The demo's public-sector storefront: "Achats publics" (host collectivites.localhost), where
the school canteen of Villeurbanne orders under its framework contract ("marché public").

The canteen's buyer signs in there only; during the contract (from 90 days before the demo's
today to 275 days after it, computed from the seeding moment) she sees and orders exactly the
contract's kitchen, hygiene and tableware products at its fixed prices (the general list's
less 12 %), each order with her legal commitment number and service code, against a ceiling
of 20 000 EUR excl. VAT. Nothing is drawn at random, so the rest of the demo draws as before.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Address,
    Category,
    Company,
    CompanyStatus,
    FrameworkContract,
    FrameworkContractLine,
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

HOST = "collectivites.localhost"
BUYER = "n.benali@cantine-villeurbanne.demo.test"
SOLD = ("cuisine", "hygiene", "arts-table")  # top categories the contract draws from
PER_CATEGORY = 4  # products per leaf category, the first by SKU
CONTRACT_BP = 8800  # contract price = general list's smallest-quantity price - 12 %
CEILING_CENTS = 2_000_000


def seed_public(now: datetime, password_hash: str, siret: str) -> dict[str, int]:
    """The storefront, the canteen (its kitchen as delivery place, its buyer) and its
    framework contract running over the demo's today."""
    front = Storefront(code="collectivites", kind=StorefrontKind.PUBLIC, name="Achats publics",
                       hosts=HOST, language="fr", country="FR", currency="EUR",
                       prices_with_vat=False, brand_colour="#1d4f7c", active=True)
    db.session.add(front)
    db.session.flush()
    canteen = Company(name="Cantine scolaire de Villeurbanne", legal_id=siret,
                      trade="restauration", status=CompanyStatus.ACTIVE, currency="EUR",
                      language="fr", payment_terms=PaymentTerms.NET30, po_required=True,
                      phone="04 78 03 67 00", storefront_id=front.id)
    db.session.add(canteen)
    db.session.flush()
    db.session.add(Address(company_id=canteen.id, label="Mairie de Villeurbanne",
                           line1="Place Lazare-Goujon", line2="", postal_code="69100",
                           city="Villeurbanne", country="FR", is_billing=True))
    kitchen_address = Address(company_id=canteen.id, label="Cuisine centrale",
                              line1="12 rue Francis-de-Pressensé", line2="Quai côté cour",
                              postal_code="69100", city="Villeurbanne", country="FR")
    db.session.add(kitchen_address)
    db.session.flush()
    kitchen = Unit(company_id=canteen.id, kind=UnitKind.JOBSITE, name="Cuisine centrale",
                   address_id=kitchen_address.id, project_code="RS-CC",
                   site_contact_name="Karim Haddad", site_contact_phone="06 72 18 44 10",
                   delivery_window="6 h 30 – 9 h", delivery_notes="Quai de livraison côté cour",
                   archived=False)
    db.session.add(kitchen)
    db.session.flush()
    db.session.add(User(email=BUYER, name="Nadia Benali", company_id=canteen.id,
                        role=Role.BUYER, language="fr", phone="04 78 03 67 12",
                        password_hash=password_hash, last_jobsite_id=kitchen.id))
    today = now.astimezone(ZoneInfo("Europe/Paris")).date()
    contract = FrameworkContract(
        company_id=canteen.id, storefront_id=front.id, reference="2026-RS-014",
        title="Fournitures de cuisine, d'hygiène et d'arts de la table – restauration scolaire",
        starts_on=today - timedelta(days=90), ends_on=today + timedelta(days=275),
        ceiling_cents=CEILING_CENTS)
    db.session.add(contract)
    db.session.flush()
    lines = _contract_lines()
    for product_id, cents in lines:
        db.session.add(FrameworkContractLine(contract_id=contract.id, product_id=product_id,
                                             unit_price_cents=(cents * CONTRACT_BP + 5000)
                                             // 10000))
    db.session.flush()
    return {"framework contract lines": len(lines)}


def _contract_lines() -> list[tuple[int, int]]:
    """(product id, the general list's smallest-quantity unit price): the first products by
    SKU of each leaf category sold, current and priced."""
    tops = set(db.session.scalars(select(Category.id).where(Category.slug.in_(SOLD))))
    leaves = list(db.session.scalars(select(Category.id).where(Category.parent_id.in_(tops))
                                     .order_by(Category.id)))
    base_id = db.session.scalar(select(PriceList.id).where(PriceList.is_base.is_(True)))
    smallest = (select(PriceTier.product_id, func.min(PriceTier.min_qty).label("min_qty"))
                .where(PriceTier.price_list_id == base_id).group_by(PriceTier.product_id)
                .subquery())
    out = []
    for leaf in leaves:
        rows = db.session.execute(
            select(Product.id, PriceTier.unit_price_cents)
            .join(smallest, smallest.c.product_id == Product.id)
            .join(PriceTier, (PriceTier.product_id == Product.id)
                  & (PriceTier.price_list_id == base_id)
                  & (PriceTier.min_qty == smallest.c.min_qty))
            .where(Product.category_id == leaf, Product.active.is_(True),
                   Product.discontinued.is_(False), Product.order_multiple == 1)
            .order_by(Product.sku).limit(PER_CATEGORY)).all()
        out.extend((pid, cents) for pid, cents in rows)
    return out
