"""Stored markup never runs: payloads typed into the real forms (list name, cart line note,
PO number and order notes, company unit, applicant company name, rejection reason, product
name), then every page that shows them opened in Chromium at 360 × 640 by the buyer, the
approver, the company admin, the seller's staff and the warehouse.

On each page: `window.__pwned` stays undefined, no dialog opens, no element of a payload
exists in the DOM (no <img src=x>, no on* handler, no injected hx-get), no inline-script
policy violation fires, no request goes to the payload's hx-get target, and the payload
reads as text.
"""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import demo_db, empty_cart, new_phone_page
from portal.demo.seed import luhn_complete
from tests.conftest import figure

__all__ = ["demo_db", "figure"]  # the fixtures, imported for pytest

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=1</script>"
HX = '<div hx-get="/account" hx-trigger="load" hx-target="body">'
SVG = '"><svg onload=window.__pwned=1>'
PAYLOADS = [IMG, SCRIPT, HX, SVG]

LIST_NAME = f"Liste {HX}"
NOTE = f"{IMG} {SVG}"
PO = SCRIPT  # 33 characters: a PO number holds 40
NOTES = "\n".join(PAYLOADS)
UNIT_NAME = f"{SVG} {HX}"
COMPANY = f"{IMG} SARL"
REASON = f"{HX} {SCRIPT}"
PRODUCT = f"{IMG} {SCRIPT}"

# Injected before any page script: records what the Content Security Policy blocked.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '')));
"""
PROBE = """() => ({
  pwned: typeof window.__pwned !== 'undefined',
  elements: document.querySelectorAll(
      'img[src="x"], [onerror], [onload], [hx-get="/account"], [hx-trigger="load"]').length,
  scripts: [...document.scripts].filter((s) => s.textContent.includes('__pwned')).length,
  blocked: window.__csp || [],
})"""
CLEAN = {"pwned": False, "elements": 0, "scripts": 0, "blocked": []}


class Watch:
    """Dialogs, requests and page probes of every browser context of the test."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.pages = 0
        self.shown = 0  # (payload, page) pairs read as text

    def attach(self, page):
        page.context.add_init_script(WATCH)
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message),
                                          dialog.dismiss()))
        page.on("request", lambda request: self.requests.append(request.url))
        return page

    def check(self, page, path: str, texts=(), values=()):
        """Open `path`, probe it, and read each text (and each labelled field's value)."""
        page.goto(self.base_url + path)
        probe = page.evaluate(PROBE)
        assert probe == CLEAN, (path, probe)
        main = page.get_by_role("main")
        for text in texts:
            for payload in PAYLOADS:
                if payload in text:
                    expect(main).to_contain_text(payload)
                    self.shown += 1
        for label, value in values:
            expect(page.get_by_label(label, exact=True)).to_have_value(value)
            self.shown += sum(payload in value for payload in PAYLOADS)
        self.pages += 1

    def assert_quiet(self):
        assert not self.dialogs, self.dialogs
        injected = [u for u in self.requests if urlparse(u).path.rstrip("/") == "/account"]
        assert not injected, injected


def priciest_builder_product(db):
    """A construction product no other browser test uses: sold by the unit, the dearest."""
    return db.execute(
        """SELECT p.id, p.sku, p.name_fr FROM products p JOIN categories c
           ON c.id = p.category_id
           WHERE c.parent_id IN (1, 2, 3, 4, 5, 6) AND p.order_multiple = 1
             AND NOT p.discontinued AND p.active
             AND EXISTS (SELECT 1 FROM price_tiers t WHERE t.product_id = p.id
                         AND t.price_list_id = 1 AND t.min_qty = 1)
           ORDER BY (SELECT MIN(unit_price_cents) FROM price_tiers t
                     WHERE t.product_id = p.id AND t.price_list_id = 1) DESC, p.sku
           LIMIT 1""").fetchone()


def press(control) -> None:
    """Activate a link or button from the keyboard. Under load, Chromium's phone emulation
    sometimes reports a sticky bar or the card's text over the control for a whole click
    timeout; Enter on the focused control does what the tap does."""
    control.focus()
    control.press("Enter")


def rename_product(staff, base_url: str, product_id: int, name: str) -> None:
    staff.goto(f"{base_url}/staff/catalog/products/{product_id}")
    staff.get_by_label("Nom (français)").fill(name)
    press(staff.get_by_role("button", name="Enregistrer le produit"))
    expect(staff.get_by_text(re.compile(r"^Produit \S+ enregistré\.$"))).to_be_visible()


@pytest.fixture
def watch(live_server):
    return Watch(live_server)


def test_stored_markup_is_shown_as_text_and_never_runs(
        page, live_server, browser, demo_db, watch, figure):
    base = live_server
    product = priciest_builder_product(demo_db)
    contexts = []

    def phone(email):
        context, other = new_phone_page(browser, None, base)
        contexts.append(context)
        watch.attach(other)
        sign_in(other, base, email)
        return other

    staff = phone("staff@demo.test")
    rename_product(staff, base, product["id"], PRODUCT)
    try:
        # A visitor applies; staff reject the application with a reason.
        visitor = watch.attach(page)
        visitor.goto(base + "/apply/")
        visitor.get_by_label("Raison sociale").fill(COMPANY)
        visitor.get_by_label("N° SIRET ou de TVA").fill(luhn_complete("8123456780002"))
        visitor.get_by_label("Métier").select_option(label="Autre")
        visitor.get_by_label("Adresse", exact=True).fill("1 rue des Balises")
        visitor.get_by_label("Code postal").fill("69001")
        visitor.get_by_label("Ville").fill("Lyon")
        visitor.get_by_label("Votre nom").fill("Eve Balise")
        visitor.get_by_label("E-mail").fill("contact@balises-e2e.example")
        visitor.get_by_label("Téléphone").fill("06 00 00 00 01")
        visitor.get_by_role("button", name="Demander l'ouverture du compte").click()
        expect(visitor.get_by_role("heading", name="Merci, votre demande est envoyée"))\
            .to_be_visible()
        watch.check(staff, "/staff/applications", [COMPANY])
        card = staff.get_by_role("article", name=COMPANY)
        press(card.get_by_role("link", name="Refuser"))
        card.get_by_label("Motif (envoyé au demandeur)").fill(REASON)
        press(card.get_by_role("button", name="Refuser"))
        expect(card).to_contain_text("Refusée")
        watch.check(staff, "/staff/applications", [COMPANY, REASON])

        # The company admin adds a branch.
        admin = phone("admin@demo.test")
        admin.goto(base + "/company/units/new")
        admin.get_by_label("Type").select_option(label="Agence")
        admin.get_by_label("Nom", exact=True).fill(UNIT_NAME)
        admin.get_by_label("Rattachée à").select_option(label="Rhône-Alpes")
        admin.get_by_role("button", name="Enregistrer").click()
        expect(admin.get_by_text("Unité créée.")).to_be_visible()
        unit_id = demo_db.execute("SELECT id FROM units WHERE name = ?",
                                  (UNIT_NAME,)).fetchone()["id"]
        watch.check(admin, "/company/units", [UNIT_NAME])
        watch.check(admin, f"/company/units/{unit_id}", values=[("Nom", UNIT_NAME)])

        # The buyer keeps a list, notes a cart line and orders over his limit.
        buyer = phone("buyer@demo.test")
        buyer.goto(base + "/lists/")
        buyer.get_by_label("Nom", exact=True).fill(LIST_NAME)
        buyer.get_by_role("button", name="Créer la liste").click()
        expect(buyer).to_have_url(re.compile(r"/lists/\d+$"))
        list_path = urlparse(buyer.url).path
        empty_cart(buyer, base)
        buyer.goto(base + "/quick-order/")
        buyer.get_by_label("Coller des lignes").fill(f"{product['sku']} 2")
        buyer.get_by_role("button", name="Tout ajouter au panier").click()
        expect(buyer).to_have_url(re.compile(r"/cart/"))
        # The note field is named with its product (one accessible name per control).
        buyer.get_by_label(f"Note {PRODUCT}", exact=True).fill(NOTE)
        buyer.get_by_role("button", name=re.compile(r"^Enregistrer la note de ")).click()
        expect(buyer.get_by_text("Note enregistrée.")).to_be_visible()
        watch.check(buyer, "/cart/", [PRODUCT], values=[(f"Note {PRODUCT}", NOTE)])
        buyer.get_by_role("link", name="Valider la commande").click()
        # To the head office, not a jobsite: his "repeat the last jobsite order" stays as is.
        buyer.get_by_role("radio", name=re.compile("^Siège")).check()
        buyer.get_by_label(re.compile(r"^N° de bon de commande")).fill(PO)
        buyer.get_by_label("Remarques pour la livraison (facultatif)").fill(NOTES)
        buyer.get_by_role("button", name="Passer la commande").click()
        expect(buyer).to_have_url(re.compile(r"/orders/\d+$"))
        order_path = urlparse(buyer.url).path
        order_id = int(order_path.rsplit("/", 1)[1])
        for path in (order_path, "/orders/"):
            watch.check(buyer, path, [PO, NOTES, NOTE, PRODUCT] if path == order_path else [PO])
        watch.check(buyer, "/lists/", [LIST_NAME])
        watch.check(buyer, list_path, [LIST_NAME])
        watch.check(buyer, f"/catalog/search?q={product['sku']}", [PRODUCT])
        watch.check(buyer, f"/catalog/p/{product['id']}", [PRODUCT])

        # The manager sees it waiting, opens it and approves it.
        manager = phone("manager@demo.test")
        request_id = demo_db.execute(
            "SELECT id FROM approval_requests WHERE order_id = ? AND status = 'pending'",
            (order_id,)).fetchone()["id"]
        watch.check(manager, "/approvals/")
        watch.check(manager, f"/approvals/{request_id}", [PO, NOTES, PRODUCT])
        press(manager.get_by_role("button", name="Valider", exact=True))
        expect(manager.get_by_text("Commande validée.")).to_be_visible()

        # The warehouse and the staff admin prepare it.
        warehouse = phone("warehouse@demo.test")
        watch.check(warehouse, "/staff/fulfilment/")
        watch.check(warehouse, f"/staff/fulfilment/orders/{order_id}", [PO, NOTES, PRODUCT])
        watch.check(staff, f"/staff/fulfilment/orders/{order_id}", [PO, NOTES, PRODUCT])
        watch.check(staff, f"/staff/catalog/?q={product['sku']}", [PRODUCT])
        watch.check(staff, f"/staff/catalog/products/{product['id']}",
                    values=[("Nom (français)", PRODUCT)])
        for context in contexts:
            context.pages[0].wait_for_timeout(100)  # a late injected request would show
        watch.assert_quiet()
    finally:
        rename_product(staff, base, product["id"], product["name_fr"])
        for context in contexts:
            context.close()
    figure(f"stored markup: {len(PAYLOADS)} payloads in 8 fields, {watch.pages} pages as 5 "
           f"roles, {watch.shown} payload × page pairs read as text; executed 0, dialogs 0, "
           f"injected requests 0")
