"""Dead ends and missing ways, seen at 360 × 640: each role's bottom bar opens every tab it
shows; the dealer reads the latest tracking from home without scrolling; the back office
links to every tool of the person; a buyer finds their limits from the cart."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import empty_cart
from e2e.test_approvals import OVER_LIMIT_LINES, fill_cart_by_paste

TABS = {
    "buyer@demo.test": ["Catalogue", "Commande rapide", "Listes", "Commandes", "Panier"],
    "manager@demo.test": ["Catalogue", "Commande rapide", "Commandes", "Validations", "Panier"],
    "lucie.martin@quincaillerie-martin.demo.test": ["Catalogue", "Listes", "Commandes"],
    "staff@demo.test": ["Accueil", "Back-office", "Clients", "Logistique", "Catalogue"],
    "warehouse@demo.test": ["Accueil", "Back-office", "Logistique", "Catalogue"],
}


@pytest.mark.parametrize("email", list(TABS))
def test_each_roles_bottom_bar_shows_only_pages_it_may_open(page, live_server, email, shot):
    sign_in(page, live_server, email)
    bar = page.get_by_role("navigation", name="Principal")
    links = bar.get_by_role("link")
    expect(links).to_have_count(len(TABS[email]))
    names = [re.sub(r"\s+", " ", name).strip() for name in links.all_inner_texts()]
    assert [n.split(" ")[0] if n.startswith("Panier") else n for n in names] == TABS[email]
    labels = []
    for link in links.all():
        box = link.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
        labels.append(link.locator("span").first.bounding_box())
    for left, right in zip(labels, labels[1:], strict=False):  # no label over its neighbour
        assert left["x"] >= 0 and left["x"] + left["width"] <= right["x"], (left, right)
    assert labels[-1]["x"] + labels[-1]["width"] <= 360
    for href in [link.get_attribute("href") for link in links.all()]:
        assert page.request.get(live_server + href).status == 200, href
    shot("bottom-bar-" + email.split("@")[0].split(".")[0])


def test_the_dealer_reads_the_latest_tracking_from_home_without_scrolling(page, live_server,
                                                                          shot):
    sign_in(page, live_server, "dealer@demo.test")
    card = page.get_by_role("region", name="Dernière expédition")
    expect(card).to_be_visible()
    number = card.locator(".tracking-number")
    expect(number).to_have_text(re.compile(r"^(SCH|GEO|TP)\d+$"))
    shot("dealer-home-tracking")
    box = number.bounding_box()
    nav_top = page.get_by_role("navigation", name="Principal").bounding_box()["y"]
    assert box["y"] + box["height"] <= nav_top, "the tracking number is under the fold"
    shot("dealer-home-tracking")
    if not number.inner_text().startswith("TP"):  # the local haulier has no tracking page
        link = card.get_by_role("link", name=re.compile(number.inner_text()))
        expect(link).to_have_attribute("href", re.compile(r"^https://"))
    card.get_by_role("link", name=re.compile(r"^Commande ")).click()
    expect(page.get_by_role("heading", name="Expéditions")).to_be_visible()


def test_the_back_office_page_links_to_fulfilment_catalog_and_imports(page, live_server):
    sign_in(page, live_server, "staff@demo.test")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Back-office").click()
    tools = page.get_by_role("navigation", name="Back-office")
    for name, heading in (("Logistique", "Logistique"), ("Produits, stocks et prix", "Produits"),
                          ("Imports et exports", "Importer un fichier CSV")):
        tools.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        page.go_back()


def test_a_buyer_over_the_limit_finds_their_limit_and_budget_from_the_cart(page, live_server):
    sign_in(page, live_server, "buyer@demo.test")
    empty_cart(page, live_server)
    fill_cart_by_paste(page, live_server, OVER_LIMIT_LINES)
    expect(page.get_by_role("list", name="Validation")).to_contain_text("plafond")
    page.get_by_role("link", name="Mon plafond et le budget qui me reste ce mois-ci").click()
    limits = page.get_by_role("region", name="Mes plafonds de commande")
    expect(limits).to_be_in_viewport()
    expect(limits).to_contain_text(re.compile(r"Plafond par commande\s*1\s000,00\s€"))
    expect(limits).to_contain_text(re.compile(r"Budget mensuel\s*8\s000,00\s€"))
    expect(limits).to_contain_text(re.compile(r"Reste ce mois-ci\s*[\d\s]+,\d\d\s€"))
    empty_cart(page, live_server)
