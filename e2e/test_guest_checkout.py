"""A consumer on the demo's consumer storefront at 360 × 640 (issue 22): buys gloves without
an account, at the public price with VAT, gives a name, an e-mail and an address, and is told
what to transfer; the trade portal's prices never show there. Another collects the gloves at
a branch and pays there: no address, no transfer, the branch and its hours on the order."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from e2e.conftest import PHONE
from e2e.test_approvals import snap

GLOVES = "GAN-NIT-M-SEC"


def gloves_in_cart(page, shop: str, *, snaps: bool = False):
    """A visitor adds the demo's nitrile gloves to the cart and opens it (a guest is made)."""
    page.goto(shop + "/catalog/search?q=" + GLOVES)
    # Its header: the logo, named by the storefront's name (e2e/test_storefront_logo.py).
    expect(page.get_by_role("banner").get_by_role("link", name="Direct Chantier")).to_be_visible()
    page.get_by_role("link", name=re.compile("Gants")).first.click()
    buy = page.get_by_role("region", name="Prix et commande")
    expect(buy).to_contain_text("TTC")
    if snaps:
        snap(page, "direct-product")
    buy.get_by_role("button", name=re.compile(r"^Ajouter au panier — ")).click()
    expect(page.get_by_text(re.compile(r"^Ajouté au panier"))).to_be_visible()
    page.goto(shop + "/cart/")


def test_a_consumer_buys_gloves_without_an_account_and_pays_by_transfer(browser, live_server):
    port = urlsplit(live_server).port
    shop = f"http://direct.localhost:{port}"  # Chromium sends *.localhost to this machine
    context = browser.new_context(**PHONE, locale="fr-FR")
    page = context.new_page()
    try:
        gloves_in_cart(page, shop, snaps=True)
        expect(page.get_by_role("main")).to_contain_text("TTC")
        snap(page, "direct-cart")
        # Consumer wording: no quote request in a consumer's cart.
        expect(page.get_by_role("heading", level=1, name="Votre panier")).to_be_visible()
        expect(page.get_by_role("link", name="Demander un devis")).to_have_count(0)
        page.get_by_role("link", name="Commander").click()
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
        # Delivered to the address given (the branches are offered beside it).
        expect(page.get_by_role("radio", name=re.compile("12 rue des Lilas"))).to_be_checked()
        page.get_by_role("button", name="Passer la commande").click()
        proforma = page.get_by_role("region", name="Proforma : payer par virement")
        expect(proforma).to_contain_text("IBAN")
        expect(proforma).to_contain_text("€")
        proforma.scroll_into_view_if_needed()
        snap(page, "direct-transfer")
    finally:
        context.close()


def test_a_consumer_collects_gloves_at_a_branch_and_pays_there(browser, live_server):
    port = urlsplit(live_server).port
    shop = f"http://direct.localhost:{port}"
    context = browser.new_context(**PHONE, locale="fr-FR")
    page = context.new_page()
    try:
        gloves_in_cart(page, shop)
        page.get_by_role("link", name="Commander").click()
        # Collecting: a name and an e-mail, no address.
        page.get_by_label("Prénom et nom").fill("Marc Petit")
        page.get_by_label("E-mail").fill("marc.petit@example.fr")
        page.get_by_role("button", name="Continuer vers la commande").click()
        expect(page.get_by_role("heading", level=1, name="Finaliser ma commande")).to_be_visible()
        expect(page.get_by_label("N° de bon de commande (facultatif)")).to_have_count(0)
        branch = page.get_by_role("radio", name=re.compile("Retrait en agence.: Saint-Priest"))
        branch.check()
        places = page.get_by_role("group", name="Livraison ou retrait")
        expect(places).to_contain_text("À retirer à partir du")
        expect(places).to_contain_text("lun.-ven.")
        places.scroll_into_view_if_needed()
        snap(page, "direct-collect-places")
        page.get_by_role("radio", name=re.compile("Paiement au retrait")).check()
        page.get_by_role("group", name="Paiement").scroll_into_view_if_needed()
        snap(page, "direct-collect-checkout")
        page.get_by_role("button", name="Passer la commande").click()
        expect(page.get_by_text(re.compile("vous la payez en agence"))).to_be_visible()
        facts = page.get_by_role("main")
        expect(facts).to_contain_text("Retrait en agence\u202f: Saint-Priest")
        expect(facts).to_contain_text("Au retrait, au comptoir de l'agence")
        expect(facts).to_contain_text("À retirer à partir du")
        expect(page.get_by_role("region", name="Proforma : payer par virement")).to_have_count(0)
        snap(page, "direct-collect-order")
    finally:
        context.close()
