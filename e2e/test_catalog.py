"""Catalog on a phone: search, product page, the stepper, add to cart, prices per customer,
anonymous visitors, and products a customer group may not see."""

import re

from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import cart_badge, demo_db, empty_cart, new_phone_page, product

__all__ = ["demo_db"]  # the fixture, imported for pytest

# Disposable nitrile gloves: safety gear, on the CHR (chef) and BTP (buyer) price lists.
GLOVES = "GAN-NIT-M-SEC"
# Cement: construction only, hidden from the CHR group.
CEMENT = "CIM-C42-25"


def price_shown(page) -> str:
    return page.get_by_role("region", name="Prix et commande").get_by_role("strong").first \
        .inner_text()


def test_chef_searches_opens_a_product_steps_by_the_selling_unit_and_adds_a_case(
        page, live_server, shot, demo_db):
    gloves = product(demo_db, GLOVES)
    case, step = gloves["case_pack"], gloves["order_multiple"]
    assert case > step > 1, "the test needs a product sold by part of a case"
    sign_in(page, live_server, "chef@demo.test")
    empty_cart(page, live_server)
    expect(cart_badge(page)).to_have_accessible_name("Panier")

    page.goto(live_server + "/")
    page.get_by_role("searchbox", name="Rechercher dans le catalogue").fill("gants nitrile")
    page.get_by_role("button", name="Rechercher").click()
    results = page.get_by_role("region", name="Résultats")
    expect(results.get_by_role("article").first).to_be_visible()
    shot("catalog-search-results")
    results.get_by_role("link", name=gloves["name_fr"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(gloves["name_fr"])

    buy = page.get_by_role("region", name="Prix et commande")
    quantity = buy.get_by_role("textbox", name="Quantité")
    expect(quantity).to_have_value(str(case))  # a full case by default
    expect(buy.get_by_text(f"Vendu par {step}")).to_be_visible()
    page.evaluate("window.__same_page = true")  # gone if the page reloads
    buy.get_by_role("button", name="Plus").click()
    expect(quantity).to_have_value(str(case + step))
    buy.get_by_role("button", name="Moins").click()
    buy.get_by_role("button", name="Moins").click()
    expect(quantity).to_have_value(str(case - step))
    buy.get_by_role("button", name="Plus").click()
    expect(quantity).to_have_value(str(case))
    shot("catalog-product-stepper")

    buy.get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_role("status").filter(has_text=f"Ajouté : {case} ×")).to_be_visible()
    expect(cart_badge(page)).to_have_accessible_name(re.compile(r"^Panier\s*1\b"))
    assert page.evaluate("window.__same_page === true"), "the page reloaded to add to cart"
    shot("catalog-product-added")

    page.get_by_role("navigation", name="Principal").get_by_role("link", name=re.compile(
        "^Panier")).click()
    lines = page.get_by_role("list", name="Lignes du panier").get_by_role("listitem")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text(GLOVES)
    expect(lines.first.get_by_role("textbox", name=re.compile("^Quantité de"))).to_have_value(
        str(case))


def test_chef_and_buyer_see_their_own_price_for_the_same_gloves(page, live_server, browser,
                                                                 demo_db):
    gloves = product(demo_db, GLOVES)
    sign_in(page, live_server, "chef@demo.test")
    page.goto(f"{live_server}/catalog/p/{gloves['id']}")
    chef_price = price_shown(page)
    context, buyer_page = new_phone_page(browser, "buyer@demo.test", live_server)
    try:
        buyer_page.goto(f"{live_server}/catalog/p/{gloves['id']}")
        buyer_price = price_shown(buyer_page)
    finally:
        context.close()
    assert re.fullmatch(r"\d+,\d\d\s€", chef_price), chef_price
    assert re.fullmatch(r"\d+,\d\d\s€", buyer_price), buyer_price
    assert chef_price != buyer_price


def test_anonymous_visitor_sees_the_product_but_no_price(page, live_server, shot, demo_db):
    gloves = product(demo_db, GLOVES)
    page.goto(f"{live_server}/catalog/p/{gloves['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(gloves["name_fr"])
    buy = page.get_by_role("region", name="Prix et commande")
    expect(buy.get_by_role("link", name="Connectez-vous pour voir votre prix")).to_be_visible()
    expect(buy).not_to_contain_text("€")
    expect(buy.get_by_role("button", name="Ajouter au panier")).to_have_count(0)
    expect(page.get_by_role("region", name="Vos prix")).to_have_count(0)
    shot("catalog-anonymous-no-price")
    buy.get_by_role("link", name="Connectez-vous pour voir votre prix").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_construction_product_is_not_found_for_the_chef_by_url_or_by_sku(
        page, live_server, browser, shot, demo_db):
    cement = product(demo_db, CEMENT)
    context, builder = new_phone_page(browser, "buyer@demo.test", live_server)
    try:  # the builder sees it...
        assert builder.goto(f"{live_server}/catalog/p/{cement['id']}").status == 200
        expect(builder.get_by_role("heading", level=1)).to_have_text(cement["name_fr"])
    finally:
        context.close()

    sign_in(page, live_server, "chef@demo.test")  # ...the restaurant does not
    for path in (f"/catalog/p/{cement['id']}", f"/catalog/sku/{CEMENT}"):
        response = page.goto(live_server + path)
        assert response.status == 404, path
        expect(page.get_by_text("Cette page n'existe pas, ou vous ne pouvez pas la voir."))\
            .to_be_visible()
        expect(page.get_by_text(cement["name_fr"])).to_have_count(0)
    shot("catalog-hidden-404")
    page.goto(live_server + "/")
    page.get_by_role("searchbox", name="Rechercher dans le catalogue").first.fill(CEMENT)
    page.get_by_role("button", name="Rechercher").first.click()
    expect(page.get_by_role("link", name=cement["name_fr"])).to_have_count(0)
