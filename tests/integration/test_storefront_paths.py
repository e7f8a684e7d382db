"""A storefront on a path of a shared host (issue 22: "a path prefix where a seller has one
domain"): the consumer shop at <the trade portal's host>/direct. Its pages, links, redirects,
cookies and e-mails carry the prefix; "/directory" stays the trade portal's; a trade buyer and
a guest keep both sessions in one browser; a trade session replayed on the prefix is an
anonymous visitor; staff admins cannot give a path the portal itself uses."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Order, OrderStatus, OutboxMessage, Role, Storefront, User
from portal.services.storefronts import forget
from tests import factories as f
from tests.conftest import login
from tests.factories.storefronts import DIRECT_HOST

DETAILS = {"name": "Claire Martin", "email": "claire@example.fr", "phone": "0612345678",
           "line1": "12 rue des Lilas", "postal_code": "69003", "city": "Lyon"}


def _on_a_path(world) -> Storefront:
    """Direct Chantier at /direct on the trade portal's hosts (no host of its own)."""
    front = f.consumer_storefront({world.products["cement"]: 1000})
    front.hosts, front.path_prefix = "", "/direct"
    db.session.commit()
    forget()
    return front


def _checkout(client):
    page = client.get("/direct/checkout/").get_data(as_text=True)
    place = re.search(r'name="place" value="([^"]+)"', page).group(1)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return client.post("/direct/checkout/", data={"place": place, "token": token})


def test_the_prefix_serves_its_storefront_and_every_link_keeps_it(app, client, world):
    _on_a_path(world)
    shop = client.get("/direct/catalog/")
    assert shop.status_code == 200
    assert "Direct Chantier" in shop.text and "Pro Fournitures" not in shop.text
    # url_for carries the prefix: links, the style sheets and bundles, the service worker.
    assert 'href="/direct/catalog/search"' in shop.text and 'href="/direct/login"' in shop.text
    assert "/direct/storefront.css?v=7a1f1f" in shop.text
    script = re.search(r'src="(/direct/static/b/app\.[0-9a-f]+\.js)"', shop.text).group(1)
    assert client.get(script).status_code == 200
    assert 'data-sw="/direct/sw.js"' in shop.text
    assert client.get("/direct/storefront.css?v=7a1f1f").text.startswith(":root { --brand: #7a1f1f")
    # "/direct" alone is its home; the rest of the host stays the trade portal's.
    assert "Direct Chantier" in client.get("/direct").text
    trade = client.get("/login")
    assert "Pro Fournitures" in trade.text and "Direct Chantier" not in trade.text
    # Only at a segment boundary: "/directory" and "/direct-x" are the trade portal's 404s.
    for path in ("/directory", "/directx/catalog/", "/direct-pro"):
        answer = client.get(path)
        assert answer.status_code == 404 and "Direct Chantier" not in answer.text, path
    # On its own host name only, when it names one.
    front = db.session.scalar(select(Storefront).where(Storefront.code == "direct"))
    front.hosts = "shop.example.test"
    db.session.commit()
    forget()
    assert client.get("/direct/catalog/").status_code == 404
    assert "Direct Chantier" in client.get("/direct/catalog/",
                                           base_url="http://shop.example.test").text


def test_a_visitor_on_the_prefix_buys_as_on_its_own_host(app, client, world):
    front = _on_a_path(world)
    cement = world.products["cement"]
    added = client.post(f"/direct/shop/cart/{cement.id}", data={"qty": "2"})
    assert added.status_code == 303 and added.headers["Location"].startswith("/direct/")
    guest = db.session.scalar(select(User).where(User.email.like("guest-%")))
    assert guest.company.storefront_id == front.id
    cart = client.get("/direct/cart/").text
    assert "24,00" in cart and "TTC" in cart
    first = client.get("/direct/checkout/")
    assert first.status_code == 303 and first.headers["Location"] == "/direct/shop/details"
    assert client.post("/direct/shop/details", data=DETAILS).status_code == 303
    placed = _checkout(client)
    assert placed.status_code == 303 and placed.headers["Location"].startswith("/direct/orders/")
    order = db.session.scalar(select(Order).where(Order.company_id == guest.company_id))
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.storefront_id == front.id
    assert order.number in client.get(placed.headers["Location"]).text
    # Its e-mail links to the prefix on BASE_URL's host (the storefront names no host).
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == DETAILS["email"]))
    assert f"https://portal.test/direct/orders/{order.id}" in mail.body_text
    # Without the prefix the trade portal does not know this guest.
    assert client.get(f"/orders/{order.id}").status_code in (302, 303)


def test_a_trade_buyer_and_a_guest_keep_both_sessions_in_one_browser(app, client, world):
    _on_a_path(world)
    login(client, world.a.buyer)
    client.post(f"/direct/shop/cart/{world.products['cement'].id}", data={"qty": "1"})
    # Two cookies, each under its own path and name: neither overwrote the other.
    trade_cookie = client.get_cookie("session", path="/")
    guest_cookie = client.get_cookie("session-direct", path="/direct")
    assert trade_cookie is not None and guest_cookie is not None
    assert client.get_cookie("session", path="/direct") is None
    trade_orders = client.get("/orders/")
    assert trade_orders.status_code == 200 and world.a.company.name in trade_orders.text
    direct_cart = client.get("/direct/cart/")
    assert direct_cart.status_code == 200 and world.a.company.name not in direct_cart.text
    assert world.products["cement"].name("fr") in direct_cart.text
    # Signing out of the shop ends the guest's session only.
    client.post("/direct/logout")
    assert client.get("/orders/").status_code == 200


def test_a_trade_session_on_the_prefix_is_an_anonymous_visitor(app, client, world):
    _on_a_path(world)
    login(client, world.a.buyer)
    assert client.get("/orders/").status_code == 200
    # Sent as is (the browser sends "/" cookies to /direct too): not read there.
    sent = client.get("/direct/orders/")
    assert sent.status_code in (302, 303) and "/direct/login" in sent.headers["Location"]
    # Copied under the shop's name: the person may not sign in there, so nobody.
    value = client.get_cookie("session", path="/").value
    client.set_cookie("session-direct", value, path="/direct")
    copied = client.get("/direct/orders/")
    assert copied.status_code in (302, 303) and "/direct/login" in copied.headers["Location"]
    assert world.a.company.name not in client.get("/direct/catalog/").text


def test_staff_give_a_storefront_a_path_and_reserved_or_taken_ones_are_refused(
        app, client, world):
    front = f.consumer_storefront({world.products["cement"]: 1000})
    admin = f.user(None, role=Role.STAFF_ADMIN, email="admin@seller.test")
    db.session.commit()
    login(client, admin)
    form = {"name": "Direct Chantier", "hosts": "", "language": "fr", "country": "FR",
            "currency": "EUR", "brand_colour": "#7a1f1f", "prices_with_vat": "1",
            "active": "1", "price_list_id": str(front.price_list_id)}
    page = client.get(f"/staff/storefronts/{front.id}").text
    assert 'name="path_prefix"' in page
    refusals = {"/staff": "du portail lui-même", "/catalog": "du portail lui-même",
                "/static": "du portail lui-même", "/api": "du portail lui-même",
                "/direct/shop": "un seul mot", "/Direct Shop": "un seul mot",
                "/d_x": "un seul mot", "/" + "x" * 41: "un seul mot"}
    for prefix, words in refusals.items():
        refused = client.post(f"/staff/storefronts/{front.id}", data=form | {"path_prefix": prefix})
        assert refused.status_code == 422, prefix
        assert words in refused.text and 'id="sf-path_prefix-error"' in refused.text, prefix
        assert f'value="{prefix}"' in refused.text  # the form keeps what was typed
        db.session.expire_all()
        assert db.session.get(Storefront, front.id).hosts == DIRECT_HOST  # nothing saved
    saved = client.post(f"/staff/storefronts/{front.id}", data=form | {"path_prefix": "Direct/"})
    assert saved.status_code == 303
    db.session.expire_all()
    assert db.session.get(Storefront, front.id).path_prefix == "/direct"
    # Another storefront on the same hosts may not take the same path; another path it may.
    new = form | {"code": "pro", "kind": "consumer", "name": "Pro Direct",
                  "price_list_id": "", "path_prefix": "/direct"}
    taken = client.post("/staff/storefronts/new", data=new)
    assert taken.status_code == 422 and "répond déjà à /direct" in taken.text
    assert client.post("/staff/storefronts/new",
                       data=new | {"path_prefix": "/pro"}).status_code == 303
    # The trade portal keeps the root.
    trade = client.post("/staff/storefronts/1", data=form | {"path_prefix": "/pro",
                                                              "prices_with_vat": ""})
    assert trade.status_code == 422 and "racine" in trade.text, re.findall(
        r'class="error"[^>]*>([^<]+)', trade.text)
    db.session.expire_all()
    assert db.session.get(Storefront, 1).path_prefix == ""
