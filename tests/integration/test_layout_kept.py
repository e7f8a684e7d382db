"""The bottom bar and the offline queue's messages are rendered once per variant in a process
(portal/layout.py): whoever asks next, in one process, gets the HTML of their own role,
language, page and cart, never the one kept for somebody else."""

import re

from portal.extensions import db
from tests.conftest import login

NAV = re.compile(r'<nav class="bottom-nav"[^>]*>(.*?)</nav>', re.S)
QUEUE = re.compile(r'<div id="offline-queue".*?</div>\n</div>', re.S)


def bar(client, url: str = "/account/") -> str:
    found = NAV.search(client.get(url).get_data(as_text=True))
    assert found, "no bottom bar"
    return found.group(1)


def test_people_of_other_roles_get_their_own_bar_from_one_process(app, world):
    buyer, fulfilment = app.test_client(), app.test_client()
    login(buyer, world.a.buyer)
    login(fulfilment, world.fulfilment)
    for _ in range(2):  # the second round is answered from what the first kept
        assert "/quick-order/" in bar(buyer) and "/staff/fulfilment/" not in bar(buyer)
        assert "/staff/fulfilment/" in bar(fulfilment) and "/quick-order/" not in bar(fulfilment)


def test_the_tab_of_the_page_is_marked_on_each_page(client, world):
    login(client, world.a.buyer)
    for url, current in (("/orders/", "/orders/"), ("/cart/", "/cart/"), ("/orders/", "/orders/")):
        marked = re.findall(r'<a href="([^"]+)" aria-current="page"', bar(client, url))
        assert marked == [current]


def test_the_language_switch_changes_the_bar_and_the_queue_messages(client, world):
    login(client, world.a.buyer)
    page = client.get("/account/").get_data(as_text=True)
    assert "Commandes" in NAV.search(page).group(1)
    assert "modification en attente" in QUEUE.search(page).group(0)
    world.a.buyer.language = "en"
    db.session.commit()
    page = client.get("/account/").get_data(as_text=True)
    assert "Orders" in NAV.search(page).group(1) and "Commandes" not in NAV.search(page).group(1)
    assert "change waiting on this phone" in QUEUE.search(page).group(0)


def test_the_badge_follows_the_cart(client, world):
    login(client, world.a.buyer)
    assert 'class="badge empty"' in bar(client)
    screws = world.products["screws"]
    client.post(f"/catalog/p/{screws.id}/cart", data={"qty": "10"})
    assert re.search(r'id="cart-badge" class="badge">1<span class="sr"> ligne', bar(client))
    client.post(f"/catalog/p/{world.products['cement'].id}/cart", data={"qty": "1"})
    assert re.search(r'id="cart-badge" class="badge">2<span class="sr"> lignes', bar(client))
