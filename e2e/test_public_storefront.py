"""The public-sector storefront at 360 × 640 (issue 22): the school canteen's buyer, on
"Achats publics" (collectivites.localhost), sees her framework contract's spend against its
ceiling, orders two of its products at its prices, is asked for the legal commitment number
and the service code before the order is taken, and once the warehouse has shipped it finds
the invoice on her order and downloads its Factur-X XML carrying both (BT-13, BT-10)."""

import re
from urllib.parse import urlsplit

from lxml import etree
from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import (
    demo_db,  # noqa: F401  (fixture)
    new_phone_page,
)
from e2e.test_approvals import fill_cart_by_paste, snap

BUYER = "n.benali@cantine-villeurbanne.demo.test"  # portal/demo/public.py
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"


def test_the_canteen_orders_from_its_contract_with_its_numbers_and_gets_the_e_invoice(
        browser, live_server, demo_db):  # noqa: F811
    shop = f"http://collectivites.localhost:{urlsplit(live_server).port}"
    skus = [r["sku"] for r in demo_db.execute(
        "SELECT p.sku FROM framework_contract_lines l JOIN products p ON p.id = l.product_id "
        "JOIN stock s ON s.product_id = p.id WHERE s.quantity > 20 "
        "GROUP BY p.sku ORDER BY p.sku LIMIT 2").fetchall()]
    assert len(skus) == 2
    context, page = new_phone_page(browser, None, live_server)
    try:
        sign_in(page, shop, BUYER)
        expect(page.get_by_role("banner")).to_contain_text("Achats publics")
        gauge = page.get_by_role("region", name=re.compile("restauration scolaire"))
        # The demo's past orders under the contract: real spend, below the 80 % warning.
        expect(gauge).to_contain_text(re.compile(
            r"Marché 2026-RS-014\s: [1-9][\d\s]*€ engagés sur 20\s000\s€ \([1-7]?\d\s%\)"))
        # The gauge's bar runs across the card, not a short inline bar.
        meter = gauge.get_by_role("meter", name="Part du plafond engagée")
        bar, card = meter.bounding_box(), gauge.bounding_box()
        assert bar["width"] >= card["width"] - 40 and bar["height"] >= 14, (bar, card)
        snap(page, "public-home-contract")

        page.goto(f"{shop}/orders/")
        expect(page.get_by_role("main")).to_contain_text(re.compile(r"N° d'engagement EJ-\d{4}-"))
        expect(page.get_by_role("main")).not_to_contain_text("PO EJ-")
        snap(page, "public-orders-history")

        fill_cart_by_paste(page, shop, "\n".join(f"{sku} 2" for sku in skus))
        expect(page.get_by_role("region", name=re.compile("restauration scolaire"))
               ).to_be_visible()
        page.get_by_role("link", name="Valider la commande").click()
        page.get_by_role("radio", name=re.compile("Cuisine centrale")).check()
        page.get_by_role("button", name="Passer la commande").click()
        expect(page.get_by_text("Saisissez le numéro d'engagement juridique").first
               ).to_be_visible()
        expect(page.get_by_text("Saisissez le code service").first).to_be_visible()
        snap(page, "public-checkout-refused")

        page.get_by_label("Numéro d'engagement juridique (obligatoire)").fill("EJ-2026-00042")
        page.get_by_label("Code service (obligatoire)").fill("RESTO-SCOL")
        page.get_by_role("button", name="Passer la commande").click()
        expect(page).to_have_url(re.compile(r"/orders/\d+"))
        main = page.get_by_role("main")
        expect(main).to_contain_text("EJ-2026-00042")
        expect(main).to_contain_text("RESTO-SCOL")
        expect(main).to_contain_text("2026-RS-014")
        order_id = int(re.search(r"/orders/(\d+)", page.url).group(1))
        snap(page, "public-order-placed")

        hands_context, hands = new_phone_page(browser, "warehouse@demo.test", live_server)
        try:
            hands.goto(f"{live_server}/staff/fulfilment/orders/{order_id}")
            hands.get_by_role("button", name="Confirmer").click()
            expect(hands.get_by_role("button", name="Enregistrer l'expédition")).to_be_visible()
            hands.get_by_role("button", name="Enregistrer l'expédition").click()
            expect(hands.get_by_text("Expédition enregistrée.")).to_be_visible()
        finally:
            hands_context.close()

        page.reload()
        invoice = page.get_by_role("link", name=re.compile(r"^FA-\d{4}-\d{6}"))
        invoice.scroll_into_view_if_needed()
        invoice.click()
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text("Facture FA-")
        expect(page.get_by_role("main")).to_contain_text("EJ-2026-00042")
        expect(page.get_by_role("main")).to_contain_text("RESTO-SCOL")
        snap(page, "public-invoice")
        number = heading.inner_text().removeprefix("Facture ").strip()
        # The XML the download link gives, fetched by the browser itself (its session, its
        # host: Chromium resolves *.localhost, the test process does not).
        href = page.get_by_role("link", name=re.compile(r"XML")).first.get_attribute("href")
        xml = page.evaluate("url => fetch(url).then(r => r.ok ? r.text() : '')", href)
        root = etree.fromstring(xml.encode())
        assert root.findtext(f".//{{{RAM}}}BuyerReference") == "RESTO-SCOL"
        assert root.findtext(f".//{{{RAM}}}BuyerOrderReferencedDocument/"
                             f"{{{RAM}}}IssuerAssignedID") == "EJ-2026-00042"
        assert number
    finally:
        context.close()
