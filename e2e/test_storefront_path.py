"""A consumer storefront on a path of the trade portal's address, at 360 × 640 (issue 22: "a
path prefix where a seller has one domain"). The seller's admin gives Direct Chantier the
path /direct instead of its own host name; in the same browser a visitor then buys gloves at
127.0.0.1:<port>/direct: every page, link and redirect keeps the prefix up to the checkout's
details page, and the admin's own session on the trade portal is still there afterwards."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import PHONE, demo_portal, sign_in
from e2e.test_approvals import snap

GLOVES = "GAN-NIT-M-SEC"


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory, mailbox):
    """A demo portal of its own: the test moves its consumer storefront onto a path."""
    with demo_portal(tmp_path_factory, mailbox.port) as url:
        yield url


def test_a_visitor_buys_on_the_storefronts_path_and_the_admin_stays_signed_in(browser,
                                                                              portal_url):
    context = browser.new_context(**PHONE, locale="fr-FR")
    page = context.new_page()
    shop = portal_url + "/direct"
    try:
        sign_in(page, portal_url, "staff@demo.test")
        page.goto(portal_url + "/staff/storefronts")
        page.get_by_role("link", name="Modifier Direct Chantier").click()
        path = page.get_by_label("Chemin sur une adresse partagée")
        path.fill("/static")  # a path of the portal itself
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text("/static est un chemin du portail lui-même")).to_be_visible()
        path.scroll_into_view_if_needed()
        snap(page, "storefront-path-refused")
        page.get_by_role("textbox", name="Noms d'hôte").fill("")
        path.fill("/direct")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text(re.compile(r"sous /direct"))).to_be_visible()

        # The same browser, on the shop's path: a visitor there, not the seller's admin.
        page.goto(shop + "/catalog/search?q=" + GLOVES)
        expect(page.get_by_role("banner").get_by_role("link", name="Direct Chantier")
               ).to_be_visible()
        page.get_by_role("link", name=re.compile("Gants")).first.click()
        expect(page).to_have_url(re.compile("^" + re.escape(shop) + "/catalog/"))
        buy = page.get_by_role("region", name="Prix et commande")
        expect(buy).to_contain_text("TTC")
        buy.get_by_role("button", name=re.compile(r"^Ajouter au panier — ")).click()
        expect(page.get_by_text(re.compile(r"^Ajouté au panier"))).to_be_visible()
        page.get_by_role("navigation", name="Principal").get_by_role(
            "link", name=re.compile("Panier")).click()
        expect(page).to_have_url(shop + "/cart/")
        expect(page.get_by_role("heading", level=1, name="Votre panier")).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text("Gants")
        snap(page, "storefront-path-cart")
        page.get_by_role("link", name="Commander").click()
        # The checkout asks a guest's details first: still under /direct.
        expect(page.get_by_role("heading", level=1, name="Vos coordonnées")).to_be_visible()
        expect(page).to_have_url(re.compile("^" + re.escape(shop) + "/shop/details"))
        snap(page, "storefront-path-checkout")

        # Back at the trade portal's root: the admin's session was kept beside the guest's.
        page.goto(portal_url + "/staff/storefronts")
        expect(page.get_by_role("heading", level=1, name="Boutiques")).to_be_visible()
    finally:
        context.close()
