"""A consumer pays by card at 360 × 640 (issue 22): on the demo's consumer storefront, with
the provider's keys set, a guest buys gloves, taps "Payer par carte", pays on the provider's
page (a stand-in of Stripe on loopback, tests/card_provider.py, reached by the real `stripe`
library), comes back to "Paiement en cours de confirmation", and once the provider's signed
notice arrives the order is paid and goes to the warehouse."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import PHONE, _free_port, demo_portal
from e2e.test_approvals import snap
from tests import card_provider

GLOVES = "GAN-NIT-M-SEC"


@pytest.fixture(scope="module")
def card_shop(tmp_path_factory, mailbox):
    """The demo portal with card payment configured against the stand-in provider."""
    port = _free_port()
    provider = card_provider.FakeStripe(f"http://127.0.0.1:{port}/card-payment/webhook")
    try:
        with demo_portal(tmp_path_factory, mailbox.port, port,
                         PORTAL_STRIPE_SECRET_KEY=card_provider.SECRET_KEY,
                         PORTAL_STRIPE_WEBHOOK_SECRET=card_provider.WEBHOOK_SECRET,
                         PORTAL_STRIPE_API_BASE=provider.base):
            yield f"http://direct.localhost:{port}", provider  # Chromium: *.localhost is here
    finally:
        provider.close()


def test_a_guest_pays_by_card_on_the_providers_page(browser, card_shop):
    shop, provider = card_shop
    context = browser.new_context(**PHONE, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(shop + "/catalog/search?q=" + GLOVES)
        page.get_by_role("link", name=re.compile("Gants")).first.click()
        buy = page.get_by_role("region", name="Prix et commande")
        buy.get_by_role("button", name=re.compile(r"^Ajouter au panier — ")).click()
        expect(page.get_by_text(re.compile(r"^Ajouté au panier"))).to_be_visible()
        page.goto(shop + "/cart/")
        page.get_by_role("link", name="Commander").click()
        page.get_by_label("Prénom et nom").fill("Claire Martin")
        page.get_by_label("E-mail").fill("claire.martin@example.fr")
        page.get_by_label("Numéro et rue").fill("12 rue des Lilas")
        page.get_by_label("Code postal").fill("69003")
        page.get_by_label("Ville").fill("Lyon")
        page.get_by_role("button", name="Continuer vers la commande").click()
        page.get_by_role("button", name="Passer la commande").click()
        pay = page.get_by_role("button", name="Payer par carte")
        pay.scroll_into_view_if_needed()
        expect(pay).to_be_visible()
        box = pay.bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= 360
        snap(page, "card-pay-button")

        # The provider's page (its notice held back, as when it arrives late).
        provider.hold = True
        pay.click()
        expect(page.get_by_role("heading", name="Test payment page")).to_be_visible()
        [session] = provider.sessions.values()
        expect(page.get_by_role("main")).to_contain_text(
            f"{session['amount_total'] / 100:.2f} EUR")
        page.get_by_role("button", name=re.compile(r"^Pay ")).click()
        status = page.get_by_role("status").filter(has_text="Paiement en cours de confirmation")
        expect(status).to_be_visible()
        assert page.url.startswith(shop + "/orders/") and page.url.endswith("?card=paid")
        expect(page.get_by_role("button", name="Payer par carte")).to_have_count(0)
        status.scroll_into_view_if_needed()
        snap(page, "card-pending")

        # The signed notice arrives: the order is paid and goes to the warehouse.
        assert provider.release() == [200]
        page.get_by_role("link", name="Actualiser la page").click()
        main = page.get_by_role("main")
        expect(main).to_contain_text(re.compile(r"Paiement de [0-9\s,]+€ reçu"))
        expect(main).not_to_contain_text("Proforma")
        expect(page.get_by_role("button", name="Payer par carte")).to_have_count(0)
        page.get_by_text(re.compile(r"^Paiement de ")).first.scroll_into_view_if_needed()
        snap(page, "card-paid")
    finally:
        context.close()
