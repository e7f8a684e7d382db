"""Staff create a product and a price list by hand at 360 × 640; a buyer then sees the new
product as "price on request" and may ask for a quote on it. Screenshots of both forms."""

import re
import uuid

from playwright.sync_api import expect

from e2e.ordering_helpers import new_phone_page
from e2e.test_approvals import snap


def test_staff_create_a_product_and_a_price_list(browser, live_server):
    sku = f"E2E-{uuid.uuid4().hex[:6].upper()}"
    context, page = new_phone_page(browser, "staff@demo.test", live_server)
    page.goto(live_server + "/staff/catalog/")
    page.get_by_role("link", name="Nouveau produit").click()
    page.get_by_label("Référence").fill(sku)
    category = page.get_by_label("Catégorie")
    category.select_option(index=1)
    page.get_by_label("Nom (français)").fill("Plaque BA13 260 cm, lot chantier")
    page.get_by_label("Nom (anglais)").fill("Plasterboard BA13 260 cm, site lot")
    page.get_by_label("Unités par carton").fill("7")
    page.get_by_label("Vendu par multiples de").fill("3")  # neither 1, half nor a full case
    page.get_by_role("button", name="Créer le produit").click()
    expect(page.get_by_role("textbox", name="Vendu par multiples de")).to_have_attribute(
        "aria-invalid", "true")
    snap(page, "catalog-product-new-refused")
    page.get_by_label("Vendu par multiples de").fill("1")
    page.get_by_role("button", name="Créer le produit").click()
    expect(page.get_by_text(f"Produit {sku} créé")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/prices$"))

    page.goto(live_server + "/staff/catalog/price-lists")
    page.get_by_role("link", name="Nouvelle liste de prix").click()
    code = f"CT-{uuid.uuid4().hex[:6].upper()}"
    page.get_by_label("Code").fill(code)
    page.get_by_label("Nom", exact=True).fill("Contrat chantier B")
    snap(page, "catalog-price-list-new")
    page.get_by_role("button", name="Créer la liste de prix").click()
    expect(page.get_by_text(f"Liste de prix {code} créée.")).to_be_visible()
    context.close()
