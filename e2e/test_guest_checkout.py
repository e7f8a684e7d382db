"""A consumer on the demo's consumer storefront at 360 × 640 (issue 22): buys gloves without
an account, at the public price with VAT, gives a name, an e-mail and an address, and is told
what to transfer; the trade portal's prices never show there."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from e2e.conftest import PHONE
from e2e.test_approvals import snap

GLOVES = "GAN-NIT-M-SEC"


def test_a_consumer_buys_gloves_without_an_account_and_pays_by_transfer(browser, live_server):
    port = urlsplit(live_server).port
    shop = f"http://direct.localhost:{port}"  # Chromium sends *.localhost to this machine
    context = browser.new_context(**PHONE, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(shop + "/catalog/search?q=" + GLOVES)
        expect(page.get_by_role("banner")).to_contain_text("Direct Chantier")
        page.get_by_role("link", name=re.compile("Gants")).first.click()
        buy = page.get_by_role("region", name="Prix et commande")
        expect(buy).to_contain_text("TTC")
        snap(page, "direct-product")
        buy.get_by_role("button", name=re.compile(r"^Ajouter au panier — ")).click()
        expect(page.get_by_text(re.compile(r"^Ajouté au panier"))).to_be_visible()
        page.goto(shop + "/cart/")
        expect(page.get_by_role("main")).to_contain_text("TTC")
        snap(page, "direct-cart")
        page.get_by_role("link", name="Valider la commande").click()
        # No account: a name, an e-mail and where to deliver.
        expect(page.get_by_role("heading", level=1, name="Vos coordonnées")).to_be_visible()
        page.get_by_label("Prénom et nom").fill("Claire Martin")
        page.get_by_label("E-mail").fill("claire")
        page.get_by_label("Numéro et rue").fill("12 rue des Lilas")
        page.get_by_label("Code postal").fill("69003")
        page.get_by_label("Ville").fill("Lyon")
        page.get_by_role("button", name="Continuer vers la commande").click()
        expect(page.get_by_text("Donnez une adresse e-mail comme")).to_be_visible()
        expect(page.get_by_label("Numéro et rue")).to_have_value("12 rue des Lilas")
        page.get_by_label("E-mail").fill("claire.martin@example.fr")
        page.get_by_role("button", name="Continuer vers la commande").click()
        page.get_by_role("button", name="Passer la commande").click()
        proforma = page.get_by_role("region", name="Proforma : payer par virement")
        expect(proforma).to_contain_text("IBAN")
        expect(proforma).to_contain_text("€")
        proforma.scroll_into_view_if_needed()
        snap(page, "direct-transfer")
    finally:
        context.close()
