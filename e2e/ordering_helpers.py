"""Helpers shared by test_catalog.py and test_ordering.py: read the demo data of the running
instance (read-only SQLite) and empty a cart through the UI."""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from e2e.conftest import INSTANCES, PHONE, sign_in

REMOVE = re.compile(r"^Retirer ")


@pytest.fixture(scope="session")
def demo_db(live_server):
    """The e2e instance's database, opened read-only (the server is the only writer). Found
    by the live server's URL: a test may start a demo portal of its own beside it."""
    connection = sqlite3.connect(f"file:{INSTANCES[live_server] / 'portal.sqlite3'}?mode=ro",
                                 uri=True, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def product(db, sku: str) -> sqlite3.Row:
    row = db.execute("SELECT * FROM products WHERE sku = ?", (sku,)).fetchone()
    assert row is not None, f"{sku} is not in the demo catalog"
    return row


def empty_cart(page, base_url: str) -> None:
    """Remove every line of the signed-in user's cart with its Remove button."""
    page.goto(base_url + "/cart/")
    lines = page.get_by_role("main").get_by_role("button", name=REMOVE)
    for _ in range(200):
        count = lines.count()
        if count == 0:
            break
        lines.first.click()
        expect(lines).to_have_count(count - 1)
    page.goto(base_url + "/cart/")
    expect(page.get_by_text("Votre panier est vide.")).to_be_visible()


def new_phone_page(browser, email: str | None, base_url: str):
    """A second phone in another browser context (another person), signed in if email."""
    context = browser.new_context(**PHONE, locale="fr-FR")
    page = context.new_page()
    if email:
        sign_in(page, base_url, email)
    return context, page


def cart_badge(page):
    return page.get_by_role("navigation", name="Principal").get_by_role("link", name=re.compile(
        r"^Panier"))


def builder_skus(db, count: int, *, cheapest_first: bool = True) -> list[str]:
    """Construction products sold by the unit, well in stock, priced from 1 unit: the cheapest
    first, or else by SKU from the end of the alphabet (other picks than the cheapest)."""
    order = ("(SELECT MIN(unit_price_cents) FROM price_tiers t WHERE t.product_id = p.id"
             " AND t.price_list_id = 1), p.sku" if cheapest_first else "p.sku DESC")
    rows = db.execute(
        f"""SELECT p.sku FROM products p JOIN categories c ON c.id = p.category_id
           WHERE c.parent_id IN (1, 2, 3, 4, 5, 6) AND p.order_multiple = 1
             AND NOT p.discontinued AND p.active
             AND (SELECT SUM(quantity) FROM stock s WHERE s.product_id = p.id) > 50
             AND EXISTS (SELECT 1 FROM price_tiers t WHERE t.product_id = p.id
                         AND t.price_list_id = 1 AND t.min_qty = 1)
           ORDER BY {order} LIMIT ?""", (count,)).fetchall()  # noqa: S608 - fixed text
    assert len(rows) == count
    return [r["sku"] for r in rows]
