""""Pas de substitution": a buyer marks a cart or list line in one tap (form post or htmx); a
marked line is never offered a substitute nor swapped, and the mark goes onto the order line,
which the warehouse sees. Clock pinned: Thursday 2026-12-10, 09:30 Paris."""

import pytest

from portal.extensions import db
from portal.models import CartLine, Order, ProductSubstitute, ShoppingListLine
from portal.services.delivery import offers_substitute
from portal.services.delivery.dates import Part
from tests import factories as f
from tests.conftest import login
from tests.factories import cart_with, checkout_token, shopping_list

EN = {"Accept-Language": "en"}
HX = {**EN, "HX-Request": "true"}
WAITS, IN_STOCK = Part(5, None, False), Part(5, None, True)


@pytest.mark.parametrize(("parts", "marked", "offered"), [
    ((IN_STOCK,), False, False),  # nothing waits: nothing to offer
    ((IN_STOCK, WAITS), False, True),  # part waits for the lead time
    ((WAITS,), False, True),
    ((IN_STOCK, WAITS), True, False),  # the buyer wants this product and no other
    ((), True, False),
])
def test_a_substitute_is_offered_only_to_a_waiting_line_not_marked(parts, marked, offered):
    assert offers_substitute(parts, marked) is offered


@pytest.fixture
def short_gloves(app, world):
    app.config["CLOCK_NOW"] = "2026-12-10T09:30:00+01:00"
    gloves = world.products["gloves"]  # none in stock
    other = f.product(world.categories["tools"], "GANT-10", price_list=world.base,
                      case_pack=12, order_multiple=12, tiers={12: 310},
                      warehouse=world.warehouse, stock=50)
    db.session.add(ProductSubstitute(product_id=gloves.id, substitute_id=other.id, position=0))
    db.session.commit()
    yield gloves, other
    app.config["CLOCK_NOW"] = ""


def _line(model, line_id):
    db.session.expire_all()
    return db.session.get(model, line_id)


def test_a_marked_cart_line_offers_no_substitute_and_the_order_line_keeps_the_mark(
        app, client, world, short_gloves):
    gloves, other = short_gloves
    (line,) = cart_with(world.a.buyer, (gloves, 24))
    login(client, world.a.buyer)
    assert "Instead: " in client.get("/cart/", headers=EN).get_data(as_text=True)
    answer = client.post(f"/cart/line/{line.id}/no-substitute", data={"no_substitute": "1"},
                         headers=HX)
    assert answer.status_code == 200 and "Marked: no substitute." in answer.get_data(as_text=True)
    assert 'aria-pressed="true"' in answer.get_data(as_text=True)
    assert _line(CartLine, line.id).no_substitute
    page = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "Instead: " not in page and "GANT-10" not in page
    client.post(f"/cart/line/{line.id}/swap", data={"product_id": str(other.id)}, headers=EN)
    assert _line(CartLine, line.id).product_id == gloves.id  # refused: nothing changed
    assert client.post("/checkout/", data={"token": checkout_token(client),
                                           "place": f"jobsite:{world.a.sites[0].id}"}
                       ).status_code == 303
    order = db.session.scalars(db.select(Order)).one()
    assert order.lines[0].no_substitute
    staff = app.test_client()
    login(staff, world.fulfilment)
    staff_page = staff.get(f"/staff/fulfilment/orders/{order.id}", headers=EN)
    assert "No substitute: ship this product or nothing" in staff_page.get_data(as_text=True)


def test_the_mark_is_cleared_in_one_tap_without_javascript(client, world, short_gloves):
    gloves, _other = short_gloves
    (line,) = cart_with(world.a.buyer, (gloves, 24))
    line.no_substitute = True
    db.session.commit()
    login(client, world.a.buyer)
    answer = client.post(f"/cart/line/{line.id}/no-substitute", data={"no_substitute": "0"})
    assert answer.status_code == 303 and not _line(CartLine, line.id).no_substitute
    assert "Instead: " in client.get("/cart/", headers=EN).get_data(as_text=True)


def test_a_marked_list_line_offers_no_substitute_and_carries_the_mark_to_the_cart(
        client, world, short_gloves):
    gloves, other = short_gloves
    kept = shopping_list(world.a.buyer, lines=[(gloves, 24)])
    db.session.commit()
    (list_line,) = kept.lines
    login(client, world.a.buyer)
    url = f"/lists/{kept.id}/line/{list_line.id}"
    assert client.post(url + "/no-substitute", data={"no_substitute": "1"}).status_code == 303
    assert _line(ShoppingListLine, list_line.id).no_substitute
    assert "Instead: " not in client.get(f"/lists/{kept.id}", headers=EN).get_data(as_text=True)
    refused = client.post(url + "/swap", data={"product_id": str(other.id)}, headers=HX)
    assert "no substitute" in refused.get_data(as_text=True)
    client.post(f"/lists/{kept.id}/to-cart", data={"line": str(list_line.id)})
    added = db.session.scalars(db.select(CartLine)).one()
    assert (added.product_id, added.no_substitute) == (gloves.id, True)


def test_another_companys_line_cannot_be_marked(client, world, short_gloves):
    gloves, _other = short_gloves
    (line,) = cart_with(world.b.buyer, (gloves, 24))
    kept = shopping_list(world.b.buyer, lines=[(gloves, 24)])
    db.session.commit()
    login(client, world.a.buyer)
    assert client.post(f"/cart/line/{line.id}/no-substitute",
                       data={"no_substitute": "1"}).status_code == 404
    assert client.post(f"/lists/{kept.id}/line/{kept.lines[0].id}/no-substitute",
                       data={"no_substitute": "1"}).status_code == 404
    assert not _line(CartLine, line.id).no_substitute
