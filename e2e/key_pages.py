"""The key pages of UX.md's accessibility and Lighthouse budgets, on the demo data set.

Shared by the axe-core scan (e2e/test_accessibility.py) and `python -m bench lighthouse`.
A path may name ids ({product_id}, ...) that `demo_ids()` reads from the demo database. Two
pages need a state first (`needs`): "cart" (the user's cart holds lines, added by pasting
`CART_PASTE` into quick order) and "checked" (quick order after checking `BAD_PASTE`, a
POST: the scan can show it, Lighthouse, which only loads URLs, cannot).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass

BUYER = "buyer@demo.test"
# A buyer no other browser test signs in as: his cart can be filled without disturbing them.
CART_BUYER = "contact@garnier-plomberie.demo.test"
ROLE_HOMES = ["buyer@demo.test", "manager@demo.test", "admin@demo.test", "chef@demo.test",
              "dealer@demo.test", "staff@demo.test", "rep@demo.test", "warehouse@demo.test"]

GLOVES = "GAN-NIT-M-SEC"  # on every customer group's price list
CART_PASTE = "GAN-NIT-M-SEC 10\nMAC-PEL 2\nMAC-PIO 1"
# One good line, an unknown SKU, a quantity that is not a number, a discontinued-looking SKU.
BAD_PASTE = "GAN-NIT-M-SEC 10\nNOPE-404 3\nMAC-PEL deux\nMAC-PIO 0"


# The few words a walk over the key pages types or taps, and the footer button that switches
# to the language.
WORDS = {
    "fr": {"paste": "Coller des lignes", "check": "Vérifier les lignes",
           "add": "Tout ajouter au panier", "switch": "Français"},
    "en": {"paste": "Paste lines", "check": "Check lines", "add": "Add all to cart",
           "switch": "English"},
}


def switch_language(page, lang: str) -> None:
    from playwright.sync_api import expect  # here: bench imports this module without it

    page.get_by_role("contentinfo").get_by_role("button", name=WORDS[lang]["switch"]).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def paste(page, words: dict, lines: str, button: str) -> None:
    """Paste `lines` into quick order and tap its `button` ("add" or "check")."""
    page.get_by_label(words["paste"]).fill(lines)
    page.get_by_role("button", name=words[button]).click()
    page.wait_for_load_state()


@contextmanager
def walk_key_pages(browser, base: str, signed_in, ids: dict, lang: str):
    """Every key page as its person would see it in `lang`, one phone per person: yields an
    iterator of (key page, page, HTTP status); a page answered 200 is ready to examine. On the
    way out each person's language is set back to French (it is stored on the account)."""
    from playwright.sync_api import expect  # here: bench imports this module without it

    from e2e.conftest import PHONE

    words, contexts = WORDS[lang], {}

    def pages():
        for key in KEY_PAGES:
            if key.user not in contexts:
                page = browser.new_context(**PHONE, locale="fr-FR",
                                           storage_state=signed_in(key.user)).new_page()
                contexts[key.user] = page
                page.goto(base + ("/" if key.user else "/login"))
                if lang != "fr":
                    switch_language(page, lang)
            page = contexts[key.user]
            if key.needs == "cart":
                page.goto(base + "/quick-order/")
                paste(page, words, CART_PASTE, "add")
            answer = page.goto(base + key.path.format(**ids))
            if answer.status == 200:
                if key.needs == "checked":
                    paste(page, words, BAD_PASTE, "check")
                    expect(page.get_by_role("alert").first).to_be_visible()
                expect(page.locator("html")).to_have_attribute("lang", lang)
            yield key, page, answer.status

    try:
        yield pages()
    finally:
        for user, page in contexts.items():
            if user and lang != "fr":
                page.goto(base + "/")  # a page with the footer's language switch
                switch_language(page, "fr")
            page.context.close()


@dataclass(frozen=True)
class KeyPage:
    name: str
    user: str | None
    path: str
    needs: str = ""  # "", "cart" or "checked"


KEY_PAGES = [
    KeyPage("sign_in", None, "/login"),
    KeyPage("apply", None, "/apply/"),
    *[KeyPage(f"home_{email.split('@')[0]}", email, "/") for email in ROLE_HOMES],
    KeyPage("catalog", BUYER, "/catalog/"),
    KeyPage("category", BUYER, "/catalog/c/{category_id}"),
    KeyPage("search", BUYER, "/catalog/search?q=gants"),
    KeyPage("product", BUYER, "/catalog/p/{product_id}"),
    # A product with photos and documents: the page whose LCP is an image.
    KeyPage("product_photos", BUYER, "/catalog/p/{pictured_product_id}"),
    KeyPage("quick_order", BUYER, "/quick-order/"),
    KeyPage("quick_order_errors", BUYER, "/quick-order/", needs="checked"),
    KeyPage("cart", CART_BUYER, "/cart/", needs="cart"),
    KeyPage("checkout", CART_BUYER, "/checkout/", needs="cart"),
    KeyPage("orders", BUYER, "/orders/"),
    KeyPage("order", BUYER, "/orders/{order_id}"),
    KeyPage("reorder", BUYER, "/orders/{order_id}/reorder"),
    KeyPage("lists", BUYER, "/lists/"),
    KeyPage("list", BUYER, "/lists/{list_id}"),
    KeyPage("account", BUYER, "/account/"),
    KeyPage("approvals", "manager@demo.test", "/approvals/"),
    KeyPage("approval", "manager@demo.test", "/approvals/{approval_id}"),
    KeyPage("company_users", "admin@demo.test", "/company/"),
    KeyPage("company_units", "admin@demo.test", "/company/units"),
    KeyPage("company_rules", "admin@demo.test", "/company/rules"),
    KeyPage("company_journal", "admin@demo.test", "/company/journal"),
    KeyPage("company_api_tokens", "admin@demo.test", "/company/api-tokens"),
    KeyPage("staff_dashboard", "staff@demo.test", "/staff/"),
    KeyPage("staff_applications", "staff@demo.test", "/staff/applications"),
    KeyPage("staff_customers", "staff@demo.test", "/staff/customers"),
    KeyPage("staff_customer", "staff@demo.test", "/staff/customers/{company_id}"),
    KeyPage("imports", "staff@demo.test", "/staff/imports/"),
    KeyPage("staff_credit", "staff@demo.test", "/staff/credit"),
    KeyPage("staff_jobs", "staff@demo.test", "/staff/jobs/"),
    KeyPage("staff_api_clients", "staff@demo.test", "/staff/api-clients"),
    KeyPage("staff_storefronts", "staff@demo.test", "/staff/storefronts"),
    KeyPage("staff_storefront", "staff@demo.test", "/staff/storefronts/1"),
    KeyPage("catalog_admin", "staff@demo.test", "/staff/catalog/"),
    KeyPage("quotes", BUYER, "/quotes/"),
    KeyPage("quote", BUYER, "/quotes/{quote_id}"),
    KeyPage("quote_ask_product", BUYER, "/quotes/ask/product/{product_id}"),
    KeyPage("quotes_desk", "rep@demo.test", "/quotes/desk"),
    KeyPage("quote_answer", "rep@demo.test", "/quotes/desk/{open_quote_id}"),
    KeyPage("catalog_product_new", "staff@demo.test", "/staff/catalog/products/new"),
    KeyPage("fulfilment", "warehouse@demo.test", "/staff/fulfilment/"),
    KeyPage("fulfilment_order", "warehouse@demo.test", "/staff/fulfilment/orders/{open_order_id}"),
    KeyPage("billing_home", "compta@demo.test", "/"),
    KeyPage("statement", "compta@demo.test", "/billing/"),
    KeyPage("invoice", "compta@demo.test", "/billing/invoices/{invoice_id}"),
    KeyPage("staff_invoices", "staff@demo.test", "/staff/invoices?company={company_id}"),
    KeyPage("staff_invoice", "staff@demo.test", "/staff/invoices/{invoice_id}"),
    KeyPage("staff_billing", "staff@demo.test", "/staff/customers/{company_id}/billing"),
]


def demo_ids(db: sqlite3.Connection) -> dict[str, int]:
    """Ids the key pages name, read from the demo database (SQLite)."""

    def one(sql: str, *args) -> int:
        row = db.execute(sql, args).fetchone()
        assert row is not None, f"the demo data has no row for: {sql}"
        return row[0]

    buyer = one("SELECT id FROM users WHERE email = ?", BUYER)
    company = one("SELECT company_id FROM users WHERE id = ?", buyer)
    return {
        "product_id": one("SELECT id FROM products WHERE sku = ?", GLOVES),
        "category_id": one("SELECT category_id FROM products WHERE sku = ?", GLOVES),
        "pictured_product_id": one(
            "SELECT product_id FROM product_images WHERE position = 2 ORDER BY product_id "
            "LIMIT 1"),
        "order_id": one("SELECT id FROM orders WHERE placed_by_id = ? AND status = 'delivered' "
                        "ORDER BY placed_at DESC LIMIT 1", buyer),
        "list_id": one("SELECT id FROM shopping_lists WHERE owner_id = ? ORDER BY id", buyer),
        "approval_id": one("SELECT id FROM approval_requests WHERE company_id = ? "
                           "AND status = 'pending' ORDER BY id", company),
        "company_id": company,
        "quote_id": one("SELECT id FROM quotes WHERE buyer_id = ? AND status = 'sent' "
                        "ORDER BY id LIMIT 1", buyer),
        "open_quote_id": one("SELECT id FROM quotes WHERE buyer_id = ? AND status = 'requested' "
                             "ORDER BY id LIMIT 1", buyer),
        "open_order_id": one("SELECT id FROM orders WHERE status = 'confirmed' "
                             "ORDER BY placed_at DESC LIMIT 1"),
        "invoice_id": one("SELECT id FROM invoices WHERE company_id = ? "
                          "ORDER BY id DESC LIMIT 1", company),
    }
