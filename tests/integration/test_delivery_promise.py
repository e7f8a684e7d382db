"""The delivery promise end to end: dated lines, the cut-off, reservations another customer
cannot take, no over-shipment, substitutes. The clock is pinned (CLOCK_NOW); 2026-12-10 is a
Thursday, the warehouse's cut-off 14:00 Paris time, Monday to Friday."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Order,
    OrderStatus,
    ProductSubstitute,
    Stock,
    StockReservation,
    VisibilityRule,
)
from tests import factories as f
from tests.conftest import login
from tests.factories import cart_with, checkout_token, orders_of

EN = {"Accept-Language": "en"}
MORNING = "2026-12-10T09:30:00+01:00"
EVENING = "2026-12-10T16:00:00+01:00"


@pytest.fixture
def clock(app):
    def pin(moment: str):
        app.config["CLOCK_NOW"] = moment

    pin(MORNING)
    yield pin
    app.config["CLOCK_NOW"] = ""


def signed_in(app, user):
    other = app.test_client()
    login(other, user)
    return other


def place(client, site):
    return client.post("/checkout/", data={"token": checkout_token(client),
                                           "place": f"jobsite:{site.id}"}, headers=EN)


def stock_of(product, warehouse) -> Stock:
    db.session.expire_all()
    return db.session.get(Stock, (product.id, warehouse.id))


def test_a_line_short_of_stock_shows_both_dates_and_the_countdown(client, world, clock):
    cement = world.products["cement"]  # 40 in stock, lead time 2 days
    cart_with(world.a.buyer, (cement, 50))
    login(client, world.a.buyer)
    page = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "40 units Fri 11 Dec" in page
    assert "10 units Tue 15 Dec" in page  # Fri + 2 working days
    assert "Order within 4 h 30 min (before 14:00) for delivery Fri 11 Dec" in page
    clock(EVENING)
    page = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "Today's cut-off has passed: ordered now, delivery Mon 14 Dec" in page
    assert "40 units Mon 14 Dec" in page


def test_placing_an_order_reserves_stock_another_customer_then_cannot_get(app, client, world,
                                                                          clock):
    cement, wh = world.products["cement"], world.warehouse
    cart_with(world.a.buyer, (cement, 30))
    login(client, world.a.buyer)
    assert place(client, world.a.sites[0]).status_code == 303
    (first,) = orders_of(world.a.company)
    assert (stock_of(cement, wh).quantity, stock_of(cement, wh).reserved) == (40, 30)
    assert (first.lines[0].promised_date, first.lines[0].backordered_qty) == (
        date(2026, 12, 11), 0)

    cart_with(world.b.buyer, (cement, 20))
    client = signed_in(app, world.b.buyer)
    page = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "10 units Fri 11 Dec" in page and "10 units Tue 15 Dec" in page
    assert place(client, world.b.sites[0]).status_code == 303
    (second,) = orders_of(world.b.company)
    line = second.lines[0]
    # Accepted, not refused: 10 held now, 10 backordered with the lead-time date.
    assert (line.quantity, line.backordered_qty, line.backorder_date) == (
        20, 10, date(2026, 12, 15))
    assert stock_of(cement, wh).reserved == 40
    detail = client.get(f"/orders/{second.id}", headers=EN).get_data(as_text=True)
    assert "10 units Fri 11 Dec" in detail and "10 units Tue 15 Dec" in detail


def test_the_warehouse_cannot_ship_what_it_promised_to_another_order(app, client, world, clock):
    cement, wh = world.products["cement"], world.warehouse
    cart_with(world.a.buyer, (cement, 30))
    login(client, world.a.buyer)
    place(client, world.a.sites[0])
    other = f.order(world.b.buyer, [(cement, 20)], status=OrderStatus.CONFIRMED, commit=True)
    client = signed_in(app, world.fulfilment)
    line = other.lines[0]
    answer = client.post(f"/staff/fulfilment/orders/{other.id}/ship", headers=EN,
                         data={f"qty-{line.id}": "20", "warehouse": str(wh.id)})
    assert answer.status_code == 422
    assert "LYO holds 40 on hand, 10 of them for this order: ship 10 at most" in \
        answer.get_data(as_text=True)
    assert (stock_of(cement, wh).quantity, stock_of(cement, wh).reserved) == (40, 30)
    answer = client.post(f"/staff/fulfilment/orders/{other.id}/ship", headers=EN,
                         data={f"qty-{line.id}": "10", "warehouse": str(wh.id)})
    assert answer.status_code == 303
    assert (stock_of(cement, wh).quantity, stock_of(cement, wh).reserved) == (30, 30)


def test_shipping_consumes_the_reservation_and_cancelling_releases_it(app, client, world,
                                                                       clock):
    cement, screws, wh = world.products["cement"], world.products["screws"], world.warehouse
    cart_with(world.a.buyer, (cement, 30), (screws, 100))
    login(client, world.a.buyer)
    place(client, world.a.sites[0])
    (order,) = orders_of(world.a.company)
    client = signed_in(app, world.fulfilment)
    client.post(f"/staff/fulfilment/orders/{order.id}/confirm")
    lines = {line.product_id: line.id for line in order.lines}
    answer = client.post(f"/staff/fulfilment/orders/{order.id}/ship", data={
        f"qty-{lines[cement.id]}": "12", f"qty-{lines[screws.id]}": "0"})  # no warehouse: LYO
    assert answer.status_code == 303
    assert (stock_of(cement, wh).quantity, stock_of(cement, wh).reserved) == (28, 18)
    # Partly shipped orders cannot be cancelled: the rest is cancelled on a new order.
    other = signed_in(app, world.a.buyer)
    cart_with(world.a.buyer, (cement, 5))
    place(other, world.a.sites[0])
    newest = max(orders_of(world.a.company), key=lambda o: o.id)
    assert stock_of(cement, wh).reserved == 23
    assert client.post(f"/staff/fulfilment/orders/{newest.id}/cancel",
                       data={"reason": "Chantier arrêté"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, newest.id).status == OrderStatus.CANCELLED
    assert stock_of(cement, wh).reserved == 18


def test_a_rejected_order_gives_its_units_back(world, clock, app):
    from portal.services import delivery

    cement, wh = world.products["cement"], world.warehouse
    o = f.order(world.a.buyer, [(cement, 25)])
    with app.test_request_context():
        delivery.reserve_order(o, delivery.now())
        assert stock_of(cement, wh).reserved == 25
        assert delivery.release_order(db.session.get(Order, o.id)) == 25
    assert stock_of(cement, wh).reserved == 0
    assert db.session.scalars(select(StockReservation)).all() == []


def _substitute(world, stock=50):
    gloves, flour = world.products["gloves"], world.products["flour"]  # gloves: 0 in stock
    other = f.product(world.categories["tools"], "GANT-10", price_list=world.base,
                      case_pack=12, order_multiple=12, tiers={12: 310},
                      warehouse=world.warehouse, stock=stock)
    db.session.add_all([ProductSubstitute(product_id=gloves.id, substitute_id=flour.id,
                                          position=0),
                        ProductSubstitute(product_id=gloves.id, substitute_id=other.id,
                                          position=1)])
    db.session.commit()
    return gloves, flour, other


def test_an_out_of_stock_line_offers_a_visible_substitute_in_stock_and_swaps_in_one_tap(
        client, world, clock):
    gloves, flour, other = _substitute(world)
    # Company A sees only tools: flour (food) is invisible to it, never offered.
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["tools"].id))
    db.session.commit()
    (line,) = cart_with(world.a.buyer, (gloves, 24))
    login(client, world.a.buyer)
    page = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "GANT-10" in page and "FAR-T55" not in page
    answer = client.post(f"/cart/line/{line.id}/swap", data={"product_id": str(flour.id)},
                         headers=EN)
    assert answer.status_code == 303  # refused, said on the cart: nothing changed
    db.session.expire_all()
    assert [cl.product_id for cl in db.session.get(type(line), line.id).cart.lines] == [gloves.id]
    answer = client.post(f"/cart/line/{line.id}/swap", data={"product_id": str(other.id)},
                         headers={**EN, "HX-Request": "true"})
    assert answer.status_code == 200 and answer.headers["HX-Redirect"].endswith("/cart/")
    db.session.expire_all()
    swapped = db.session.get(type(line), line.id)
    assert (swapped.product_id, swapped.quantity) == (other.id, 24)


def test_a_substitute_short_of_stock_itself_is_not_offered(client, world, clock):
    gloves, _flour, _other = _substitute(world, stock=12)
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["tools"].id))
    db.session.commit()
    cart_with(world.a.buyer, (gloves, 24))
    login(client, world.a.buyer)
    assert "GANT-10" not in client.get("/cart/", headers=EN).get_data(as_text=True)


def test_another_buyers_line_cannot_be_swapped(client, world, clock):
    gloves, _flour, other = _substitute(world)
    (line,) = cart_with(world.b.buyer, (gloves, 24))
    login(client, world.a.buyer)
    assert client.post(f"/cart/line/{line.id}/swap",
                       data={"product_id": str(other.id)}).status_code == 404


def test_staff_set_substitutes_and_a_cutoff_refusing_what_does_not_parse(client, world):
    gloves = world.products["gloves"]
    login(client, world.staff)
    url = f"/staff/catalog/products/{gloves.id}/substitutes"
    bad = client.post(url, data={"substitutes": "NOPE-1\nGANT-9"}, headers=EN)
    assert bad.status_code == 422 and "Unknown SKU: NOPE-1" in bad.get_data(as_text=True)
    assert client.post(url, data={"substitutes": "VIS-440, cim-35"}).status_code == 303
    assert [s.substitute_id for s in db.session.scalars(
        select(ProductSubstitute).order_by(ProductSubstitute.position))] == [
        world.products["screws"].id, world.products["cement"].id]
    wh = world.warehouse
    bad = client.post(f"/staff/warehouses/{wh.id}", headers=EN,
                      data={"cutoff": "25h", "working_days": "12345", "holidays": "1"})
    assert bad.status_code == 422 and "Enter a time such as 14:00." in bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(wh), wh.id).cutoff_minutes == 840
    assert client.post(f"/staff/warehouses/{wh.id}", data={
        "cutoff": "11 h 30", "working_days": "123456"}).status_code == 303
    db.session.expire_all()
    saved = db.session.get(type(wh), wh.id)
    assert (saved.cutoff_minutes, saved.working_days, saved.holidays_closed) == (
        690, "123456", False)


def test_the_home_page_tells_the_buyer_the_countdown_and_staff_see_none(client, app, world,
                                                                        clock):
    login(client, world.a.buyer)
    assert "Order within 4 h 30 min (before 14:00) for delivery Fri 11 Dec" in client.get(
        "/", headers=EN).get_data(as_text=True)
    staff = signed_in(app, world.staff)
    assert "Order within" not in staff.get("/", headers=EN).get_data(as_text=True)


def test_repeating_an_order_shows_each_lines_dates_and_takes_the_substitute_when_ticked(
        client, world, clock):
    """The reorder preview dates each line to the order's jobsite; a line that would wait
    offers the in-stock substitute, taken only when the buyer ticks it."""
    from tests.factories import order

    gloves, flour, other = _substitute(world)
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["tools"].id))
    cement = world.products["cement"]
    past = order(world.a.buyer, [(gloves, 24), (cement, 5)], jobsite=world.a.sites[0],
                 commit=True)
    login(client, world.a.buyer)
    page = client.get(f"/orders/{past.id}/reorder", headers=EN).get_data(as_text=True)
    assert "Delivery Fri 11 Dec" in page  # cement, from stock
    assert "Take instead: " in page and "(GANT-10), 24 units" in page
    assert "FAR-T55" not in page  # invisible to company A: never offered
    line_ids = [line.id for line in past.lines]
    # A tampered choice (a product the preview did not offer) orders the line as it was.
    typed = {f"qty-{line_ids[0]}": "24", f"qty-{line_ids[1]}": "5"}
    client.post(f"/orders/{past.id}/reorder", data={
        "line": [str(i) for i in line_ids], "action": "add",
        f"use-{line_ids[0]}": str(flour.id), **typed})
    assert {(cl.product_id, cl.quantity) for cl in _cart_lines(world.a.buyer)} == {
        (gloves.id, 24), (cement.id, 5)}
    client.post(f"/orders/{past.id}/reorder", data={
        "line": [str(line_ids[0])], "action": "replace", f"use-{line_ids[0]}": str(other.id),
        **typed})
    assert {(cl.product_id, cl.quantity) for cl in _cart_lines(world.a.buyer)} == {
        (other.id, 24)}


def _cart_lines(user):
    from portal.models import Cart, CartLine

    db.session.expire_all()
    return db.session.scalars(select(CartLine).join(Cart).where(Cart.user_id == user.id)).all()


def test_a_list_shows_each_lines_date_and_swaps_a_waiting_line_for_its_substitute(
        client, world, clock):
    from tests.factories import shopping_list

    gloves, flour, other = _substitute(world)
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["tools"].id))
    cement = world.products["cement"]
    kept = shopping_list(world.a.buyer, lines=[(gloves, 24), (cement, 5)])
    db.session.commit()
    login(client, world.a.buyer)
    page = client.get(f"/lists/{kept.id}", headers=EN).get_data(as_text=True)
    assert "Delivery Fri 11 Dec" in page  # cement, from stock
    assert "Instead: " in page and "(GANT-10), 24 units" in page and "FAR-T55" not in page
    gloves_line = next(line for line in kept.lines if line.product_id == gloves.id)
    swap = f"/lists/{kept.id}/line/{gloves_line.id}/swap"
    refused = client.post(swap, data={"product_id": str(flour.id)},
                          headers={**EN, "HX-Request": "true"})
    assert "This substitute is not available any more." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(gloves_line), gloves_line.id).product_id == gloves.id
    client.post(swap, data={"product_id": str(other.id)}, headers=EN)
    db.session.expire_all()
    swapped = db.session.get(type(gloves_line), gloves_line.id)
    assert (swapped.product_id, swapped.quantity) == (other.id, 24)


def test_quick_order_dates_each_line_and_offers_the_substitute_of_a_waiting_one(
        client, world, clock):
    gloves, _flour, other = _substitute(world)
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["tools"].id))
    db.session.commit()
    login(client, world.a.buyer)
    page = client.post("/quick-order/check", data={"paste": "CIM-35 5\nGANT-9 24"},
                       headers=EN).get_data(as_text=True)
    assert "Delivery Fri 11 Dec" in page  # cement, from stock
    assert "expected in" not in page  # a date, never "in N days"
    assert "Instead: " in page and "(GANT-10)" in page and "FAR-T55" not in page
    assert 'name="replace-1" value="GANT-10"' in page
    # One tap: the row takes the substitute, checked again (in stock: ready).
    row = client.post("/quick-order/line", data={"sku-1": "GANT-9", "qty-1": "24",
                                                 "replace-1": "GANT-10"},
                      headers={**EN, "HX-Request": "true"}).get_data(as_text=True)
    assert 'value="GANT-10"' in row and "Ready to order" in row and "Instead: " not in row
