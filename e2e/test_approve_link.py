"""Approve from the notification: the manager opens the email's link on a phone that never
signed in, and approves in two taps (the link, then Approve); the link never works again
and opens nothing else."""

import re

from playwright.sync_api import expect

from e2e.conftest import PHONE, sign_in
from e2e.ordering_helpers import empty_cart, new_phone_page
from e2e.test_approvals import (
    OVER_LIMIT_LINES,
    fill_cart_by_paste,
    place_to_jobsite,
    snap,
    wait_for_mail,
)


def blocking_axe_violations(page) -> list[str]:
    """UX.md's budget: no serious or critical axe violation, and no sideways scrolling."""
    from e2e.test_accessibility import AXE, BLOCKING, OPTIONS, _describe

    result = AXE.run(page, options=OPTIONS).response
    found = [_describe(v) for v in result["violations"] if v["impact"] in BLOCKING]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["viewport"]["width"]:
        found.append(f"scrolls sideways: {width} px wide")
    return found


DIRECT = re.compile(r"http://\S+/approvals/\d+/link/[A-Za-z0-9_.\-]+")


def test_a_fresh_phone_approves_from_the_email_link_in_two_taps_and_never_after(
        page, live_server, mailbox, browser):
    sign_in(page, live_server, "buyer@demo.test")
    empty_cart(page, live_server)
    fill_cart_by_paste(page, live_server, OVER_LIMIT_LINES)
    number = place_to_jobsite(page, "Chantier Confluence", "BC-E2E-LINK")

    _message, body = wait_for_mail(mailbox, "manager@demo.test", number)
    link = DIRECT.search(body).group(0)
    context, manager = new_phone_page(browser, None, live_server)
    taps = 0
    try:
        manager.goto(link)  # tap 1: the link in the email
        taps += 1
        expect(manager.get_by_role("heading", level=1)).to_have_text(f"Commande {number}")
        main = manager.get_by_role("main")
        expect(main).to_contain_text("Julien Moreau")
        expect(main).to_contain_text("Chantier Confluence")
        expect(main).to_contain_text("MIT-TH-CHR")
        approve = manager.get_by_role("button", name="Valider", exact=True)
        expect(approve).to_be_in_viewport()  # the sticky bar: no scrolling before the tap
        snap(manager, "approve-link-page")
        assert blocking_axe_violations(manager) == []

        approve.click()  # tap 2
        taps += 1
        expect(manager.get_by_role("heading", level=1)).to_have_text("Décision enregistrée")
        expect(manager.get_by_role("status").filter(has_text="Commande validée.")).to_be_visible()
        expect(main).to_contain_text("Ce lien est maintenant utilisé")
        snap(manager, "approve-link-done")
        assert taps <= 2, taps

        # Never after: a reload of the same address, in the browser that used it.
        expect(manager).to_have_url(link)
        manager.reload()
        expect(main).to_contain_text("Ce lien de validation a déjà été utilisé")
        expect(manager.get_by_role("button", name="Valider", exact=True)).to_have_count(0)
        snap(manager, "approve-link-used")
        assert blocking_axe_violations(manager) == []
        manager.get_by_role("link", name="Me connecter à mes validations").click()
        expect(manager).to_have_url(re.compile(r"/login\?next="))

        # The link granted no session: any other page asks for a normal sign-in.
        for path in ("/approvals/", "/orders/", "/cart/"):
            manager.goto(live_server + path)
            expect(manager).to_have_url(re.compile(r"/login"))
    finally:
        context.close()

    page.goto(page.url)
    expect(page.get_by_role("main").locator(".order-status")).to_contain_text("Transmise")
    wait_for_mail(mailbox, "buyer@demo.test", f"La commande {number} a été validée")


def test_without_javascript_the_link_rejects_with_a_reason(
        page, live_server, mailbox, no_js_page):
    sign_in(page, live_server, "buyer@demo.test")
    empty_cart(page, live_server)
    fill_cart_by_paste(page, live_server, OVER_LIMIT_LINES)
    number = place_to_jobsite(page, "Chantier Confluence", "BC-E2E-NOJS")
    _message, body = wait_for_mail(mailbox, "manager@demo.test", number)
    link = DIRECT.search(body).group(0)

    no_js_page.goto(link)
    reject = no_js_page.get_by_role("button", name="Refuser")
    reject.click()  # no reason: said at once, nothing decided
    expect(no_js_page.get_by_role("alert")).to_contain_text("Dites pourquoi")
    no_js_page.get_by_label("Commentaire").fill("Pas ce mois-ci")
    snap(no_js_page, "approve-link-reject-nojs")
    no_js_page.get_by_role("button", name="Refuser").click()
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text("Décision enregistrée")
    expect(no_js_page.get_by_role("main")).to_contain_text("Commande refusée")
    wait_for_mail(mailbox, "buyer@demo.test", "Pas ce mois-ci")
