"""Storefronts at 360 × 640 (issue 22): a staff admin opens a public-sector storefront on its
own host name; its header shows its name and colour, and a trade buyer cannot sign in there.
(The demo's consumer storefront, Direct Chantier, has e2e/test_guest_checkout.py.)"""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.test_approvals import snap

STAFF = "staff@demo.test"
TRADE_BUYER = "buyer@demo.test"


def test_a_new_storefront_answers_its_own_host_and_keeps_trade_accounts_out(browser,
                                                                              live_server):
    port = urlsplit(live_server).port
    shop = f"http://achats-rhone.localhost:{port}"  # Chromium sends *.localhost here
    staff = browser.new_context(viewport={"width": 360, "height": 640}, locale="fr-FR",
                                device_scale_factor=2, is_mobile=True, has_touch=True)
    page = staff.new_page()
    try:
        sign_in(page, live_server, STAFF)
        page.goto(live_server + "/staff/")
        page.get_by_role("link", name="Boutiques").click()
        expect(page.get_by_role("heading", level=1, name="Boutiques")).to_be_visible()
        page.get_by_role("link", name="Nouvelle boutique").click()
        page.get_by_label("Code").fill("achats-rhone")
        page.get_by_label("Type").select_option("public")
        page.get_by_label("Nom affiché dans l'en-tête").fill("Achats publics Rhône")
        page.get_by_label("Noms d'hôte", exact=True).fill("achats-rhone.localhost")
        colour = page.get_by_label("Couleur de l'en-tête (#rrvvbb)")
        colour.fill("#ffe680")  # too light for white text: refused, nothing saved
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text("se lit mal")).to_be_visible()
        hosts = page.get_by_label("Noms d'hôte", exact=True)
        expect(hosts).to_have_value("achats-rhone.localhost")
        snap(page, "storefront-refused-colour")
        colour.fill("#7a1f1f")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text("Boutique Achats publics Rhône enregistrée.")).to_be_visible()
        expect(page.get_by_role("listitem").filter(has_text="Achats publics Rhône")
               ).to_contain_text("achats-rhone.localhost")
        snap(page, "storefronts-list")
    finally:
        staff.close()

    visitor = browser.new_context(viewport={"width": 360, "height": 640}, locale="fr-FR",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = visitor.new_page()
    try:
        page.goto(shop + "/login")
        header = page.get_by_role("banner")
        expect(header).to_contain_text("Achats publics Rhône")
        expect(header).not_to_contain_text("Pro Fournitures")
        expect(header).to_have_css("background-color", "rgb(122, 31, 31)")
        page.get_by_label("E-mail").fill(TRADE_BUYER)
        page.get_by_label("Mot de passe").fill("demo-password")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_text("E-mail ou mot de passe incorrect.")).to_be_visible()
        expect(page).to_have_url(re.compile(r"/login"))
        snap(page, "storefront-public-login")
    finally:
        visitor.close()
