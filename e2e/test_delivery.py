"""The delivery promise on a phone, with the clock set: Thursday 10 December 2026, 09:30 and
16:00 in Paris (the warehouses' cut-offs: Lyon 14:00, Marseille 12:00). Two portals serve the
same demo database, one at each time (CLOCK_NOW), so nothing depends on today's date.

A buyer sees a line split over two dates and the cut-off countdown, then the next dates after
the cut-off; an out-of-stock line offers an in-stock substitute, swapped in one tap; an order
reserves the last units, which another customer then cannot get; the warehouse cannot ship
them a second time.
"""

import os
import re
import sqlite3
import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import expect

from e2e.conftest import CHROMIUM, PHONE, SCREENSHOTS, _free_port, _wait_for

MORNING = "2026-12-10T09:30:00+01:00"
EVENING = "2026-12-10T16:00:00+01:00"
SPLIT = "GAN-NIT-M-SEC"  # 142 in Marseille only; Durand Bâtiment is served by Lyon
OUT = "GAN-NIT-M-PRO"  # out everywhere; its first substitute is GAN-NIT-M-SEC
LAST = "GAN-LAT-L-PRO"  # set to 6 in Lyon, none elsewhere


@pytest.fixture(scope="module")
def clocks(tmp_path_factory, mailbox):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    instance = tmp_path_factory.mktemp("delivery-instance")
    env = dict(os.environ)
    env.pop("PORTAL_DATABASE_URL", None)
    env.update({"PORTAL_INSTANCE_PATH": str(instance), "PORTAL_SECRET_KEY": "e2e-secret-key",
                "PORTAL_SESSION_COOKIE_SECURE": "0", "PORTAL_REMEMBER_COOKIE_SECURE": "0",
                "PORTAL_MAIL_PORT": str(mailbox.port),
                "PORTAL_LOGIN_RATE_LIMIT": "200 per minute"})
    portal = [sys.executable, "-m", "portal"]
    subprocess.run([*portal, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*portal, "seed-demo"], env=env, check=True, capture_output=True)
    with sqlite3.connect(instance / "portal.sqlite3") as db:
        db.execute("UPDATE stock SET quantity = CASE warehouse_id WHEN (SELECT id FROM "
                   "warehouses WHERE code = 'LYO') THEN 6 ELSE 0 END WHERE product_id = "
                   "(SELECT id FROM products WHERE sku = ?)", (LAST,))
    urls, processes = {}, []
    log = open(instance / "server.log", "w")  # noqa: SIM115 - closed at teardown
    for name, moment in (("morning", MORNING), ("evening", EVENING)):
        port = _free_port()
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "4",
             "--bind", f"127.0.0.1:{port}", "portal:create_app()"],
            env={**env, "PORTAL_CLOCK_NOW": moment, "PORTAL_BASE_URL": f"http://127.0.0.1:{port}"},
            stdout=log, stderr=subprocess.STDOUT))
        urls[name] = f"http://127.0.0.1:{port}"
    try:
        for url in urls.values():
            _wait_for(url + "/healthz")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)
        log.close()


def phone(browser, base: str, email: str):
    context = browser.new_context(**PHONE, locale="fr-FR")
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill("demo-password")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def fill_cart(page, base: str, *lines: str):
    page.goto(base + "/cart/")
    remove = page.get_by_role("main").get_by_role("button", name=re.compile(r"^Retirer "))
    while remove.count():
        remove.first.click()
        page.wait_for_load_state("networkidle")
    page.goto(base + "/quick-order/")
    page.get_by_label("Coller des lignes").fill("\n".join(lines))
    page.get_by_role("button", name="Vérifier les lignes").last.click()
    page.get_by_role("button", name="Tout ajouter au panier").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))


def snap(page, name: str):
    """Looked at by people, not asserted (the `shot` fixture films its own page)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_line_split_over_two_dates_and_the_cutoff_before_and_after(browser, clocks):
    page = phone(browser, clocks["morning"], "buyer@demo.test")
    fill_cart(page, clocks["morning"], f"{SPLIT} 150")
    line = page.get_by_role("list", name="Lignes du panier").get_by_role("listitem").first
    expect(line).to_contain_text("142 le ven. 11 déc.")
    expect(line).to_contain_text("8 le mar. 15 déc.")
    expect(page.get_by_role("status").filter(has_text="Commandez dans")).to_have_text(
        "Commandez dans les 4 h 30 min (avant 14:00) pour une livraison le ven. 11 déc.")
    no_sideways_scroll(page)
    snap(page, "delivery-cart-morning")

    page.goto(clocks["evening"] + "/cart/")  # the same cart at 16:00
    expect(page.get_by_role("status").filter(has_text="heure limite")).to_contain_text(
        "commandé maintenant, livré le lun. 14 déc.")
    line = page.get_by_role("list", name="Lignes du panier").get_by_role("listitem").first
    expect(line).to_contain_text("142 le lun. 14 déc.")
    expect(line).to_contain_text("8 le mer. 16 déc.")
    snap(page, "delivery-cart-evening")
    page.context.close()


def test_an_out_of_stock_line_offers_a_substitute_swapped_in_one_tap(browser, clocks):
    page = phone(browser, clocks["morning"], "buyer@demo.test")
    fill_cart(page, clocks["morning"], f"{OUT} 10")
    lines = page.get_by_role("list", name="Lignes du panier")
    expect(lines.get_by_role("listitem").first).to_contain_text(OUT)
    swap = page.get_by_role("button", name=re.compile(r"^Remplacer .* par "))
    expect(swap).to_be_visible()
    expect(lines).to_contain_text(SPLIT)
    box = swap.bounding_box()
    assert box and box["height"] >= 44
    snap(page, "delivery-substitute-offered")
    swap.click()
    expect(page.get_by_text(re.compile("Produit de remplacement mis à la place"))).to_be_visible()
    expect(lines.get_by_role("listitem")).to_have_count(1)
    expect(lines.get_by_role("listitem").first).to_contain_text(SPLIT)
    expect(lines.get_by_role("listitem").first).to_contain_text("Livraison ven. 11 déc.")
    snap(page, "delivery-substitute-swapped")
    page.context.close()


def test_the_last_units_reserved_by_one_order_another_customer_cannot_get_nor_ship(
        browser, clocks):
    base = clocks["morning"]
    buyer = phone(browser, base, "buyer@demo.test")
    fill_cart(buyer, base, f"{LAST} 6")
    expect(buyer.get_by_role("list", name="Lignes du panier")).to_contain_text(
        "Livraison ven. 11 déc.")
    buyer.get_by_role("link", name="Valider la commande").click()
    buyer.get_by_label(re.compile(r"^N° de bon de commande")).fill(
        f"BC-E2E-{uuid.uuid4().hex[:6].upper()}")
    buyer.get_by_role("button", name="Passer la commande").click()
    expect(buyer).to_have_url(re.compile(r"/orders/\d+$"))
    expect(buyer.get_by_role("main")).to_contain_text("Livraison ven. 11 déc.")
    snap(buyer, "delivery-order-dated")
    buyer.context.close()

    dealer = phone(browser, base, "dealer@demo.test")
    fill_cart(dealer, base, f"{LAST} 6")
    line = dealer.get_by_role("list", name="Lignes du panier").get_by_role("listitem").first
    # Nothing left in stock for him: the whole line waits for the lead time (1 day).
    expect(line).to_contain_text("Livraison lun. 14 déc.")
    expect(line).not_to_contain_text("ven. 11 déc.")
    dealer.get_by_role("link", name="Valider la commande").click()
    dealer.get_by_role("button", name="Passer la commande").click()
    expect(dealer).to_have_url(re.compile(r"/orders/\d+$"))
    order_url = dealer.url
    expect(dealer.get_by_role("main")).to_contain_text("Livraison lun. 14 déc.")
    dealer.context.close()

    staff = phone(browser, base, "warehouse@demo.test")
    order_id = order_url.rsplit("/", 1)[1]
    staff.goto(f"{base}/staff/fulfilment/orders/{order_id}")
    confirm = staff.get_by_role("button", name=re.compile("^Confirmer"))
    if confirm.count():
        confirm.first.click()
    staff.get_by_label(f"Quantité à expédier pour {LAST}").fill("6")
    staff.get_by_label("Entrepôt").select_option(label="LYO · Plateforme Lyon Saint-Priest")
    staff.get_by_role("button", name="Enregistrer l'expédition").click()
    expect(staff.get_by_role("main")).to_contain_text(
        "LYO a 6 en stock, dont 0 pour cette commande")
    no_sideways_scroll(staff)
    snap(staff, "delivery-overship-refused")
    staff.context.close()


def test_a_jobsite_in_a_farther_zone_is_promised_its_truck_day_and_cutoff(browser, clocks):
    """Villa Aubagne is in the demo's "Arrière-pays" zone: one more day on the road, trucks on
    Tuesdays and Thursdays, cut-off 11:00. Ordered there on Thursday at 09:30: Tuesday."""
    base = clocks["morning"]
    page = phone(browser, base, "contact@elec-services-provence.demo.test")
    fill_cart(page, base, f"{SPLIT} 10")
    page.get_by_role("link", name="Valider la commande").click()
    page.get_by_label(re.compile("Villa Aubagne")).check()
    page.get_by_role("button", name="Passer la commande").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    expect(page.get_by_role("main")).to_contain_text("Livraison mar. 15 déc.")
    fill_cart(page, base, f"{SPLIT} 10")  # the last jobsite is now Villa Aubagne
    expect(page.get_by_role("status").filter(has_text="Commandez dans")).to_have_text(
        "Commandez dans les 1 h 30 min (avant 11:00) pour une livraison le mar. 15 déc.")
    expect(page.get_by_role("list", name="Lignes du panier")).to_contain_text(
        "Livraison mar. 15 déc.")
    no_sideways_scroll(page)
    snap(page, "delivery-zone-cart")
    page.context.close()


def test_staff_see_the_zone_on_the_warehouse_page_and_a_bad_cutoff_is_refused(browser, clocks):
    page = phone(browser, clocks["morning"], "staff@demo.test")
    page.goto(clocks["morning"] + "/staff/warehouses")
    zone = page.get_by_text(re.compile(r"^Arrière-pays · \+1 jour · heure limite 11:00"))
    expect(zone).to_be_visible()
    zone.click()
    cutoff = page.get_by_role("textbox", name=re.compile("^Heure limite propre")).first
    cutoff.fill("25h")
    page.get_by_role("button", name="Enregistrer Arrière-pays").click()
    error = page.get_by_text("Saisissez une heure comme 11:00")
    expect(error).to_be_visible()
    error.scroll_into_view_if_needed()
    no_sideways_scroll(page)
    snap(page, "delivery-zone-refused")
    page.context.close()


def test_staff_choose_a_jobsites_zone_and_deleting_a_zone_asks_first(browser, clocks):
    """The zone is the seller's: on the customer's page, per jobsite; the company admin only
    reads it. Deleting a zone says first how many jobsites it holds (kept here: the other
    tests of the session use it)."""
    page = phone(browser, clocks["morning"], "staff@demo.test")
    page.goto(clocks["morning"] + "/staff/customers?q=Provence")
    page.get_by_role("link", name=re.compile("Élec Services Provence")).first.click()
    zone = page.get_by_role("combobox", name="Zone de livraison de Villa Aubagne")
    zone.scroll_into_view_if_needed()
    expect(zone).to_have_value(re.compile(r"^\d+$"))
    expect(page.get_by_role("button", name="Enregistrer la zone de Villa Aubagne")).to_be_visible()
    no_sideways_scroll(page)
    snap(page, "delivery-zone-customer")
    page.goto(clocks["morning"] + "/staff/warehouses")
    page.get_by_text(re.compile(r"^Arrière-pays · \+1 jour")).click()
    page.get_by_role("link", name="Supprimer la zone Arrière-pays").click()
    expect(page.get_by_text(re.compile(r"^1 chantier est dans cette zone"))).to_be_visible()
    snap(page, "delivery-zone-delete")
    page.get_by_role("link", name="La garder").click()
    expect(page.get_by_text(re.compile(r"^Arrière-pays · \+1 jour"))).to_be_visible()
    page.context.close()


def test_a_line_marked_no_substitute_in_one_tap_is_offered_none(browser, clocks):
    page = phone(browser, clocks["morning"], "buyer@demo.test")
    fill_cart(page, clocks["morning"], f"{OUT} 10")
    swap = page.get_by_role("button", name=re.compile(r"^Remplacer .* par "))
    expect(swap).to_be_visible()
    mark = page.get_by_role("button", name=re.compile(r"^Pas de substitution pour "))
    expect(mark).to_have_attribute("aria-pressed", "false")
    box = mark.bounding_box()
    assert box and box["height"] >= 44
    mark.click()
    expect(page.get_by_text("Marqué : pas de substitution.")).to_be_visible()
    expect(mark).to_have_attribute("aria-pressed", "true")
    expect(swap).to_have_count(0)
    no_sideways_scroll(page)
    mark.scroll_into_view_if_needed()
    snap(page, "delivery-no-substitute")
    page.context.close()
