"""Quotes end to end at 360 × 640: a buyer asks for a quote on 30 cart lines with a target
price on two; the rep, from the e-mail's link, revises those two prices and replaces one
product; the buyer sees what changed, accepts, and the order carries the quoted prices and
waits for approval (over his limit); a second acceptance is refused; the chef of another
company cannot open the quote. Screenshots of every quote page."""

import re

from playwright.sync_api import expect

from e2e.ordering_helpers import builder_skus, demo_db, empty_cart, new_phone_page
from e2e.test_approvals import snap, wait_for_mail

__all__ = ["demo_db"]  # the fixture, imported for pytest

BUYER = "nicolas.garcia@durand-batiment.demo.test"  # 500 € per order, then approval
LINK = re.compile(r"https?://\S+/quotes/(?:desk/)?\d+")


def _price(db, sku: str) -> int:
    row = db.execute(
        "SELECT MIN(t.unit_price_cents) FROM price_tiers t JOIN products p ON p.id = t.product_id"
        " WHERE p.sku = ? AND t.min_qty = 1", (sku,)).fetchone()
    return row[0]


def _typed(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def test_quote_from_cart_revised_by_the_rep_and_accepted_into_an_order_for_approval(
        browser, live_server, mailbox, demo_db):
    skus = builder_skus(demo_db, 31, cheapest_first=False)
    skus, spare = skus[:30], skus[30]
    buyer_context, page = new_phone_page(browser, BUYER, live_server)
    empty_cart(page, live_server)
    page.goto(live_server + "/quick-order/")
    page.get_by_label("Coller des lignes").fill("\n".join(f"{sku}\t20" for sku in skus))
    page.get_by_role("button", name="Vérifier les lignes").last.click()
    page.get_by_role("button", name="Tout ajouter au panier").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.get_by_role("list", name="Lignes du panier").get_by_role("listitem"))\
        .to_have_count(30)

    page.get_by_role("link", name="Demander un devis").click()
    first, second = (_price(demo_db, s) for s in skus[:2])
    targets = {skus[0]: first * 85 // 100, skus[1]: second * 70 // 100}
    for sku, cents in targets.items():
        page.get_by_role("textbox", name=f"Prix unitaire objectif (facultatif) {sku}").fill(
            _typed(cents))
    page.get_by_label("Note pour le vendeur (facultatif)").fill("Lot complet pour le chantier B.")
    snap(page, "quote-ask")
    page.get_by_role("button", name="Envoyer la demande de devis").click()
    expect(page.get_by_text(re.compile(r"Demande de devis DEV-\d{4}-\d+ envoyée"))).to_be_visible()
    number = re.search(r"DEV-\d{4}-\d+", page.get_by_role("heading", level=1).inner_text())[0]
    quote_url = page.url
    snap(page, "quote-requested")
    expect(page.get_by_text("Votre panier est vide.")).to_have_count(0)

    # The rep opens the request from the e-mail's direct link.
    _mail, body = wait_for_mail(mailbox, "rep@demo.test", number)
    rep_context, rep = new_phone_page(browser, "rep@demo.test", live_server)
    rep.goto(live_server + "/quotes/desk")
    expect(rep.get_by_role("link", name=re.compile(number))).to_be_visible()
    snap(rep, "quote-desk-queue")
    rep.goto(LINK.search(body)[0])
    expect(rep.get_by_role("heading", name=f"Devis {number}")).to_be_visible()
    snap(rep, "quote-answer")
    # A discount of 120 % is refused at its field; nothing is sent.
    rep.get_by_role("textbox", name=f"ou remise {skus[2]}").fill("120")
    rep.get_by_role("button", name="Envoyer le devis").click()
    summary = rep.get_by_role("alert").get_by_role("link", name="Une remise est inférieure")
    expect(summary).to_be_visible()
    summary.click()  # to the field, its message under it
    discount = rep.get_by_role("textbox", name=f"ou remise {skus[2]}")
    expect(discount).to_have_attribute("aria-invalid", "true")
    expect(rep.locator("p.error").filter(has_text="Une remise est inférieure")).to_be_visible()
    snap(rep, "quote-answer-refused")
    rep.get_by_role("textbox", name=f"ou remise {skus[2]}").fill("")
    revised = {skus[0]: first * 9 // 10, skus[1]: second * 8 // 10}
    for sku, cents in revised.items():
        rep.get_by_role("textbox", name=f"Prix unitaire {sku}").fill(_typed(cents))
    rep.get_by_text(re.compile(f"^Quantité ou autre produit {re.escape(skus[3])}$")).click()
    rep.get_by_role("textbox", name=f"Remplacer par la référence {skus[3]}").fill(spare)
    rep.get_by_label("Conditions de livraison").fill("Livré sur chantier sous 5 jours")
    rep.get_by_role("button", name="Envoyer le devis").click()
    expect(rep.get_by_text(re.compile(f"Version 1 du devis {number} envoyée"))).to_be_visible()
    rep_context.close()

    # The buyer compares with his request, on his phone.
    wait_for_mail(mailbox, BUYER, number)
    second_tab = buyer_context.new_page()
    second_tab.goto(quote_url)  # opened before accepting: its form is the second acceptance
    page.goto(quote_url)
    expect(page.get_by_text("Par rapport à votre demande : 3 lignes modifiées.")).to_be_visible()
    changes = page.get_by_role("region", name="Ce qui a changé")
    expect(changes.get_by_role("listitem")).to_have_count(3)
    expect(changes).to_contain_text(f"remplace {skus[3]}")
    changes.scroll_into_view_if_needed()
    snap(page, "quote-changes")
    expect(page.get_by_text(re.compile(r"Votre objectif\s: " + _typed(targets[skus[0]]))))\
        .to_be_visible()
    expect(page.get_by_text(re.compile(f"au lieu de {re.escape(skus[3])}"))).to_be_visible()
    page.get_by_text(re.compile(f"au lieu de {re.escape(skus[3])}")).scroll_into_view_if_needed()
    snap(page, "quote-compare")
    page.get_by_role("radio").first.check()
    page.get_by_label("N° de bon de commande (obligatoire)").fill("BC-DEVIS-1")
    snap(page, "quote-accept-form")
    page.get_by_role("button", name="Accepter et commander").click()
    expect(page.get_by_text(re.compile(r"Devis accepté\s: la commande CMD-\d{4}-\d+ attend une "
                                       r"approbation"))).to_be_visible()
    order_number = re.search(r"CMD-\d{4}-\d+", page.get_by_role("heading", level=1).inner_text())[0]
    expect(page.get_by_text(number)).to_be_visible()  # "Issue du devis"
    cents = revised[skus[0]]
    expect(page.get_by_role("main")).to_contain_text(_typed(cents))
    snap(page, "quote-order")

    # The second tab's acceptance is refused: still one order.
    second_tab.get_by_role("radio").first.check()
    second_tab.get_by_label("N° de bon de commande (obligatoire)").fill("BC-DEVIS-2")
    second_tab.get_by_role("button", name="Accepter et commander").click()
    expect(second_tab.get_by_text(f"Ce devis a déjà été accepté : commande {order_number}.")
           ).to_be_visible()
    snap(second_tab, "quote-second-acceptance")
    orders = demo_db.execute("SELECT COUNT(*) FROM orders o JOIN quotes q ON q.id = o.quote_id"
                             " WHERE q.number = ?", (number,)).fetchone()[0]
    assert orders == 1
    buyer_context.close()

    # The approver sees the order came from the quote; the chef cannot open it.
    manager_context, manager = new_phone_page(browser, "manager@demo.test", live_server)
    manager.goto(live_server + "/approvals/")
    manager.get_by_role("link", name=order_number, exact=True).click()
    expect(manager.get_by_text(f"{number} : prix convenus avec le vendeur")).to_be_visible()
    snap(manager, "quote-approval")
    manager_context.close()
    chef_context, chef = new_phone_page(browser, "chef@demo.test", live_server)
    answer = chef.goto(quote_url)
    assert answer.status == 404
    chef_context.close()


def test_the_other_quote_pages_at_360(browser, live_server, demo_db):
    """The demo's quotes on the buyer's list, a product's request form, staff starting one."""
    context, page = new_phone_page(browser, "buyer@demo.test", live_server)
    page.goto(live_server + "/quotes/")
    expect(page.get_by_text("Répondu")).to_be_visible()
    expect(page.get_by_text("En attente du vendeur")).to_be_visible()
    snap(page, "quote-list")
    gloves = demo_db.execute("SELECT id FROM products WHERE sku = 'GAN-NIT-M-SEC'").fetchone()[0]
    page.goto(f"{live_server}/catalog/p/{gloves}")
    page.get_by_role("link", name="Demander un devis").click()
    page.get_by_label("Quantité").fill("7")
    page.get_by_role("button", name="Envoyer la demande de devis").click()
    expect(page.get_by_role("alert")).to_be_visible()  # not a multiple of the pack
    snap(page, "quote-ask-product-refused")
    list_id = demo_db.execute(
        "SELECT l.id FROM shopping_lists l JOIN users u ON u.id = l.owner_id"
        " WHERE u.email = 'buyer@demo.test' ORDER BY l.id").fetchone()[0]
    page.goto(f"{live_server}/lists/{list_id}")
    page.get_by_role("link", name="Demander un devis").click()
    expect(page.get_by_text(re.compile(r"Chaque ligne de la liste"))).to_be_visible()
    snap(page, "quote-ask-list")
    context.close()
    context, staff = new_phone_page(browser, "staff@demo.test", live_server)
    durand = demo_db.execute("SELECT id FROM companies WHERE name = 'Durand Bâtiment'"
                             ).fetchone()[0]
    staff.goto(f"{live_server}/staff/customers/{durand}")
    staff.get_by_role("link", name="Créer un devis pour ce client").click()
    expect(staff.get_by_role("heading", name="Nouveau devis pour Durand Bâtiment")).to_be_visible()
    snap(staff, "quote-start")
    context.close()



def test_a_file_over_the_limit_is_refused_on_choosing_it_and_the_message_stays(
        browser, live_server, demo_db):
    """A 25 MB PDF chosen on the quote thread: the file field says the limits at once and
    the form is not sent, so the message typed above it is still there to send."""
    quote_id = demo_db.execute(
        "SELECT q.id FROM quotes q JOIN users u ON u.id = q.buyer_id"
        " WHERE u.email = 'buyer@demo.test' ORDER BY q.id").fetchone()[0]
    context, page = new_phone_page(browser, "buyer@demo.test", live_server)
    page.goto(f"{live_server}/quotes/{quote_id}")
    page.get_by_label("Votre message").fill("Voici le plan du 2e étage")
    chooser = page.get_by_label("Une photo ou un PDF (facultatif)")
    chooser.set_input_files(files=[{"name": "plan.pdf", "mimeType": "application/pdf",
                                    "buffer": b"%PDF-1.7\n" + b"0" * 25_000_000}])
    assert "20 Mo" in chooser.evaluate("input => input.validationMessage")
    expect(page.get_by_role("alert")).to_contain_text("PDF jusqu'à 20 Mo")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page).to_have_url(f"{live_server}/quotes/{quote_id}")
    expect(page.get_by_label("Votre message")).to_have_value("Voici le plan du 2e étage")
    snap(page, "quote-file-too-large")
    context.close()
