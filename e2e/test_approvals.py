"""Approvals end to end (over the buyer's limit, two-step large orders) and company users
(invite, set a password, disable: the open session ends)."""

import re
import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, sign_in
from e2e.ordering_helpers import empty_cart, new_phone_page

# Prices are read on the page; these SKUs are sold by the unit (no case, no multiple).
OVER_LIMIT_LINES = "MIT-TH-CHR 10\nRAD-T11-600 12"  # about 1,450 € HT
LARGE_LINES = "WC-POS-PMR 20\nWC-BATI-BLC 22"  # about 6,000 € HT


def snap(page, name: str) -> None:
    """A picture for people to look at, asserted by nothing: a busy machine's Chromium
    sometimes has no frame ready ("Unable to capture screenshot"), so it gets a second try
    once the page has settled."""
    SCREENSHOTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    except PlaywrightError:
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def euros(text: str) -> float:
    """"1 452,30 €" (French, narrow no-break spaces) -> 1452.3"""
    digits = re.sub(r"[^\d,]", "", text).replace(",", ".")
    return float(digits)


def wait_for_mail(mailbox, to: str, needle: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in list(mailbox.messages):
            if to in (message["To"] or ""):
                body = message.get_body(("plain",)).get_content()
                if needle in body or needle in (message["Subject"] or ""):
                    return message, body
        time.sleep(0.2)
    seen = [(m["To"], m["Subject"]) for m in mailbox.messages if to in (m["To"] or "")]
    raise AssertionError(f"no email to {to} mentioning {needle!r}; to them: {seen}; "
                         f"{len(mailbox.messages)} emails in all")


def fill_cart_by_paste(page, base_url: str, lines: str) -> float:
    """Quick order: paste, check (prices shown), add all. Returns the checked total HT."""
    page.goto(base_url + "/quick-order/")
    page.get_by_label("Coller des lignes").fill(lines)
    page.get_by_role("button", name="Vérifier les lignes").last.click()
    total = page.get_by_text(re.compile(r"^Total HT")).locator("strong")
    expect(total).to_be_visible()
    amount = euros(total.inner_text())
    page.get_by_role("button", name="Tout ajouter au panier").click()
    expect(page).to_have_url(re.compile(r"/cart/"))
    return amount


def place_to_jobsite(page, jobsite: str, po: str) -> str:
    """From the cart: checkout to a jobsite with a PO number. Returns the order number."""
    page.get_by_role("link", name="Valider la commande").click()
    page.get_by_role("radio", name=re.compile(jobsite)).check()
    page.get_by_label("N° de bon de commande (obligatoire)").fill(po)
    page.get_by_role("button", name="Passer la commande").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"Commande \S+"))
    return heading.inner_text().removeprefix("Commande ").strip()


def test_buyer_over_his_limit_sees_who_approves_and_the_manager_trims_and_approves_by_email(
        page, live_server, mailbox, browser, shot):
    sign_in(page, live_server, "buyer@demo.test")
    empty_cart(page, live_server)
    total = fill_cart_by_paste(page, live_server, OVER_LIMIT_LINES)
    assert 1_000 < total < 5_000, total

    # Before submitting: who must approve, and why.
    needs = page.get_by_role("list", name="Validation")
    expect(needs).to_contain_text(re.compile(
        r"Validation requise par Sophie Durand \(responsable des achats\)\s*:"
        r" au-delà de votre plafond de 1\s000\s€ par commande"))
    shot("approvals-cart-needs-approval")

    number = place_to_jobsite(page, "Chantier Confluence", "BC-E2E-1500")
    order_url = page.url
    expect(page.get_by_text(f"Commande {number} envoyée pour validation à Sophie Durand"))\
        .to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("En attente de validation")
    shot("approvals-order-waiting")

    # The manager's email links straight to the decision page.
    _message, body = wait_for_mail(mailbox, "manager@demo.test", number)
    # the inbox link (the email also carries the one-decision link, /approvals/<id>/link/...)
    link = re.search(r"http://\S+/approvals/\d+(?=\s)", body)
    assert link, body
    context, manager = new_phone_page(browser, None, live_server)
    try:
        manager.goto(link.group(0))
        expect(manager).to_have_url(re.compile(r"/login"))
        manager.get_by_label("E-mail").fill("manager@demo.test")
        manager.get_by_label("Mot de passe").fill("demo-password")
        manager.get_by_role("button", name="Se connecter").click()
        expect(manager).to_have_url(link.group(0))
        expect(manager.get_by_role("heading", level=1)).to_have_text(f"Commande {number}")
        expect(manager.get_by_role("main")).to_contain_text("Julien Moreau")
        expect(manager.get_by_role("main")).to_contain_text("Chantier Confluence")
        snap(manager, "approvals-manager-detail")

        manager.get_by_label("Quantité MIT-TH-CHR").fill("6")
        manager.get_by_role("button", name="Valider avec modifications").click()
        expect(manager.get_by_text("Commande validée avec vos modifications")).to_be_visible()
        snap(manager, "approvals-manager-approved")
    finally:
        context.close()

    # The buyer sees the decision and the change on the order's history.
    page.goto(order_url)
    main = page.get_by_role("main")
    expect(main.locator(".order-status")).to_contain_text("Transmise")
    history = main.get_by_role("list").filter(has_text="Ligne réduite")
    expect(history).to_contain_text(re.compile(r"passée de 10 à 6 par Sophie Durand"))
    decision = history.get_by_role("listitem").filter(has_text="Toutes les validations")
    expect(decision).to_contain_text("par Sophie Durand")
    line = main.get_by_role("listitem").filter(has_text="MIT-TH-CHR").first
    expect(line).to_contain_text("6 ×")
    history.scroll_into_view_if_needed()
    shot("approvals-buyer-timeline")
    wait_for_mail(mailbox, "buyer@demo.test", f"La commande {number} a été validée avec")


def test_a_6000_euro_order_needs_the_manager_then_the_company_admin(
        page, live_server, mailbox, browser, shot):
    sign_in(page, live_server, "buyer@demo.test")
    empty_cart(page, live_server)
    total = fill_cart_by_paste(page, live_server, LARGE_LINES)
    assert 5_000 < total < 8_000, total
    expect(page.get_by_role("list", name="Validation")).to_contain_text("Sophie Durand")
    shot("approvals-large-cart")
    number = place_to_jobsite(page, "Chantier Villeurbanne Gratte-Ciel", "BC-E2E-6000")
    order_url = page.url

    wait_for_mail(mailbox, "manager@demo.test", number)
    context, manager = new_phone_page(browser, None, live_server)
    try:
        sign_in(manager, live_server, "manager@demo.test")
        manager.goto(live_server + "/approvals/")
        manager.get_by_role("button", name=f"Valider la commande {number}").click()
        expect(manager.get_by_text("Commande validée.")).to_be_visible()
        expect(manager.get_by_role("link", name=number, exact=True)).to_have_count(0)
    finally:
        context.close()

    # Step 2: the company admin's inbox now holds it (and an email says so).
    page.goto(order_url)
    expect(page.get_by_role("main").locator(".order-status")).to_contain_text(
        "En attente de validation")
    wait_for_mail(mailbox, "admin@demo.test", number)
    context, admin = new_phone_page(browser, None, live_server)
    try:
        sign_in(admin, live_server, "admin@demo.test")
        admin.goto(live_server + "/approvals/")
        admin.get_by_role("link", name=number, exact=True).click()
        expect(admin.get_by_role("heading", name="Étapes de validation")).to_be_visible()
        snap(admin, "approvals-admin-step2")
        admin.get_by_role("button", name="Valider", exact=True).click()
        expect(admin.get_by_text("Commande validée.")).to_be_visible()
    finally:
        context.close()

    page.goto(order_url)
    main = page.get_by_role("main")
    expect(main.locator(".order-status")).to_contain_text("Transmise")
    expect(main).to_contain_text("Toutes les validations sont données : la commande est transmise.")
    shot("approvals-large-submitted")


def test_admin_invites_a_buyer_who_signs_in_then_is_disabled_and_loses_his_session(
        page, live_server, mailbox, browser, shot):
    email = "new.buyer@durand.example"
    sign_in(page, live_server, "admin@demo.test")
    page.get_by_role("main").get_by_role("link", name="Utilisateurs").click()
    page.get_by_role("link", name="Inviter un utilisateur").click()
    page.get_by_label("Nom").fill("Nouveau Acheteur")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Rôle").select_option(label="Acheteur")
    page.get_by_label("Plafond par commande (EUR, vide : aucun)").fill("300")
    shot("company-invite-form")
    page.get_by_role("button", name="Inviter").click()
    expect(page.get_by_text(f"Invitation envoyée à {email}.")).to_be_visible()
    row = page.get_by_role("list", name="Utilisateurs").get_by_role("listitem").filter(
        has_text=email)
    expect(row).to_contain_text("invité")
    expect(row).to_contain_text(re.compile(r"Plafond\s*:\s*300,00\s€"))
    shot("company-invited")

    _message, body = wait_for_mail(mailbox, email, "/password/set/")
    link = re.search(r"http://\S+/password/set/\S+", body).group(0)
    context, newcomer = new_phone_page(browser, None, live_server)
    try:
        newcomer.goto(link)
        newcomer.get_by_label("Nouveau mot de passe", exact=True).fill("chantier propre 2026 ok")
        newcomer.get_by_label("Répétez le nouveau mot de passe").fill("chantier propre 2026 ok")
        newcomer.get_by_role("button", name="Enregistrer mon mot de passe").click()
        expect(newcomer.get_by_text("Votre mot de passe est enregistré")).to_be_visible()
        expect(newcomer.get_by_role("heading", level=1)).to_have_text("Bonjour Nouveau")
        snap(newcomer, "company-newcomer-home")

        # The admin disables them: their open session ends on the next page load.
        page.reload()
        page.get_by_role("link", name="Nouveau Acheteur").click()
        page.get_by_role("link", name="Désactiver").click()
        page.get_by_role("button", name="Désactiver").click()
        expect(page.get_by_text("Nouveau Acheteur est désactivé et déconnecté.")).to_be_visible()
        expect(row).to_contain_text("désactivé")

        newcomer.goto(live_server + "/orders/")
        expect(newcomer).to_have_url(re.compile(r"/login"))
        snap(newcomer, "company-newcomer-signed-out")
    finally:
        context.close()
