"""Buying without an account on a consumer storefront (issue 22): a visitor adds gloves, gives
a name, an e-mail and an address, places the order and is told to pay by bank transfer; the
order waits for the payment in the seller's queue, marked with its storefront. Bad details
change nothing, an address that already has an account is never attached, and a guest is a
company like any other: another guest's order is a 404."""

import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Company,
    Order,
    OrderStatus,
    User,
)
from tests import factories as f

DIRECT = f.DIRECT
DETAILS = {"name": "Claire Martin", "email": "claire@example.fr", "phone": "0612345678",
           "line1": "12 rue des Lilas", "postal_code": "69003", "city": "Lyon"}


def _direct(world):
    return f.consumer_storefront({world.products["cement"]: 1000})


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def _checkout(client) -> str:
    page = client.get("/checkout/", base_url=DIRECT).get_data(as_text=True)
    place = re.search(r'name="place" value="([^"]+)"', page).group(1)
    return client.post("/checkout/", base_url=DIRECT,
                       data={"place": place, "token": _token(page)})


def test_a_visitor_buys_without_an_account_and_pays_by_transfer(app, client, world):
    front = _direct(world)
    cement = world.products["cement"]
    added = client.post(f"/shop/cart/{cement.id}", base_url=DIRECT, data={"qty": "2"})
    assert added.status_code == 303
    guest = db.session.scalar(select(User).where(User.email.like("guest-%")))
    assert guest.company.storefront_id == front.id and guest.company.payment_terms == "prepay"
    # The cart shows the line with its VAT, as the product page did: 2 × 10,00 € + 20 %.
    cart = client.get("/cart/", base_url=DIRECT).get_data(as_text=True)
    assert "24,00" in cart and "TTC" in cart
    # The checkout asks for the details first.
    first = client.get("/checkout/", base_url=DIRECT)
    assert first.status_code == 303 and first.headers["Location"].endswith("/shop/details")
    saved = client.post("/shop/details", base_url=DIRECT, data=DETAILS)
    assert saved.status_code == 303
    placed = _checkout(client)
    assert placed.status_code == 303, placed.get_data(as_text=True)[:2000]
    order = db.session.scalar(select(Order).where(Order.company_id == guest.company_id))
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.storefront_id == front.id and order.subtotal_cents == 2000
    assert order.total_cents == 2400  # 20 % VAT on the public price
    page = client.get(placed.headers["Location"], base_url=DIRECT).get_data(as_text=True)
    assert "virement" in page.lower() and order.number in page
    assert db.session.get(User, guest.id).email == "claire@example.fr"


def test_bad_details_change_nothing_and_say_where(app, client, world):
    _direct(world)
    client.post(f"/shop/cart/{world.products['cement'].id}", base_url=DIRECT, data={"qty": "1"})
    bad = client.post("/shop/details", base_url=DIRECT,
                      data=DETAILS | {"email": "claire", "postal_code": "6900"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'id="d-email-error"' in text and 'id="d-postal_code-error"' in text
    guest = db.session.scalar(select(User).where(User.email.like("guest-%")))
    assert guest is not None and guest.name != "Claire Martin"


def test_an_address_that_has_an_account_is_never_attached(app, client, world):
    _direct(world)
    client.post(f"/shop/cart/{world.products['cement'].id}", base_url=DIRECT, data={"qty": "1"})
    taken = client.post("/shop/details", base_url=DIRECT,
                        data=DETAILS | {"email": world.a.buyer.email.upper()})
    assert taken.status_code == 422
    assert db.session.get(User, world.a.buyer.id).company_id == world.a.company.id


def test_a_refused_add_makes_no_guest(app, client, world):
    _direct(world)
    screws = world.products["screws"]  # not on the public list: not sold there at all
    answer = client.post(f"/shop/cart/{screws.id}", base_url=DIRECT, data={"qty": "1"})
    assert answer.status_code == 404
    bad_quantity = client.post(f"/shop/cart/{world.products['cement'].id}", base_url=DIRECT,
                               data={"qty": "zéro"})
    assert bad_quantity.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Company)) == 2  # A and B
    assert client.post("/shop/cart/999999", base_url=DIRECT).status_code == 404
    # The trade portal has no visitor cart.
    assert client.post(f"/shop/cart/{screws.id}", data={"qty": "1"}).status_code == 404


def test_one_guest_cannot_see_another_guests_order(app, world):
    _direct(world)
    cement = world.products["cement"]
    first, second = app.test_client(), app.test_client()
    for client, email in ((first, "one@example.fr"), (second, "two@example.fr")):
        client.post(f"/shop/cart/{cement.id}", base_url=DIRECT, data={"qty": "1"})
        client.post("/shop/details", base_url=DIRECT, data=DETAILS | {"email": email})
        assert _checkout(client).status_code == 303
    order_one = db.session.scalar(select(Order).join(User, User.id == Order.placed_by_id)
                                  .where(User.email == "one@example.fr"))
    assert second.get(f"/orders/{order_one.id}", base_url=DIRECT).status_code == 404


def test_the_guests_emails_link_to_the_consumer_storefront(app, client, world):
    """The order confirmation of a consumer links to their storefront's host (they cannot
    sign in on the trade portal's); a trade buyer's e-mails keep the portal's address."""
    from portal.models import OutboxMessage

    _direct(world)
    client.post(f"/shop/cart/{world.products['cement'].id}", base_url=DIRECT, data={"qty": "1"})
    client.post("/shop/details", base_url=DIRECT, data=DETAILS)
    assert _checkout(client).status_code == 303
    order = db.session.scalar(select(Order).join(User, User.id == Order.placed_by_id)
                              .where(User.email == DETAILS["email"]))
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == DETAILS["email"]))
    assert f"https://direct.example.test/orders/{order.id}" in mail.body_text
    assert "https://portal.test/" not in mail.body_text


def test_guests_who_never_ordered_are_forgotten_after_thirty_days(app, client, world):
    """A visitor's tap made a guest; thirty days later, without an order, the worker's daily
    duty removes the guest, their cart and lists and the company made for them. A guest
    who ordered, a recent one and the trade customers stay."""
    from datetime import timedelta

    from portal.models import Cart, ShoppingList
    from portal.services.storefronts import forget_abandoned_guests

    _direct(world)
    cement = world.products["cement"]
    now = f.T0
    ordered, idle, recent = app.test_client(), app.test_client(), app.test_client()
    for c in (ordered, idle, recent):
        c.post(f"/shop/cart/{cement.id}", base_url=DIRECT, data={"qty": "1"})
    ordered.post("/shop/details", base_url=DIRECT, data=DETAILS)
    assert _checkout(ordered).status_code == 303
    guests = db.session.scalars(select(User).where(User.email.like("guest-%"))).all()
    assert len(guests) == 2  # the one who ordered has given their address
    idle_guest, recent_guest = sorted(guests, key=lambda u: u.id)
    db.session.add(ShoppingList(company_id=idle_guest.company_id, owner_id=idle_guest.id,
                                name="Mes gants"))
    for user in (*guests, db.session.scalar(select(User).where(User.email == DETAILS["email"]))):
        user.created_at = now - timedelta(days=40)
    recent_guest.created_at = now - timedelta(days=3)
    db.session.commit()
    idle_id, idle_company = idle_guest.id, idle_guest.company_id
    companies_before = db.session.scalar(select(func.count()).select_from(Company))

    assert forget_abandoned_guests(now) == 1
    db.session.commit()
    assert db.session.get(User, idle_id) is None
    assert db.session.get(Company, idle_company) is None
    assert db.session.scalar(select(Cart).where(Cart.user_id == idle_id)) is None
    assert db.session.scalar(select(ShoppingList).where(ShoppingList.owner_id == idle_id)) is None
    assert db.session.get(User, recent_guest.id) is not None
    assert db.session.scalar(select(User).where(User.email == DETAILS["email"])) is not None
    assert db.session.scalar(select(func.count()).select_from(Company)) == companies_before - 1
    assert db.session.get(User, world.a.buyer.id) is not None
