"""Back office end to end: account applications, fulfilment in two shipments, a sales rep
ordering on a customer's behalf, and a 1,000-customer CSV import."""

import re

from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import empty_cart, new_phone_page
from e2e.test_approvals import snap, wait_for_mail
from portal.demo.seed import luhn_complete


def test_visitor_applies_on_a_phone_and_staff_approves_in_two_taps(
        page, live_server, mailbox, browser, shot):
    siret = luhn_complete("8123456780001")
    page.goto(live_server + "/apply/")
    expect(page.get_by_role("heading", name="Ouvrir un compte professionnel")).to_be_visible()
    page.get_by_label("Raison sociale").fill("Menuiserie E2E")
    page.get_by_label("N° SIRET ou de TVA").fill(siret)
    page.get_by_label("Métier").select_option(label="Autre")
    page.get_by_label("Adresse", exact=True).fill("12 rue des Copeaux")
    page.get_by_label("Code postal").fill("69003")
    page.get_by_label("Ville").fill("Lyon")
    page.get_by_label("Votre nom").fill("Lucie Menuisier")
    page.get_by_label("E-mail").fill("contact@menuiserie-e2e.example")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    shot("apply-form")
    page.get_by_role("button", name="Demander l'ouverture du compte").click()
    expect(page.get_by_role("heading", name="Merci, votre demande est envoyée")).to_be_visible()
    shot("apply-sent")

    context, staff = new_phone_page(browser, None, live_server)
    try:
        sign_in(staff, live_server, "staff@demo.test")
        # Tap 1: the home card's link to the queue; tap 2: Approve on the card.
        staff.get_by_role("link", name=re.compile(r"\d+ demandes? à examiner")).click()
        card = staff.get_by_role("article", name="Menuiserie E2E")
        expect(card).to_contain_text("contact@menuiserie-e2e.example")
        expect(card).to_contain_text(siret)
        card.scroll_into_view_if_needed()
        snap(staff, "apply-staff-queue")
        card.get_by_role("button", name="Valider", exact=True).click()
        expect(card).to_contain_text("Menuiserie E2E est validé ; l'invitation est envoyée.")
        snap(staff, "apply-staff-approved")
    finally:
        context.close()

    _message, body = wait_for_mail(mailbox, "contact@menuiserie-e2e.example", "/password/set/")
    assert re.search(r"http://\S+/password/set/\S+", body)


def test_warehouse_ships_a_dealer_order_in_two_parts_and_the_dealer_sees_both_trackings(
        page, live_server, browser, shot):
    # The dealer orders two products (Quincaillerie Martin needs no approval).
    sign_in(page, live_server, "dealer@demo.test")
    empty_cart(page, live_server)
    page.goto(live_server + "/quick-order/")
    page.get_by_label("Coller des lignes").fill("MAC-PEL 4\nMAC-PIO 2")
    page.get_by_role("button", name="Tout ajouter au panier").click()
    page.get_by_role("link", name="Valider la commande").click()
    page.get_by_role("button", name="Passer la commande").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+"))
    order_url = page.url
    number = page.get_by_role("heading", level=1).inner_text().removeprefix("Commande ").strip()

    context, hands = new_phone_page(browser, None, live_server)
    try:
        sign_in(hands, live_server, "warehouse@demo.test")
        hands.get_by_role("link", name="Ouvrir la file logistique").click()
        hands.get_by_label("Statut").select_option(label="Transmise")
        hands.get_by_label("N° de commande, PO ou référence").fill(number)
        row = hands.get_by_role("link").filter(has_text=number)
        expect(row).to_contain_text("Quincaillerie Martin")
        snap(hands, "fulfilment-queue")
        row.click()
        expect(hands.get_by_role("heading", name=f"Commande {number}")).to_be_visible()
        hands.get_by_role("button", name="Confirmer").click()
        expect(hands.get_by_text(f"Commande {number} confirmée.")).to_be_visible()

        # First shipment: the shovels only.
        hands.get_by_label("Quantité à expédier pour MAC-PIO").fill("0")
        hands.get_by_label("Transporteur").fill("Geodis")
        hands.get_by_label("N° de suivi").fill("TRK-E2E-1")
        snap(hands, "fulfilment-ship-1")
        hands.get_by_role("button", name="Enregistrer l'expédition").click()
        expect(hands.get_by_text("Expédition enregistrée.")).to_be_visible()
        expect(hands.get_by_role("main")).to_contain_text("Partiellement expédiée")
        expect(hands.get_by_label("Quantité à expédier pour MAC-PEL")).to_have_count(0)

        # Second shipment: the rest.
        expect(hands.get_by_label("Quantité à expédier pour MAC-PIO")).to_have_value("2")
        hands.get_by_label("Transporteur").fill("Geodis")
        hands.get_by_label("N° de suivi").fill("TRK-E2E-2")
        hands.get_by_role("button", name="Enregistrer l'expédition").click()
        expect(hands.get_by_role("main")).to_contain_text("TRK-E2E-2")
        expect(hands.get_by_role("main").locator("header")).to_contain_text("Expédiée")
        snap(hands, "fulfilment-shipped")
    finally:
        context.close()

    page.goto(order_url)
    shipments = page.get_by_role("main").get_by_role("listitem").filter(
        has=page.get_by_text("N° de suivi", exact=True))
    expect(shipments).to_have_count(2)
    expect(shipments.filter(has_text="TRK-E2E-1")).to_contain_text("MAC-PEL")
    expect(shipments.filter(has_text="TRK-E2E-2")).to_contain_text("MAC-PIO")
    shipments.first.scroll_into_view_if_needed()
    shot("fulfilment-dealer-sees-shipments")


def test_rep_orders_for_durand_as_julien_and_the_order_says_who_placed_it(
        page, live_server, shot):
    sign_in(page, live_server, "rep@demo.test")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Back-office")\
        .click()
    page.get_by_role("main").get_by_role("link", name="Clients").click()
    page.get_by_role("link", name=re.compile("Durand Bâtiment")).click()
    page.get_by_role("button", name="Commander pour ce client en tant que Julien Moreau").click()
    banner = page.get_by_role("region", name="Commande pour un client")
    expect(banner).to_contain_text(
        "Vous commandez pour Durand Bâtiment en tant que Julien Moreau")
    shot("acting-banner")

    empty_cart(page, live_server)
    expect(banner).to_be_visible()
    page.goto(live_server + "/quick-order/")
    page.get_by_label("Coller des lignes").fill("MAC-PEL 3")
    page.get_by_role("button", name="Tout ajouter au panier").click()
    page.get_by_role("link", name="Valider la commande").click()
    page.get_by_label("N° de bon de commande (obligatoire)").fill("BC-E2E-REP")
    page.get_by_role("button", name="Passer la commande").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+"))
    expect(page.get_by_role("main")).to_contain_text(
        "saisie par Thomas Rep pour le compte du client")
    expect(page.get_by_role("main")).to_contain_text("Julien Moreau")
    shot("acting-order-placed")

    banner.get_by_role("button", name="Arrêter").click()
    expect(page.get_by_text("Vous êtes revenu à votre propre compte.")).to_be_visible()
    expect(page.get_by_role("region", name="Commande pour un client")).to_have_count(0)
    page.get_by_role("link", name="Accueil", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Thomas")


COLUMNS = "company_name;payment_terms;address_line;postal_code;city;user_email;user_name"


def customers_csv(path, bad: bool):
    rows = [COLUMNS]
    for i in range(1, 1001):
        terms, email, name = "net30", f"client{i:04d}@clients-e2e.example", f"Gérant {i:04d}"
        if bad and i == 100:
            email = "client0100-at-clients-e2e.example"
        if bad and i == 500:
            name = ""
        if bad and i == 900:
            terms = "net45"
        rows.append(f"Client E2E {i:04d} SARL;{terms};{i} rue du Test;69001;Lyon;{email};{name}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def upload(page, live_server, path):
    page.goto(live_server + "/staff/imports/")
    page.get_by_label("Contenu du fichier").select_option(label="Clients et leurs utilisateurs")
    page.get_by_label("Fichier CSV").set_input_files(str(path))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page).to_have_url(re.compile(r"/staff/imports/\d+"))


def test_staff_imports_1000_customers_after_fixing_the_3_bad_rows_the_dry_run_found(
        page, live_server, mailbox, tmp_path, shot):
    sign_in(page, live_server, "staff@demo.test")
    upload(page, live_server, customers_csv(tmp_path / "clients.csv", bad=True))
    expect(page.get_by_text("3 problèmes trouvés")).to_be_visible(timeout=60_000)
    problems = page.get_by_role("table").get_by_role("row")
    expect(problems).to_have_count(4)  # header + 3
    expect(problems.nth(1)).to_contain_text(
        re.compile(r"101\s*user_email\s*adresse e-mail non valide"))
    expect(problems.nth(2)).to_contain_text(re.compile(r"501\s*user_name\s*obligatoire"))
    expect(problems.nth(3)).to_contain_text(re.compile(r"901\s*payment_terms\s*valeurs possibles"))
    expect(page.get_by_role("button", name="Importer")).to_have_count(0)
    shot("import-dry-run-problems")

    page.get_by_role("link", name="Vérifier un fichier corrigé").click()
    upload(page, live_server, customers_csv(tmp_path / "clients-corrige.csv", bad=False))
    expect(page.get_by_text("Aucun problème trouvé dans 1000 lignes.")).to_be_visible(
        timeout=60_000)
    expect(page.get_by_role("main")).to_contain_text(
        "1000 entreprises et 1000 utilisateurs seront créés.")
    shot("import-dry-run-clean")
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text("Import lancé : toutes les lignes sont enregistrées, ou aucune."))\
        .to_be_visible()
    shot("import-committing")
    expect(page.get_by_role("main")).to_contain_text(
        "1000 entreprises et 1000 utilisateurs créés ; 1000 invitations envoyées.",
        timeout=180_000)
    expect(page.get_by_role("progressbar")).to_have_count(0)
    shot("import-done")
    wait_for_mail(mailbox, "client0001@clients-e2e.example", "/password/set/", seconds=180)
