"""Ordering on a phone: quick order with mistakes, repeat the last order, lists per jobsite,
order tracking, a double tap on a slow line, and the whole flow without JavaScript."""

import re
import uuid

from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import builder_skus, demo_db, empty_cart, product

__all__ = ["demo_db"]  # the fixture, imported for pytest

PLACED = re.compile(r"Commande CMD-\S+ (passée|envoyée pour validation)")
GLOVES = "GAN-NIT-M-SEC"


def discontinued_with_replacement(db) -> tuple[str, str]:
    row = db.execute(
        """SELECT p.sku, r.sku AS replacement FROM products p
           JOIN products r ON r.id = p.replacement_id
           JOIN categories c ON c.id = p.category_id
           WHERE p.discontinued AND NOT r.discontinued AND c.parent_id IN (1, 2, 3, 4, 5, 6)
             AND r.order_multiple = 1
             AND (SELECT SUM(quantity) FROM stock s WHERE s.product_id = r.id) > 50
           ORDER BY p.sku LIMIT 1""").fetchone()
    return row["sku"], row["replacement"]


def place_order(page, po_number: str | None = None, place: str | None = None):
    if place:
        page.get_by_role("radio", name=re.compile("^" + re.escape(place))).check()
    if po_number:
        page.get_by_label(re.compile(r"^N° de bon de commande")).fill(po_number)
    page.get_by_role("button", name="Passer la commande").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    expect(page.get_by_text(PLACED)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Commande CMD-"))


def test_buyer_repeats_the_last_jobsite_order_from_home_and_sees_what_changed(
        page, live_server, shot, demo_db):
    sign_in(page, live_server, "buyer@demo.test")
    empty_cart(page, live_server)
    gloves = product(demo_db, GLOVES)
    page.goto(f"{live_server}/catalog/p/{gloves['id']}")
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_role("status").filter(has_text="Ajouté")).to_be_visible()

    page.goto(live_server + "/")
    repeat = page.get_by_role("link", name="Refaire ma dernière commande pour Chantier Confluence")
    expect(repeat).to_be_visible()
    shot("reorder-home")
    order_id = int(re.search(r"/orders/(\d+)/reorder", repeat.get_attribute("href")).group(1))
    lines = demo_db.execute(
        """SELECT l.quantity, p.sku, p.name_fr, p.discontinued, r.sku AS replacement,
                  (SELECT COALESCE(SUM(quantity), 0) FROM stock s
                   WHERE s.product_id = COALESCE(r.id, p.id)) AS stock
           FROM order_lines l JOIN products p ON p.id = l.product_id
           LEFT JOIN products r ON r.id = p.replacement_id WHERE l.order_id = ?""",
        (order_id,)).fetchall()
    replaced = [x for x in lines if x["discontinued"] and x["replacement"]]
    empty = [x for x in lines
             if x["stock"] == 0 and not (x["discontinued"] and not x["replacement"])]
    po_number = demo_db.execute(
        "SELECT po_number FROM orders WHERE id = ?", (order_id,)).fetchone()[0] or ""
    if not po_number.startswith("BC-E2E-"):  # the demo's order, not the quick-order test's
        assert replaced and empty, "the demo's last order should show both kinds of change"

    repeat.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Commander à nouveau"))
    for x in replaced:
        expect(page.get_by_text(
            f"{x['name_fr']} ({x['sku']}) est arrêté : remplacé par {x['replacement']}."))\
            .to_be_visible()
        expect(page.get_by_role("checkbox", name=re.compile(re.escape(x["replacement"]))))\
            .to_be_checked()
    for x in empty:
        # The line itself, not the summary's link to it.
        item = page.get_by_role("main").get_by_role("listitem").filter(
            has_text=x["replacement"] or x["sku"], has_not=page.get_by_role("link")).first
        expect(item.get_by_text("0 en stock : le reste suivra en reliquat.")).to_be_visible()
    shot("reorder-preview")
    # Nothing wider than the phone (a long price used to push the page sideways).
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.get_by_text("Votre panier contient 1 ligne en ce moment.")).to_be_visible()
    expect(page.get_by_role("button", name="Ajouter à mon panier")).to_be_visible()
    page.get_by_role("button", name="Remplacer mon panier").click()

    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.get_by_text(re.compile(r"Votre panier contient maintenant \d+ ligne"))) \
        .to_be_visible()
    cart = page.get_by_role("list", name="Lignes du panier")
    expect(cart.get_by_role("listitem")).to_have_count(len(lines))
    expect(cart).not_to_contain_text(GLOVES)
    for x in lines:
        expect(cart).to_contain_text(x["replacement"] if x["discontinued"] else x["sku"])
    shot("reorder-cart")


def test_buyer_pastes_30_lines_fixes_them_and_orders_to_a_jobsite(
        page, live_server, shot, demo_db):
    gone, replacement = discontinued_with_replacement(demo_db)
    # The replacement is one more line, not a merge into one of the 27 good ones.
    good = [sku for sku in builder_skus(demo_db, 29) if sku != replacement][:28]
    mistyped, fixed = good[-1] + "X", good[-1]
    lines = [f"{sku}\t2" for sku in good[:-1]]  # 27 good lines
    lines.insert(5, f"{good[0]};3")  # the same product again: merged with line 1
    lines.insert(12, f"{mistyped} 4")  # unknown
    lines.insert(20, f"{gone},2")  # discontinued
    assert len(lines) == 30

    sign_in(page, live_server, "buyer@demo.test")
    empty_cart(page, live_server)
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Commande rapide")\
        .click()
    page.get_by_label("Coller des lignes").fill("\n".join(lines))
    page.get_by_role("button", name="Vérifier les lignes").last.click()

    summary = page.get_by_role("alert").filter(has_text="Lignes vérifiées")
    expect(summary).to_have_text(re.compile(
        r"Lignes vérifiées\s: 29\. Prêtes à commander\s: 27\. À corriger\s: 2\."))
    expect(summary.get_by_role("link", name=re.compile(re.escape(mistyped)))).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile(re.escape(gone)))).to_be_visible()
    shot("quick-order-checked")

    first = page.locator("#row-0")  # scoped by its SKU field below
    expect(page.get_by_role("combobox", name="Référence, ligne 1", exact=True)).to_have_value(
        good[0])
    expect(page.get_by_role("textbox", name="Quantité, ligne 1", exact=True)).to_have_value("5")
    expect(first.get_by_text("2 lignes fusionnées")).to_be_visible()

    def row_of(sku):
        field = page.get_by_role("combobox", name=re.compile(r"^Référence, ligne \d+$"))
        for i in range(field.count()):
            if field.nth(i).input_value() == sku:
                return i + 1
        raise AssertionError(f"{sku} is not in the form")

    n_unknown = row_of(mistyped)
    unknown = page.get_by_role("combobox", name=f"Référence, ligne {n_unknown}", exact=True)
    expect(unknown).to_have_attribute("aria-invalid", "true")
    status_unknown = page.locator(f"#row-{n_unknown - 1}-status")
    expect(status_unknown).to_contain_text("Référence inconnue")
    n_gone = row_of(gone)
    status_gone = page.locator(f"#row-{n_gone - 1}-status")
    expect(status_gone).to_contain_text(f"Arrêté, remplacé par {replacement}")
    shot("quick-order-errors")

    unknown.fill(fixed)  # the typo fixed: the row is checked again on change
    unknown.press("Tab")
    expect(status_unknown).to_contain_text("Prête à commander")
    page.get_by_role("button", name=f"Prendre {replacement}").click()
    expect(page.get_by_role("combobox", name=f"Référence, ligne {n_gone}", exact=True))\
        .to_have_value(replacement)
    expect(page.locator(f"#row-{n_gone - 1}-status")).to_contain_text("Prête à commander")
    shot("quick-order-fixed")

    page.get_by_role("button", name="Tout ajouter au panier").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.get_by_text("Lignes ajoutées à votre panier : 29.")).to_be_visible()
    expect(page.get_by_role("list", name="Lignes du panier").get_by_role("listitem"))\
        .to_have_count(29)
    page.get_by_role("link", name="Valider la commande").click()
    po = f"BC-E2E-{uuid.uuid4().hex[:6].upper()}"
    page.get_by_role("radio", name=re.compile("^Chantier Confluence")).check()
    page.get_by_label(re.compile(r"^N° de bon de commande")).fill(po)
    shot("checkout-jobsite-po")
    place_order(page)
    expect(page.get_by_role("main")).to_contain_text("Chantier Confluence")
    expect(page.get_by_role("main")).to_contain_text(po)
    shot("order-placed")


def test_buyer_keeps_a_list_for_a_jobsite_and_orders_it_in_one_tap(
        page, live_server, shot, demo_db):
    gloves = product(demo_db, GLOVES)
    name = f"Gratte-Ciel EPI {uuid.uuid4().hex[:4]}"
    sign_in(page, live_server, "buyer@demo.test")
    empty_cart(page, live_server)
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Listes").click()
    form = page.get_by_role("form", name="Nouvelle liste")
    form.get_by_label("Nom").fill(name)
    form.get_by_label("Chantier").select_option(label="Chantier Villeurbanne Gratte-Ciel")
    form.get_by_role("button", name="Créer la liste").click()
    expect(page.get_by_text(f"Liste « {name} » créée.")).to_be_visible()
    expect(page.get_by_text("Chantier : Chantier Villeurbanne Gratte-Ciel")).to_be_visible()
    list_url = page.url

    page.goto(f"{live_server}/catalog/p/{gloves['id']}")
    buy = page.get_by_role("region", name="Prix et commande")
    buy.get_by_label("Liste").select_option(label=name)
    buy.get_by_role("button", name="Ajouter à la liste").click()
    expect(page.get_by_role("status").filter(has_text=f"Ajouté à {name}")).to_be_visible()

    page.goto(live_server + "/lists/")
    expect(page.get_by_role("link", name=re.compile(
        re.escape(name) + r".*1 ligne.*Chantier Villeurbanne Gratte-Ciel"))).to_be_visible()
    page.get_by_role("link", name=re.compile("^" + re.escape(name))).click()
    expect(page).to_have_url(list_url)
    expect(page.get_by_role("main")).to_contain_text(GLOVES)
    shot("list-jobsite")
    page.get_by_role("button", name="Tout ajouter au panier").click()
    expect(page.get_by_text("1 ligne ajoutée à votre panier.")).to_be_visible()
    page.goto(live_server + "/cart/")
    cart = page.get_by_role("list", name="Lignes du panier").get_by_role("listitem")
    expect(cart).to_have_count(1)
    expect(cart.first).to_contain_text(GLOVES)


def test_dealer_finds_the_status_and_tracking_of_his_latest_order_in_two_taps(
        page, live_server, shot, demo_db):
    sign_in(page, live_server, "dealer@demo.test")
    latest = page.get_by_role("region", name="Dernière commande").get_by_role(
        "link", name=re.compile(r"^CMD-"))
    latest.click()  # tap 1 (sign-in lands on home)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Commande CMD-"))
    order_id = int(re.search(r"/orders/(\d+)", page.url).group(1))
    tracking = [r[0] for r in demo_db.execute(
        "SELECT tracking_number FROM shipments WHERE order_id = ?", (order_id,))]
    status = demo_db.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()[0]
    assert tracking, f"the dealer's latest demo order ({status}) has no shipment"
    for number in tracking:
        expect(page.get_by_text(number, exact=True)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(re.compile("Expédiée|Livrée"))
    shot("dealer-order-tracking")

    page.goto(live_server + "/")  # the other way: Commandes, then the order
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Commandes").click()
    page.get_by_role("list", name=re.compile("^Commandes")).get_by_role("link").first.click()
    expect(page.get_by_text(tracking[0], exact=True)).to_be_visible()


def test_double_tap_on_place_order_over_a_slow_line_creates_one_order(
        page, live_server, shot, demo_db):
    gloves = product(demo_db, GLOVES)
    sign_in(page, live_server, "chef@demo.test")
    chef_id = demo_db.execute("SELECT id FROM users WHERE email = 'chef@demo.test'").fetchone()[0]
    empty_cart(page, live_server)
    page.goto(f"{live_server}/catalog/p/{gloves['id']}")
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_role("status").filter(has_text="Ajouté")).to_be_visible()

    page.goto(live_server + "/orders/")
    history = page.get_by_role("list", name=re.compile("^Commandes"))
    newest_before = history.get_by_role("link").first.get_by_role("strong").inner_text()
    count_before = demo_db.execute(
        "SELECT COUNT(*) FROM orders WHERE placed_by_id = ?", (chef_id,)).fetchone()[0]

    page.goto(live_server + "/checkout/")
    client = page.context.new_cdp_session(page)
    client.send("Network.enable")
    client.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 400, "downloadThroughput": 200000,
        "uploadThroughput": 90000})
    page.get_by_role("button", name="Passer la commande").dblclick()
    expect(page).to_have_url(re.compile(r"/orders/\d+$"), timeout=30000)
    expect(page.get_by_text(PLACED)).to_be_visible()
    client.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    new_number = page.get_by_role("heading", level=1).inner_text().removeprefix("Commande ")
    shot("double-tap-one-order")

    count_after = demo_db.execute(
        "SELECT COUNT(*) FROM orders WHERE placed_by_id = ?", (chef_id,)).fetchone()[0]
    assert count_after == count_before + 1
    page.goto(live_server + "/orders/")
    numbers = history.get_by_role("link").get_by_role("strong")
    expect(numbers.nth(0)).to_have_text(new_number)
    expect(numbers.nth(1)).to_have_text(newest_before)


def test_second_buyer_orders_from_product_page_to_order_page_without_javascript(
        no_js_page, live_server, demo_db):
    page = no_js_page
    gloves = product(demo_db, GLOVES)
    step = gloves["order_multiple"]
    sign_in(page, live_server, "nicolas.garcia@durand-batiment.demo.test")
    page.goto(live_server + "/cart/")
    remove = page.get_by_role("main").get_by_role("button", name=re.compile("^Retirer "))
    while remove.count():
        remove.first.click()
    expect(page.get_by_text("Votre panier est vide.")).to_be_visible()

    page.goto(f"{live_server}/catalog/p/{gloves['id']}")
    buy = page.get_by_role("region", name="Prix et commande")
    expect(buy.get_by_role("textbox", name="Quantité")).to_have_value(str(gloves["case_pack"]))
    buy.get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_text(f"Ajouté : {gloves['case_pack']} ×")).to_be_visible()

    page.get_by_role("navigation", name="Principal").get_by_role("link", name=re.compile(
        "^Panier")).click()
    quantity = page.get_by_role("textbox", name=re.compile("^Quantité de"))
    expect(quantity).to_have_value(str(gloves["case_pack"]))
    page.get_by_role("button", name=f"Augmenter de {step}").click()
    expect(quantity).to_have_value(str(gloves["case_pack"] + step))
    quantity.fill(str(gloves["case_pack"] * 2))
    quantity.press("Enter")
    expect(quantity).to_have_value(str(gloves["case_pack"] * 2))

    page.get_by_role("link", name="Valider la commande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Valider la commande")
    place_order(page, po_number=f"BC-NOJS-{uuid.uuid4().hex[:6].upper()}")
    expect(page.get_by_role("main")).to_contain_text(GLOVES)
    expect(page.get_by_role("main")).to_contain_text(f"{gloves['case_pack'] * 2} ×")
