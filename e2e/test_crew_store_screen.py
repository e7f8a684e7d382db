"""The employee store's screen at 360 × 640 (issue 22): Durand Bâtiment's company admin, on
the trade portal, invites a new crew member onto Équipe Durand with a yearly allowance (a
bad allowance first: told at its field, nobody invited) and picks the crew's categories,
"EPI / Sécurité". (The demo's company admin is Marc Durand; Sophie Durand is the approver.)"""

import re

from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import new_phone_page
from e2e.test_approvals import snap

ADMIN = "admin@demo.test"
NEW = "lea.fontaine@durand-batiment.demo.test"


def test_the_company_admin_adds_a_crew_member_and_picks_the_crews_categories(browser,
                                                                             live_server):
    context, page = new_phone_page(browser, None, live_server)
    try:
        sign_in(page, live_server, ADMIN)
        page.goto(live_server + "/company/crew")
        stores = page.get_by_role("list", name="Boutiques des salariés")
        stores.get_by_role("link", name="Équipe Durand").click()
        expect(page.get_by_role("heading", level=1, name="Équipe Durand")).to_be_visible()
        crew = page.get_by_role("list", name="Équipe", exact=True)
        expect(crew).to_contain_text("Kévin Martin")

        page.get_by_role("link", name="Inviter un membre de l'équipe").click()
        page.get_by_label("Nom").fill("Léa Fontaine")
        page.get_by_label("E-mail").fill(NEW)
        page.get_by_label("Unité").select_option(label="— Agence Lyon")
        allowance = page.get_by_label("Allocation annuelle (EUR, vide : aucune)")
        allowance.fill("-150")
        page.get_by_role("button", name="Inviter").click()
        expect(page.get_by_text("Saisissez un montant positif ou nul.")).to_be_visible()
        expect(page.get_by_label("E-mail")).to_have_value(NEW)  # the form keeps its values
        allowance.fill("150")
        snap(page, "crew-store-invite")
        page.get_by_role("button", name="Inviter").click()
        expect(page.get_by_text(re.compile(
            r"Invitation envoyée à lea\.fontaine@durand-batiment\.demo\.test"))).to_be_visible()
        member = page.get_by_role("list", name="Équipe", exact=True).get_by_role("listitem").filter(
            has_text="Léa Fontaine")
        expect(member).to_contain_text(re.compile(r"150,00\s€"))

        page.get_by_role("link", name="Choisir les catégories").click()
        safety = page.get_by_role("checkbox", name="EPI / Sécurité")
        tools = page.get_by_role("checkbox", name="Outillage")
        safety.uncheck()
        tools.uncheck()
        safety.check()
        snap(page, "crew-store-categories")
        page.get_by_role("button", name="Enregistrer les catégories").click()
        expect(page.get_by_text("Les catégories de l'équipe sur Équipe Durand sont "
                                "enregistrées.")).to_be_visible()
        sees = page.get_by_role("list", name="Ce que voit l'équipe")
        expect(sees).to_have_text(re.compile(r"^\s*EPI / Sécurité\s*$"))
        snap(page, "crew-store-page")
    finally:
        context.close()
