"""Dead ends found by a new buyer at 360 × 640 (issue 11): the checkout error summary, the
quick order's partial add, live recount, "did you mean" and marked fields, the reorder
summary. Each flow is also run without JavaScript where it is a form."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import builder_skus, demo_db, empty_cart, product

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


def _summary(page):
    return page.locator("#qo-summary")


def test_quick_order_mistakes_are_marked_guessed_removed_and_recounted_as_they_are_fixed(
        page, live_server, demo_db, shot):
    good = builder_skus(demo_db, 5, cheapest_first=False)
    lines = [f"{good[0]} 2", f"{good[1]} 2", f"{good[2]} 2", f"{good[3]}X 2", f"{good[4]} x",
             "ZZQQ-999 1"]
    sign_in(page, live_server, EMILIE)
    empty_cart(page, live_server)
    page.goto(live_server + "/quick-order/")
    page.get_by_label("Coller des lignes").fill("\n".join(lines))
    page.get_by_role("button", name="Vérifier les lignes").last.click()
    summary = _summary(page)
    expect(summary).to_contain_text(
        "Lignes vérifiées : 6. Prêtes à commander : 3. À corriger : 3.".replace(" :", "\u202f:"))

    # Only the wrong field is marked, described by the row's message, and not by colour alone.
    typo = page.get_by_role("combobox", name="Référence, ligne 4", exact=True)
    expect(typo).to_have_attribute("aria-invalid", "true")
    expect(typo).to_have_accessible_description(re.compile("Référence inconnue"))
    expect(typo).to_have_css("border-top-width", "3px")
    expect(page.get_by_role("textbox", name="Quantité, ligne 4", exact=True)) \
        .not_to_have_attribute("aria-invalid", "true")
    bad_qty = page.get_by_role("textbox", name="Quantité, ligne 5", exact=True)
    expect(bad_qty).to_have_attribute("aria-invalid", "true")
    shot("quick-order-marked")

    # "Did you mean" among products this buyer can order; one tap fixes the row.
    page.get_by_role("button", name=re.compile(r"^Prendre " + re.escape(good[3]) + " ")).click()
    expect(typo).to_have_value(good[3])
    expect(summary).to_contain_text("À corriger\u202f: 2.")
    expect(summary).to_contain_text("Prêtes à commander\u202f: 4.")

    bad_qty.fill("2")
    bad_qty.press("Tab")
    expect(page.locator("#row-4-status")).to_contain_text("Prête à commander")
    expect(bad_qty).not_to_have_attribute("aria-invalid", "true")
    expect(summary).to_contain_text("À corriger\u202f: 1.")

    # A line that cannot be fixed can go.
    page.get_by_role("button", name="Retirer la ligne 6").click()
    expect(page.get_by_role("combobox", name="Référence, ligne 6", exact=True)).to_have_count(0)
    expect(summary).to_contain_text(
        "Lignes vérifiées\u202f: 5. Prêtes à commander\u202f: 5. À corriger\u202f: 0.")
    shot("quick-order-recounted")
    page.get_by_role("button", name="Tout ajouter au panier").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.get_by_role("list", name="Lignes du panier").get_by_role("listitem")) \
        .to_have_count(5)


def test_without_javascript_the_ready_lines_go_to_the_cart_and_the_mistakes_stay(
        no_js_page, live_server, demo_db, shot):
    page = no_js_page
    good = builder_skus(demo_db, 4, cheapest_first=False)
    lines = [f"{sku} 3" for sku in good] + [f"{good[0]}X 1"]
    sign_in(page, live_server, EMILIE)
    empty_cart(page, live_server)
    page.goto(live_server + "/quick-order/")
    page.get_by_label("Coller des lignes").fill("\n".join(lines))
    page.get_by_role("button", name="Tout ajouter au panier").click()
    expect(page.get_by_text("Corrigez d'abord les lignes en rouge")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Ajouter les 4 lignes prêtes")).click()

    expect(page.get_by_role("status").filter(has_text="4 lignes ajoutées à votre panier.")) \
        .to_contain_text("La ligne ci-dessous reste à corriger")
    kept = page.get_by_role("combobox", name="Référence, ligne 1", exact=True)
    expect(kept).to_have_value(f"{good[0]}X")
    expect(page.get_by_role("combobox", name=re.compile(r"^Référence, ligne"))).to_have_count(1)
    shot("quick-order-kept-nojs")
    page.get_by_role("button", name="Retirer la ligne 1").click()
    expect(page.locator(f'input[value="{good[0]}X"]')).to_have_count(0)
    page.goto(live_server + "/cart/")
    expect(page.get_by_role("list", name="Lignes du panier").get_by_role("listitem")) \
        .to_have_count(4)


def test_reorder_preview_sums_up_the_changes_above_the_fold_with_links_to_the_lines(
        page, live_server, demo_db, shot):
    # Emilie's past order with the most lines short of stock or discontinued.
    order = demo_db.execute(
        """SELECT o.id, COUNT(*) AS changed FROM orders o
           JOIN users u ON u.id = o.placed_by_id JOIN order_lines l ON l.order_id = o.id
           JOIN products p ON p.id = l.product_id
           WHERE u.email = ? AND (p.discontinued OR
                 (SELECT COALESCE(SUM(quantity), 0) FROM stock s WHERE s.product_id = p.id)
                 < l.quantity)
           GROUP BY o.id ORDER BY changed DESC, o.id DESC LIMIT 1""", (EMILIE,)).fetchone()
    assert order is not None and order["changed"] >= 1
    sign_in(page, live_server, EMILIE)
    page.goto(f"{live_server}/orders/{order['id']}/reorder")
    summary = page.get_by_role("region", name="Ce qui a changé depuis")
    expect(summary).to_be_visible()
    box = summary.bounding_box()
    assert box["y"] < 640, "the summary starts on the first screen"
    expect(summary).to_contain_text(re.compile(r"Total HT aujourd'hui\s?: .+ \(il était de .+\)"))
    counts = summary.get_by_role("listitem").filter(
        has_text=re.compile(r"pas entièrement en stock|remplacée|ne peu\w+ plus"))
    expect(counts).not_to_have_count(0)
    shot("reorder-summary")
    links = summary.get_by_role("list", name="Aller à une ligne modifiée").get_by_role("link")
    expect(links).not_to_have_count(0)
    target = links.first.get_attribute("href")
    links.first.click()
    line = page.locator(target)
    expect(line).to_be_in_viewport()
    expect(line.get_by_role("list").get_by_role("listitem")).not_to_have_count(0)
