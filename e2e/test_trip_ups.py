"""What a new user tripped over, seen at 360 × 640: an approver's edited quantity is what the
sticky Approve decides on (with JavaScript and without), and the line total follows it."""

import re

from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import demo_db

__all__ = ["demo_db"]  # the fixture, imported for pytest


def euros(text: str) -> float:
    return float(re.sub(r"[^\d,]", "", text).replace(",", "."))


def waiting_for_the_manager(db) -> list:
    """The demo's one-step requests waiting for Sophie, newest first (key pages use the oldest)."""
    return db.execute(
        """SELECT r.id, r.order_id FROM approval_requests r JOIN orders o ON o.id = r.order_id
           WHERE r.status = 'pending' AND r.approver_role = 'approver'
             AND o.status = 'pending_approval'
             AND NOT EXISTS (SELECT 1 FROM approval_requests w
                             WHERE w.order_id = r.order_id AND w.status = 'waiting')
           ORDER BY r.id DESC""").fetchall()


def a_line_to_lower(db, order_id: int):
    """(line id, sku, quantity, lowered quantity, unit price) of a line that can lose a unit."""
    for row in db.execute(
            """SELECT l.id, l.sku, l.quantity, p.order_multiple, l.unit_price_cents
               FROM order_lines l JOIN products p ON p.id = l.product_id
               WHERE l.order_id = ? ORDER BY l.position""", (order_id,)):
        step = max(row["order_multiple"], 1)
        if row["quantity"] >= 2 * step:
            return row["id"], row["sku"], row["quantity"], row["quantity"] - step, \
                row["unit_price_cents"]
    raise AssertionError(f"order {order_id} has no line to lower")


def quantities(db, order_id: int) -> dict:
    return dict(db.execute("SELECT id, quantity FROM order_lines WHERE order_id = ?",
                           (order_id,)).fetchall())


def test_the_sticky_approve_applies_the_edited_quantity_and_the_line_total_follows(
        page, live_server, shot, demo_db):
    request_id, order_id = waiting_for_the_manager(demo_db)[0]
    line_id, sku, ordered, lowered, unit_cents = a_line_to_lower(demo_db, order_id)
    before = quantities(demo_db, order_id)
    sign_in(page, live_server, "manager@demo.test")
    page.goto(f"{live_server}/approvals/{request_id}")
    total = page.get_by_role("status", name=f"Total de la ligne {sku}")
    assert euros(total.inner_text()) == ordered * unit_cents / 100
    page.get_by_label(f"Quantité {sku}").fill(str(lowered))
    expect(total).not_to_have_text(re.compile(r"^\s*$"))
    assert euros(total.inner_text()) == lowered * unit_cents / 100
    approve = page.get_by_role("button", name="Valider avec modifications")
    expect(approve).to_be_in_viewport()  # the sticky bar, without scrolling
    shot("approval-edited-line")
    approve.click()
    expect(page.get_by_text(re.compile("Commande validée avec vos modifications"))) \
        .to_contain_text(sku)
    after = quantities(demo_db, order_id)
    assert after[line_id] == lowered
    assert {k: v for k, v in after.items() if k != line_id} == \
        {k: v for k, v in before.items() if k != line_id}


def test_without_javascript_the_approve_button_also_applies_the_edit_and_says_so(
        no_js_page, live_server, demo_db):
    request_id, order_id = waiting_for_the_manager(demo_db)[1]
    line_id, sku, _ordered, lowered, _unit = a_line_to_lower(demo_db, order_id)
    page = no_js_page
    sign_in(page, live_server, "manager@demo.test")
    page.goto(f"{live_server}/approvals/{request_id}")
    page.get_by_label(f"Quantité {sku}").fill(str(lowered))
    page.get_by_label("Commentaire").fill("Une unité de moins suffit")
    page.get_by_role("button", name="Valider", exact=True).click()
    expect(page.get_by_text(re.compile("Commande validée avec vos modifications"))) \
        .to_contain_text(sku)
    assert quantities(demo_db, order_id)[line_id] == lowered
    comment = demo_db.execute("SELECT comment FROM approval_requests WHERE id = ?",
                              (request_id,)).fetchone()[0]
    assert comment == "Une unité de moins suffit"


def test_the_admin_reads_the_company_journal_page_by_page(page, live_server, shot):
    sign_in(page, live_server, "admin@demo.test")
    page.goto(f"{live_server}/company/")
    page.get_by_role("navigation", name="Administration de l'entreprise") \
        .get_by_role("link", name="Journal").click()
    journal = page.get_by_role("list", name="Journal")
    expect(journal.get_by_role("listitem").first).to_contain_text(
        re.compile(r"Commande CMD-\d{4}-\d+ (validée|refusée)"))
    assert journal.get_by_role("listitem").count() == 30
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("company-journal")
    first_page = journal.get_by_role("listitem").first.inner_text()
    page.get_by_role("link", name="Entrées plus anciennes").click()
    expect(page.get_by_role("list", name="Journal").get_by_role("listitem").first) \
        .not_to_have_text(first_page)


def test_the_admins_last_order_card_shows_and_repeats_the_same_order(page, live_server):
    sign_in(page, live_server, "admin@demo.test")
    card = page.get_by_role("region", name="Dernière commande")
    expect(card).to_contain_text("passée par vous")
    shown = card.get_by_role("link", name=re.compile(r"^CMD-")).get_attribute("href")
    repeat = card.get_by_role("link", name=re.compile("^Refaire ma dernière commande"))
    assert repeat.get_attribute("href") == f"{shown}/reorder"
