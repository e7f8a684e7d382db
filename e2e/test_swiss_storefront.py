"""A storefront in another country and currency at 360 × 640 (issue 22): Léman Construction's
buyer signs in on Pro Fournitures Suisse (suisse.localhost) and fills the cart: prices in
CHF from the Swiss list, Swiss VAT (8.1 %), the storefront's legal mentions at the foot; the
trade portal does not know the Swiss buyer."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import (
    demo_db,  # noqa: F401  (fixture)
    new_phone_page,
)
from e2e.test_approvals import fill_cart_by_paste, snap

LUCA = "luca.rochat@leman-construction.demo.test"


def _swiss_lines(db) -> str:
    """Two products of the Swiss list, each at its smallest tier's quantity."""
    rows = db.execute(
        "SELECT p.sku, MIN(t.min_qty) AS qty FROM price_tiers t "
        "JOIN price_lists l ON l.id = t.price_list_id JOIN products p ON p.id = t.product_id "
        "WHERE l.code = 'CH-CHF' GROUP BY p.sku ORDER BY p.sku LIMIT 2").fetchall()
    assert len(rows) == 2
    return "\n".join(f"{row['sku']} {row['qty']}" for row in rows)


def test_the_swiss_buyers_cart_is_in_francs_at_swiss_vat(browser, live_server,
                                                         demo_db):  # noqa: F811
    swiss = f"http://suisse.localhost:{urlsplit(live_server).port}"
    context, page = new_phone_page(browser, None, live_server)
    try:
        page.goto(live_server + "/login")
        page.get_by_label("E-mail").fill(LUCA)
        page.get_by_label("Mot de passe").fill("demo-password")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_text("E-mail ou mot de passe incorrect.")).to_be_visible()

        sign_in(page, swiss, LUCA)
        expect(page.get_by_role("banner")).to_contain_text("Pro Fournitures Suisse")
        fill_cart_by_paste(page, swiss, _swiss_lines(demo_db))
        main = page.get_by_role("main")
        expect(main).to_contain_text("CHF")
        expect(main).not_to_contain_text("€")
        expect(main).to_contain_text(re.compile(r"TVA 8,1\s%"))
        expect(page.get_by_role("contentinfo")).to_contain_text("IDE CHE-109.322.551 TVA")
        snap(page, "swiss-cart")
        page.get_by_text(re.compile(r"^TVA 8,1\s%")).first.scroll_into_view_if_needed()
        snap(page, "swiss-cart-vat")
    finally:
        context.close()
