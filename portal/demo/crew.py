"""The demo's employee store: "Équipe Durand" (host equipe-durand.localhost), where Durand
Bâtiment's site crew orders its own workwear and protective equipment.

Three crew members of the Lyon agency sign in there only (not on the trade portal), each
with a yearly allowance; they see only the "EPI / Sécurité" categories the company chose for
its crew. An order beyond what is left of an allowance waits for Sophie Durand
(manager@demo.test), the approver of their unit. Nothing here is drawn at random, so the
rest of the demo draws exactly as before.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Category,
    Company,
    Role,
    Storefront,
    StorefrontKind,
    Unit,
    User,
    VisibilityRule,
)
from portal.models.storefronts import CrewStore

HOST = "equipe-durand.localhost"
ASSORTMENT = ("epi",)  # top categories (their sub-categories follow)
CREW = (
    # Kévin's allowance is mostly used by the boots he is about to order: the parka after
    # them goes to approval (the scenario the README tells).
    ("kevin.martin@durand-batiment.demo.test", "Kévin Martin", 9_000, "06 61 20 33 41"),
    ("sarah.lefebvre@durand-batiment.demo.test", "Sarah Lefebvre", 25_000, "06 61 20 33 42"),
    ("thomas.girard@durand-batiment.demo.test", "Thomas Girard", 25_000, "06 61 20 33 43"),
)


def seed_crew(password_hash: str) -> dict[str, int]:
    """The storefront, its crew (allowance, unit, last jobsite) and the crew's assortment."""
    front = Storefront(code="equipe-durand", kind=StorefrontKind.EMPLOYEE, name="Équipe Durand",
                       hosts=HOST, language="fr", country="FR", currency="EUR",
                       prices_with_vat=False, brand_colour="#8a4b08", active=True)
    db.session.add(front)
    db.session.flush()
    company = db.session.scalar(select(Company).where(Company.name == "Durand Bâtiment"))
    # The seller opened the store for the company: its admin manages the crew there.
    db.session.add(CrewStore(company_id=company.id, storefront_id=front.id))
    units = {u.name: u for u in db.session.scalars(
        select(Unit).where(Unit.company_id == company.id))}
    agency, site = units["Agence Lyon"], units["Chantier Confluence"]
    for email, name, allowance, phone in CREW:
        db.session.add(User(email=email, name=name, company_id=company.id, role=Role.BUYER,
                            storefront_id=front.id, unit_id=agency.id,
                            yearly_allowance_cents=allowance, language="fr", phone=phone,
                            password_hash=password_hash, last_jobsite_id=site.id))
    for slug in ASSORTMENT:
        category_id = db.session.scalar(select(Category.id).where(Category.slug == slug))
        db.session.add(VisibilityRule(company_id=company.id, storefront_id=front.id,
                                      category_id=category_id))
    db.session.flush()
    return {"crew": len(CREW)}
