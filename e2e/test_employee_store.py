"""The employee store at 360 × 640 (issue 22): a crew member of Durand Bâtiment, on the
crew's own host, orders safety boots within their yearly allowance, then a parka beyond what
is left of it: told before placing it, the order waits for Sophie Durand's approval. The
trade portal refuses their sign-in; the company admin sees what they spent."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import (
    demo_db,  # noqa: F401  (fixture)
    new_phone_page,
)
from e2e.test_approvals import fill_cart_by_paste, place_to_jobsite, snap

KEVIN = "kevin.martin@durand-batiment.demo.test"
ALLOWANCE = 90.0  # portal/demo/crew.py


def _sku(db, name: str) -> str:
    row = db.execute("SELECT sku FROM products WHERE name_fr = ?", (name,)).fetchone()
    assert row is not None, name
    return row["sku"]


def test_a_crew_member_orders_boots_within_the_allowance_and_a_parka_beyond_it_waits(
        browser, live_server, demo_db):  # noqa: F811
    crew = f"http://equipe-durand.localhost:{urlsplit(live_server).port}"
    boots = _sku(demo_db, "Chaussures de sécurité montantes S3, pointure 42")
    parka = _sku(demo_db, "Parka haute visibilité, taille L")
    context, page = new_phone_page(browser, None, live_server)
    try:
        # The trade portal does not know the crew member.
        page.goto(live_server + "/login")
        page.get_by_label("E-mail").fill(KEVIN)
        page.get_by_label("Mot de passe").fill("demo-password")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_text("E-mail ou mot de passe incorrect.")).to_be_visible()

        sign_in(page, crew, KEVIN)
        expect(page.get_by_role("banner")).to_contain_text("Équipe Durand")
        total = fill_cart_by_paste(page, crew, f"{boots} 1")
        assert total < ALLOWANCE, total
        expect(page.get_by_role("list", name="Validation")).to_have_count(0)
        place_to_jobsite(page, "Chantier Confluence", "BC-EQUIPE-1")
        expect(page.get_by_role("main")).not_to_contain_text("En attente de validation")

        fill_cart_by_paste(page, crew, f"{parka} 1")
        needs = page.get_by_role("list", name="Validation")
        expect(needs).to_contain_text("Sophie Durand")
        expect(needs).to_contain_text(re.compile(
            r"dépasse votre allocation annuelle de 90\s€ \(\d+,\d\d\s€ déjà dépensés\)"))
        snap(page, "employee-store-cart-over-allowance")
        number = place_to_jobsite(page, "Chantier Confluence", "BC-EQUIPE-1")
        expect(page.get_by_role("main")).to_contain_text("En attente de validation")
        snap(page, "employee-store-order-waiting")
    finally:
        context.close()

    context, page = new_phone_page(browser, "admin@demo.test", live_server)
    try:
        page.goto(live_server + "/company/")
        page.get_by_role("link", name="Dépenses de l'équipe").click()
        row = page.get_by_role("listitem").filter(has_text="Kévin Martin")
        expect(row).to_contain_text("Allocation annuelle")
        expect(row).to_contain_text("Au-delà de l'allocation")
        snap(page, "employee-store-crew-spending")
        row.get_by_role("link", name="Kévin Martin").click()
        expect(page.get_by_role("main")).to_contain_text(number)
    finally:
        context.close()
