"""Staff create a promotion and a new price list by hand at 360 × 640 and see them applied to
the right customers only: a 20 % promotion for the BTP group reaches Durand (BTP) and not
Quincaillerie Martin (resellers); a price list given to Garnier for a month reaches Garnier and
not Durand. Screenshots of the forms and of what each buyer sees."""

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from e2e.ordering_helpers import builder_skus, demo_db, new_phone_page
from e2e.test_approvals import snap

__all__ = ["demo_db"]

DURAND = "buyer@demo.test"  # BTP group
MARTIN = "dealer@demo.test"  # resellers group
GARNIER = "contact@garnier-plomberie.demo.test"  # BTP group


def _product(db, sku: str):
    return db.execute("SELECT id, name_fr FROM products WHERE sku = ?", (sku,)).fetchone()


def _buy_box(browser, live_server, email, product_id):
    context, page = new_phone_page(browser, email, live_server)
    page.goto(f"{live_server}/catalog/p/{product_id}")
    return context, page, page.get_by_role("region", name="Prix et commande")


def test_staff_create_a_promotion_and_a_price_list_seen_by_the_right_customers_only(
        browser, live_server, demo_db):
    # Products far from the ones other e2e tests pick (the cheapest and the last SKUs).
    picks = builder_skus(demo_db, 70)
    promo_sku, list_sku = picks[60], picks[64]
    promoted, listed = _product(demo_db, promo_sku), _product(demo_db, list_sku)
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    context, staff = new_phone_page(browser, "staff@demo.test", live_server)

    # A promotion: 20 % off for the BTP group, from today for ten days.
    staff.goto(live_server + "/staff/catalog/")
    staff.get_by_role("link", name="Promotions").click()
    staff.get_by_role("link", name="Nouvelle promotion").click()
    staff.get_by_label("Référence du produit").fill(promo_sku)
    staff.get_by_label("Une remise, en pourcentage").check()
    staff.get_by_label("Remise ou prix").fill("120")
    staff.get_by_label("Pour qui").select_option(label="Entreprises du BTP")
    staff.get_by_label("Jusqu’au (inclus)").fill((today + timedelta(days=10)).isoformat())
    staff.get_by_role("button", name="Enregistrer la promotion").click()
    expect(staff.get_by_role("textbox", name="Remise ou prix")).to_have_attribute(
        "aria-invalid", "true")
    expect(staff.get_by_text("Une remise est comprise entre")).to_be_visible()
    snap(staff, "prices-promotion-refused")
    staff.get_by_label("Remise ou prix").fill("20")
    staff.get_by_role("button", name="Enregistrer la promotion").click()
    expect(staff.get_by_text(f"Promotion sur {promo_sku} enregistrée.")).to_be_visible()
    expect(staff.get_by_role("listitem").filter(has_text=promo_sku)).to_contain_text("20")
    snap(staff, "prices-promotions")

    # A new price list for Garnier only, valid a month, with a tier on another product.
    staff.goto(live_server + "/staff/catalog/price-lists")
    staff.get_by_role("link", name="Nouvelle liste de prix").click()
    code = f"GAR-{uuid.uuid4().hex[:5].upper()}"
    staff.get_by_label("Code").fill(code)
    staff.get_by_label("Nom", exact=True).fill("Garnier, accord 2027")
    staff.get_by_label("Valable du").fill(today.isoformat())
    staff.get_by_label("Valable jusqu’au").fill((today + timedelta(days=30)).isoformat())
    # Typed, not picked: the seller has over 500 customers once the CSV import test ran.
    staff.get_by_label("L’attribuer à un client").fill("Garnier Plomberie Chauffage")
    snap(staff, "prices-price-list-new")
    staff.get_by_role("button", name="Créer la liste de prix").click()
    expect(staff.get_by_text(f"Liste de prix {code} créée.")).to_be_visible()
    expect(staff.get_by_text("Attribuée à : Garnier Plomberie Chauffage.".replace(" :", "\u202f:"))
           ).to_be_visible()
    staff.goto(f"{live_server}/staff/catalog/products/{listed['id']}/prices")
    staff.get_by_label("Liste de prix").select_option(label=f"{code} · Garnier, accord 2027")
    staff.get_by_label("Prix unitaire").last.fill("0,42")
    staff.get_by_role("button", name="Ajouter le palier").click()
    expect(staff.get_by_text("Palier de prix ajouté.")).to_be_visible()
    context.close()

    # Durand (BTP) sees the promotion as such; Martin (resellers) does not.
    durand, page, box = _buy_box(browser, live_server, DURAND, promoted["id"])
    expect(box.get_by_text(re.compile(r"Promo jusqu’au \d+"))).to_be_visible()
    expect(box.locator("s")).to_be_visible()  # the usual price, struck out
    snap(page, "prices-promo-buyer")
    page.goto(f"{live_server}/catalog/p/{listed['id']}")
    expect(page.get_by_role("region", name="Prix et commande")).not_to_contain_text("0,42")
    durand.close()
    martin, page, box = _buy_box(browser, live_server, MARTIN, promoted["id"])
    expect(box).to_be_visible()
    expect(box.get_by_text("Promo")).to_have_count(0)
    martin.close()

    # Garnier (BTP too) pays its own list's price on the listed product.
    garnier, page, box = _buy_box(browser, live_server, GARNIER, listed["id"])
    expect(box).to_contain_text("0,42")
    snap(page, "prices-list-buyer")
    page.goto(f"{live_server}/catalog/p/{promoted['id']}")
    expect(page.get_by_role("region", name="Prix et commande").get_by_text(
        re.compile(r"Promo jusqu’au"))).to_be_visible()
    garnier.close()

    # The promotion ends now: Durand pays the usual price again.
    context, staff = new_phone_page(browser, "staff@demo.test", live_server)
    staff.goto(live_server + "/staff/catalog/promotions")
    staff.get_by_role("link", name=f"L’arrêter — {promo_sku}").click()
    staff.get_by_role("button", name="Arrêter la promotion").click()
    expect(staff.get_by_text("Promotion arrêtée.")).to_be_visible()
    context.close()
    durand, page, box = _buy_box(browser, live_server, DURAND, promoted["id"])
    expect(box.get_by_text("Promo")).to_have_count(0)
    durand.close()
