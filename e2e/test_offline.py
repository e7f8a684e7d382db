"""A chef in a cold room with no signal (issue 19): the cart, lists and orders opened before
stay readable; three Adds and a list change made offline wait on the phone ("4 changes
waiting") and reach the server, exactly once each, when the signal comes back."""

import re

from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, sign_in
from e2e.ordering_helpers import demo_db, empty_cart, new_phone_page

__all__ = ["demo_db"]  # the fixture, imported for pytest

CHEF = "lucas.fabre@saveurs-lyonnaises.demo.test"  # a buyer no other e2e test uses
ADD = re.compile(r"^Ajouter au panier — ")


def _cart(demo_db) -> dict[str, int]:
    rows = demo_db.execute(
        "SELECT p.name_fr, l.quantity FROM cart_lines l JOIN carts c ON c.id = l.cart_id "
        "JOIN users u ON u.id = c.user_id JOIN products p ON p.id = l.product_id "
        "WHERE u.email = ?", (CHEF,)).fetchall()
    return {row[0]: row[1] for row in rows}


def _list_quantity(demo_db, name: str) -> int:
    return demo_db.execute(
        "SELECT l.quantity FROM shopping_list_lines l JOIN shopping_lists s ON s.id = l.list_id "
        "JOIN users u ON u.id = s.owner_id JOIN products p ON p.id = l.product_id "
        "WHERE u.email = ? AND p.name_fr = ?", (CHEF, name)).fetchone()[0]


def test_changes_made_offline_reach_the_server_once_the_signal_is_back(
        page, live_server, demo_db):
    sign_in(page, live_server, CHEF)
    empty_cart(page, live_server)
    # The portal's worker is in place (it keeps the pages opened from now on).
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    page.goto(live_server + "/catalog/")
    page.get_by_role("main").get_by_role("link").filter(has_text=re.compile(r"\w")).first.click()
    adds = page.get_by_role("button", name=ADD)
    expect(adds.first).to_be_visible()
    names = [adds.nth(i).get_attribute("aria-label").split(" — ", 1)[1] for i in range(4)]
    category_url = page.url

    # A list with one line, opened once (so kept), and the cart, opened once.
    page.get_by_role("link", name=names[3]).first.click()
    page.get_by_role("button", name="Ajouter à la liste").click()
    # Wait for the answer (leaving earlier would cancel the add), and open the list it names.
    added = page.get_by_role("status").filter(has_text="Ajouté à")
    expect(added).to_be_visible()
    list_name = re.search(r"Ajouté à (.+?)\s*:", added.inner_text()).group(1)
    page.goto(live_server + "/lists/")
    page.get_by_role("link", name=list_name).first.click()
    list_url = page.url
    before = _list_quantity(demo_db, names[3])
    page.goto(live_server + "/cart/")
    page.goto(category_url)

    page.context.set_offline(True)
    for name in names[:3]:
        page.get_by_role("button", name=f"Ajouter au panier — {name}").click()
    waiting = page.get_by_role("status").filter(has_text="en attente sur ce téléphone")
    expect(waiting).to_contain_text("3 modifications en attente")
    assert _cart(demo_db) == {}  # nothing reached the server

    # The list opens without a signal, and its stepper still counts.
    page.goto(list_url)
    quantity = page.get_by_label(f"Quantité de {names[3]}")
    expect(quantity).to_have_value(str(before))
    page.get_by_role("button", name=f"Un cran de plus de {names[3]}").click()
    expect(waiting).to_contain_text("4 modifications en attente")
    after = int(quantity.input_value())
    assert after > before
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "offline-waiting.png"))
    # A page never opened before says why it is missing.
    page.goto(live_server + "/account/")
    expect(page.get_by_role("heading", name="Pas de connexion")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "offline-page.png"))
    page.goto(list_url)

    page.context.set_offline(False)
    expect(page.get_by_text("Modifications faites sans réseau, maintenant envoyées\u202f: 4."))\
        .to_be_visible(timeout=15_000)
    page.screenshot(path=str(SCREENSHOTS / "offline-sent.png"))
    default = {name: qty for name, qty in _cart(demo_db).items()}
    assert sorted(default) == sorted(names[:3])
    assert _list_quantity(demo_db, names[3]) == after
    expect(page.get_by_label(f"Quantité de {names[3]}")).to_have_value(str(after))
    # Back online, a reload sends nothing again.
    page.reload()
    expect(page.get_by_role("status").filter(has_text="en attente")).to_be_hidden()
    assert _cart(demo_db) == default


def test_a_change_the_server_refuses_on_replay_is_shown_not_dropped(
        page, browser, live_server, demo_db):
    """Added offline, withdrawn by the seller before the signal came back: the bar says so,
    with the server's reason, until the buyer has read it."""
    sign_in(page, live_server, CHEF)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(live_server + "/catalog/")
    page.get_by_role("main").get_by_role("link").filter(has_text=re.compile(r"\w")).first.click()
    row = page.locator("article.prow").nth(5)  # the other test adds the first four
    product_id = row.get_attribute("id").removeprefix("p-")
    name = row.get_by_role("button", name=ADD).get_attribute("aria-label").split(" — ", 1)[1]

    page.context.set_offline(True)
    page.get_by_role("button", name=f"Ajouter au panier — {name}").click()
    expect(page.get_by_role("status").filter(has_text="en attente")).to_contain_text(
        "1 modification en attente")

    staff_context, staff = new_phone_page(browser, "staff@demo.test", live_server)
    try:
        staff.goto(f"{live_server}/staff/catalog/products/{product_id}")
        staff.get_by_label("Arrêté").check()
        staff.get_by_role("button", name="Enregistrer le produit").click()
        expect(staff.get_by_role("checkbox", name="Arrêté")).to_be_checked()
    finally:
        staff_context.close()

    page.context.set_offline(False)
    refused = page.get_by_role("status").filter(has_text="Non fait")
    expect(refused).to_contain_text(f"Non fait\u202f: {name}\u202f: Ce produit est arrêté.",
                                    timeout=15_000)
    page.screenshot(path=str(SCREENSHOTS / "offline-refused.png"))
    assert name not in _cart(demo_db)
    page.reload()  # still said after a reload: kept until read
    expect(refused).to_be_visible()
    page.get_by_role("button", name="Compris").click()
    expect(refused).to_be_hidden()
