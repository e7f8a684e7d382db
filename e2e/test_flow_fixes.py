"""Dead ends found by a new buyer at 360 × 640 (issue 11): the checkout error summary, the
quick order's partial add, live recount, "did you mean" and marked fields, the reorder
summary. Each flow is also run without JavaScript where it is a form."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import demo_db, empty_cart, product

__all__ = ["demo_db"]  # the fixture, imported for pytest

EMILIE = "emilie.roche@durand-batiment.demo.test"  # a buyer no other e2e test uses
GLOVES = "GAN-NIT-M-SEC"
SUMMARY = "Une partie de votre saisie est à corriger."


def _gloves_in_cart(page, live_server, demo_db):
    empty_cart(page, live_server)
    gloves = product(demo_db, GLOVES)
    page.goto(f"{live_server}/catalog/p/{gloves['id']}")
    page.get_by_role("region", name="Prix et commande").get_by_role(
        "button", name="Ajouter au panier").click()
    expect(page.get_by_text(re.compile(r"Ajouté"))).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_checkout_errors_are_listed_as_links_and_take_the_focus(
        page, no_js_page, live_server, demo_db, shot, javascript):
    page = page if javascript else no_js_page
    sign_in(page, live_server, EMILIE)
    _gloves_in_cart(page, live_server, demo_db)
    page.goto(live_server + "/checkout/")
    po = page.get_by_label(re.compile(r"^N° de bon de commande"))
    date = page.get_by_label("Date de livraison souhaitée")
    # The field the buyer must fill sits above the delivery cards, on the first screen.
    po_box = po.bounding_box()
    first_card = page.get_by_role("radio").first.bounding_box()
    assert po_box["y"] < first_card["y"]
    assert po_box["y"] + po_box["height"] < 640
    po.fill("BC-E2E-FOCUS")
    date.fill("2020-01-01")
    page.get_by_role("button", name="Passer la commande").click()

    summary = page.get_by_role("alert").filter(has_text=SUMMARY)
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name=re.compile(
        r"^Date de livraison souhaitée\s?: La livraison peut avoir lieu demain"))
    expect(link).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(1)
    shot(f"checkout-error-summary-{'js' if javascript else 'nojs'}")
    link.click()
    expect(date).to_be_focused()
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(po).to_have_value("BC-E2E-FOCUS")
