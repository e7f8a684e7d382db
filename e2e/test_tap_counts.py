"""Fewer taps on the top tasks, counted at 360 × 640 (issue 19). Each flow goes the way a
buyer would, tapping only what the page asks for; every click, field focused and choice made
is a tap. A flow over its goal fails, with the taps it took.

Goals: repeat the last order to a jobsite and place it, from home: 3. A pasted 30-line quick
order with two mistakes that one tap each fixes, to a placed order: 6 (the paste itself is
one tap in the field). A trimmed approval from the email's link: 3. The dealer's latest
tracking number (a link to the carrier): 2, with no scrolling.
"""

import re

from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, sign_in
from e2e.ordering_helpers import builder_skus, demo_db, empty_cart, new_phone_page, product
from e2e.test_approvals import OVER_LIMIT_LINES, fill_cart_by_paste, place_to_jobsite, wait_for_mail

__all__ = ["demo_db"]  # the fixture, imported for pytest

DIRECT = re.compile(r"http://\S+/approvals/\d+/link/[A-Za-z0-9_.\-]+")
GLOVES = "GAN-NIT-M-SEC"
BUYER = "buyer@demo.test"
PASTER = "emilie.roche@durand-batiment.demo.test"


class Taps:
    """Every tap of a flow, counted and named (the failure message lists them)."""

    def __init__(self, page):
        self.page, self.taken = page, []

    def tap(self, locator, what: str):
        locator.click()
        self.taken.append(what)

    def type(self, locator, text: str, what: str):
        locator.click()
        locator.fill(text)
        self.taken.append(what)

    def paste(self, locator, text: str, what: str):
        """Tap the field, then the phone's Paste (the clipboard holds the lines)."""
        self.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        self.page.evaluate("text => navigator.clipboard.writeText(text)", text)
        locator.click()
        locator.press("Control+V")
        self.taken.append(what)

    @property
    def count(self) -> int:
        return len(self.taken)

    def at_most(self, goal: int, flow: str):
        assert self.count <= goal, f"{flow}: {self.count} taps (goal {goal}): {self.taken}"


def checkout_as_asked(page, taps: Taps, jobsite: str | None, po: str):
    """The checkout page: what it still asks for, then Place order."""
    # The tap that led here may still be navigating: a screenshot then fails in Chromium.
    expect(page.get_by_role("button", name="Passer la commande")).to_be_visible()
    if jobsite:
        radio = page.get_by_role("radio", name=re.compile(re.escape(jobsite)))
        if not radio.is_checked():
            taps.tap(radio, f"choose {jobsite}")
    page.screenshot(path=str(SCREENSHOTS / "taps-checkout.png"))
    field = page.get_by_label(re.compile(r"^N° de bon de commande"))
    if "obligatoire" in (page.locator("label[for=po_number]").inner_text()) \
            and not field.input_value():
        taps.type(field, po, "type the PO number")
    taps.tap(page.get_by_role("button", name="Passer la commande"), "place the order")
    expect(page).to_have_url(re.compile(r"/orders/\d+"))


def test_repeating_the_last_order_to_its_jobsite_takes_three_taps_from_home(
        page, live_server, demo_db):
    sign_in(page, live_server, BUYER)
    empty_cart(page, live_server)
    cheap = builder_skus(demo_db, 2)
    fill_cart_by_paste(page, live_server, f"{cheap[0]} 1\n{cheap[1]} 1")
    place_to_jobsite(page, "Chantier Confluence", "BC-E2E-REPEAT")

    page.goto(live_server + "/")
    taps = Taps(page)
    repeat = page.get_by_role("link", name=re.compile(r"^Refaire ma dernière commande"))
    jobsite = repeat.inner_text().rsplit(" pour ", 1)[-1].strip()
    taps.tap(repeat, "repeat my last order")
    order_now = page.get_by_role("button", name="Commander maintenant")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "taps-repeat-preview.png"))
    if order_now.count():
        taps.tap(order_now, "order now")
    else:
        taps.tap(page.get_by_role("button", name="Ajouter à mon panier"), "add to my cart")
        taps.tap(page.get_by_role("link", name="Valider la commande"), "checkout")
    checkout_as_asked(page, taps, jobsite, "BC-E2E-REPEAT-2")
    page.screenshot(path=str(SCREENSHOTS / "taps-repeat-placed.png"))
    print(f"repeat last order: {taps.count} taps: {taps.taken}")  # noqa: T201
    taps.at_most(3, "repeat last order")


def test_a_pasted_30_line_order_with_two_mistakes_is_placed_in_six_taps(
        page, live_server, demo_db):
    gloves = product(demo_db, GLOVES)
    assert gloves["order_multiple"] > 1
    good = builder_skus(demo_db, 29, cheapest_first=False)
    lines = [f"{sku} 1" for sku in good[:28]]
    lines += [f"{good[28]}X 1", f"{GLOVES} {gloves['order_multiple'] + 1}"]
    sign_in(page, live_server, PASTER)
    empty_cart(page, live_server)
    page.goto(live_server + "/")
    taps = Taps(page)
    taps.tap(page.get_by_role("navigation", name="Principal")
             .get_by_role("link", name="Commande rapide"), "quick order")
    taps.paste(page.get_by_label("Coller des lignes"), "\n".join(lines), "paste 30 lines")
    summary = page.locator("#qo-summary")
    try:  # the page may check a paste by itself
        expect(summary).to_contain_text("Lignes vérifiées", timeout=10_000)
    except AssertionError:
        taps.tap(page.get_by_role("button", name="Vérifier les lignes").last, "check lines")
    expect(summary).to_contain_text("À corriger\u202f: 2.")
    taps.tap(page.get_by_role("button", name=re.compile(r"^Prendre " + re.escape(good[28]))),
             "did you mean")
    taps.tap(page.get_by_role("button", name=re.compile(r"^Prendre \d+$")), "snap quantity")
    expect(summary).to_contain_text("À corriger\u202f: 0.")
    order_now = page.get_by_role("button", name="Tout commander")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "taps-quick-order-ready.png"))
    if order_now.count():
        taps.tap(order_now, "order all")
    else:
        taps.tap(page.get_by_role("button", name="Tout ajouter au panier"), "add all to cart")
        taps.tap(page.get_by_role("link", name="Valider la commande"), "checkout")
    checkout_as_asked(page, taps, None, "BC-E2E-PASTE")
    print(f"pasted quick order: {taps.count} taps: {taps.taken}")  # noqa: T201
    taps.at_most(6, "pasted quick order")


def test_a_trimmed_approval_from_the_email_link_takes_three_taps(
        page, live_server, mailbox, browser):
    sign_in(page, live_server, BUYER)
    empty_cart(page, live_server)
    fill_cart_by_paste(page, live_server, OVER_LIMIT_LINES)
    number = place_to_jobsite(page, "Chantier Confluence", "BC-E2E-TRIM-TAPS")
    _message, body = wait_for_mail(mailbox, "manager@demo.test", number)
    link = DIRECT.search(body).group(0)
    context, manager = new_phone_page(browser, None, live_server)
    try:
        taps = Taps(manager)
        manager.goto(link)
        taps.taken.append("the link in the email")
        quantity = manager.get_by_label(re.compile(r"^Quantité MIT-TH-CHR"))
        taps.type(quantity, "5", "lower a quantity")
        taps.tap(manager.get_by_role("button", name="Valider avec modifications"), "approve")
        expect(manager.get_by_role("main")).to_contain_text(re.compile(r"[Vv]alidée"))
        print(f"trimmed approval: {taps.count} taps: {taps.taken}")  # noqa: T201
        taps.at_most(3, "trimmed approval")
    finally:
        context.close()


def test_the_dealer_sees_the_tracking_number_as_a_carrier_link_without_scrolling(
        page, live_server):
    sign_in(page, live_server, "dealer@demo.test")
    taps = Taps(page)
    card = page.get_by_role("region", name="Dernière expédition")
    number = card.locator(".tracking-number")
    expect(number).to_be_visible()
    box = number.bounding_box()
    nav_top = page.get_by_role("navigation", name="Principal").bounding_box()["y"]
    assert box["y"] + box["height"] <= nav_top, "under the fold"
    assert page.evaluate("window.scrollY") == 0
    if not number.inner_text().startswith("TP"):  # the local haulier has no tracking page
        expect(card.get_by_role("link", name=re.compile(number.inner_text()))) \
            .to_have_attribute("href", re.compile(r"^https://"))
    print(f"dealer tracking: {taps.count} taps")  # noqa: T201
    taps.at_most(2, "dealer tracking")


def test_two_fixes_tapped_at_once_are_both_counted(page, live_server, demo_db):
    """A quick thumb fixes a second row while the first fix is still on its way: both rows'
    answers carry the form's running tally, so they are sent one after the other and the
    count ends at zero to fix (sent together, the later answer undid the earlier's count)."""
    gloves = product(demo_db, GLOVES)
    good = builder_skus(demo_db, 3, cheapest_first=False)
    lines = [f"{good[0]} 1", f"{good[1]}X 1", f"{GLOVES} {gloves['order_multiple'] + 1}"]
    sign_in(page, live_server, PASTER)
    page.goto(live_server + "/quick-order/")
    page.get_by_label("Coller des lignes").fill("\n".join(lines))
    page.get_by_role("button", name="Vérifier les lignes").last.click()
    summary = page.locator("#qo-summary")
    expect(summary).to_contain_text("À corriger\u202f: 2.")
    did_you_mean = page.get_by_role("button", name=re.compile(r"^Prendre " + re.escape(good[1])))
    snap = page.get_by_role("button", name=re.compile(r"^Prendre \d+$"))
    # Both taps land before either answer is back (two clicks in one task of the page).
    page.evaluate("([a, b]) => { a.click(); b.click(); }",
                  [did_you_mean.element_handle(), snap.element_handle()])
    expect(summary).to_contain_text("À corriger\u202f: 0.")
    expect(summary).to_contain_text("Prêtes à commander\u202f: 3.")
