"""The stepper, add to cart and add to a list, with htmx and without JavaScript."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Cart, CartLine, CompanyStatus, Role, ShoppingList, ShoppingListLine
from tests import factories as f
from tests.conftest import htmx_headers, login
from tests.factories import shopping_list

BAD_QUANTITIES = ["-1", "1.5", "１２", "١٢", "1_000", "sNaN", "1e9", "", "0", "999999999"]


def _lines(user):
    return db.session.scalars(
        select(CartLine).join(Cart).where(Cart.user_id == user.id).order_by(CartLine.position)
    ).all()


def test_adding_to_cart_answers_the_row_with_a_confirmation_and_the_badge(client, world):
    screws = world.products["screws"]
    login(client, world.a.buyer)
    response = client.post(f"/catalog/p/{screws.id}/cart",
                           data={"qty": "10", "view": "row", "next": "/catalog/search?q=vis"},
                           headers=htmx_headers(f"p-{screws.id}"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article id="p-{screws.id}"')
    assert "10 ×" in html and 'role="status"' in html
    assert 'id="cart-badge"' in html and 'hx-swap-oob="true"' in html
    assert ">1<" in html.split('id="cart-badge"', 1)[1]
    [line] = _lines(world.a.buyer)
    assert (line.product_id, line.quantity) == (screws.id, 10)


def test_adding_again_increases_the_same_line(client, world):
    screws = world.products["screws"]
    login(client, world.a.buyer)
    for _ in range(2):
        client.post(f"/catalog/p/{screws.id}/cart", data={"qty": "10"}, headers=htmx_headers())
    client.post(f"/catalog/p/{world.products['cement'].id}/cart", data={"qty": "1"},
                headers=htmx_headers())
    assert [(li.product_id, li.quantity, li.position) for li in _lines(world.a.buyer)] == [
        (screws.id, 20, 0), (world.products["cement"].id, 1, 1)]
    cart = db.session.scalar(select(Cart).where(Cart.user_id == world.a.buyer.id))
    assert cart.company_id == world.a.company.id


def test_without_javascript_add_to_cart_redirects_back_with_a_message(client, world):
    screws = world.products["screws"]
    login(client, world.a.buyer)
    response = client.post(f"/catalog/p/{screws.id}/cart",
                           data={"qty": "10", "next": "/catalog/search?q=vis"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/catalog/search?q=vis")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "10 ×" in page


def test_the_next_address_after_adding_is_always_local(client, world):
    login(client, world.a.buyer)
    pid = world.products["screws"].id
    for evil in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        response = client.post(f"/catalog/p/{pid}/cart", data={"qty": "10", "next": evil})
        assert response.headers["Location"].endswith(f"/catalog/p/{pid}")


def test_the_product_page_answers_its_buy_box(client, world):
    login(client, world.a.buyer)
    pid = world.products["cement"].id
    html = client.post(f"/catalog/p/{pid}/cart", data={"qty": "2", "view": "page"},
                       headers=htmx_headers("buy")).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="buy"')
    assert "2 ×" in html and 'hx-swap-oob="true"' in html


@pytest.mark.parametrize("raw", BAD_QUANTITIES)
def test_bad_quantities_are_refused_next_to_the_stepper(client, world, raw):
    login(client, world.a.buyer)
    pid = world.products["screws"].id
    for path in ("cart", "qty", "list"):
        response = client.post(f"/catalog/p/{pid}/{path}", data={"qty": raw, "view": "row"},
                               headers=htmx_headers(f"p-{pid}"))
        html = response.get_data(as_text=True)
        assert response.status_code == 422, (path, raw)
        assert f'id="qty-row-{pid}-error"' in html and 'aria-invalid="true"' in html
    assert _lines(world.a.buyer) == []
    assert db.session.scalars(select(ShoppingListLine)).all() == []


def test_bad_quantity_without_javascript_answers_the_product_page_with_the_message(client, world):
    login(client, world.a.buyer)
    pid = world.products["screws"].id
    response = client.post(f"/catalog/p/{pid}/cart", data={"qty": "1.5"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" in html and f'id="qty-page-{pid}-error"' in html
    assert 'value="1.5"' in html  # what the user typed is kept


def test_a_quantity_off_the_case_is_refused_with_a_snap_offered(client, world):
    gloves = world.products["gloves"]  # sold by the case of 12
    login(client, world.a.buyer)
    response = client.post(f"/catalog/p/{gloves.id}/cart", data={"qty": "13"},
                           headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'name="use" value="24"' in html
    assert _lines(world.a.buyer) == []
    snapped = client.post(f"/catalog/p/{gloves.id}/qty", data={"qty": "13", "use": "24"},
                          headers=htmx_headers())
    assert snapped.status_code == 200 and 'value="24"' in snapped.get_data(as_text=True)


@pytest.mark.parametrize(("product", "qty", "step", "expected"), [
    ("gloves", "12", "up", 24),
    ("gloves", "24", "down", 12),
    ("gloves", "12", "down", 12),
    ("screws", "10", "up", 11),
    ("screws", "1", "down", 1),
    ("gloves", "13", "up", 24),
])
def test_the_stepper_moves_by_the_selling_unit(client, world, product, qty, step, expected):
    login(client, world.a.buyer)
    pid = world.products[product].id
    response = client.post(f"/catalog/p/{pid}/qty", data={"qty": qty, "step": step,
                                                          "view": "row"},
                           headers=htmx_headers(f"p-{pid}"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article id="p-{pid}"')
    assert f'value="{expected}"' in html


def test_the_stepper_reprices_the_row(client, world):
    login(client, world.a.buyer)
    pid = world.products["screws"].id
    html = client.post(f"/catalog/p/{pid}/qty", data={"qty": "10", "step": "up"},
                       headers=htmx_headers()).get_data(as_text=True)
    assert "8,80\xa0€" in html  # 11 × 0.80


def test_without_javascript_the_stepper_goes_to_the_product_page_with_the_quantity(client, world):
    login(client, world.a.buyer)
    pid = world.products["gloves"].id
    response = client.post(f"/catalog/p/{pid}/qty", data={"qty": "12", "step": "up"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/catalog/p/{pid}?qty=24")
    assert 'value="24"' in client.get(response.headers["Location"]).get_data(as_text=True)


def test_viewers_may_not_add_to_cart(client, world):
    login(client, world.a.viewer)
    pid = world.products["screws"].id
    for path in ("cart", "qty", "list"):
        assert client.post(f"/catalog/p/{pid}/{path}", data={"qty": "10"}).status_code == 403
    assert _lines(world.a.viewer) == []


def test_a_pending_company_may_not_add_to_cart(client, world):
    pending = f.company("Pending SARL", status=CompanyStatus.PENDING)
    buyer = f.user(pending, Role.BUYER)
    db.session.commit()
    login(client, buyer)
    pid = world.products["screws"].id
    assert client.post(f"/catalog/p/{pid}/cart", data={"qty": "10"}).status_code == 403
    assert _lines(buyer) == []


def test_anonymous_visitors_are_sent_to_sign_in_when_adding(client, world):
    response = client.post(f"/catalog/p/{world.products['screws'].id}/cart", data={"qty": "10"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_discontinued_product_cannot_be_added(client, world):
    cement = world.products["cement"]
    cement.discontinued = True
    db.session.commit()
    login(client, world.a.buyer)
    response = client.post(f"/catalog/p/{cement.id}/cart", data={"qty": "1"},
                           headers=htmx_headers())
    assert response.status_code == 422
    assert _lines(world.a.buyer) == []


def test_adding_to_a_list_creates_ma_liste_when_the_buyer_has_none(client, world):
    login(client, world.a.buyer)
    pid = world.products["gloves"].id
    response = client.post(f"/catalog/p/{pid}/list", data={"qty": "12", "view": "page"},
                           headers=htmx_headers("buy"))
    assert response.status_code == 200
    [created] = db.session.scalars(select(ShoppingList)).all()
    assert (created.name, created.owner_id, created.shared) == ("Ma liste", world.a.buyer.id,
                                                                False)
    assert [(li.product_id, li.quantity) for li in created.lines] == [(pid, 12)]
    assert "Ma liste" in response.get_data(as_text=True)


def test_adding_to_a_chosen_list_without_javascript(client, world):
    chosen = shopping_list(world.a.buyer, name="Site 1")
    login(client, world.a.buyer)
    pid = world.products["cement"].id
    page = client.get(f"/catalog/p/{pid}").get_data(as_text=True)
    assert f'<option value="{chosen.id}">Site 1</option>' in page
    response = client.post(f"/catalog/p/{pid}/list", data={
        "qty": "3", "list_id": str(chosen.id), "next": f"/catalog/p/{pid}"})
    assert response.status_code == 303
    db.session.refresh(chosen)
    assert [(li.product_id, li.quantity) for li in chosen.lines] == [(pid, 3)]


def test_lists_of_another_company_or_another_users_private_list_are_404(client, world):
    foreign = shopping_list(world.b.buyer, name="B", shared=True)
    private = shopping_list(world.a.approver, name="Private")
    login(client, world.a.buyer)
    pid = world.products["cement"].id
    for list_id in (str(foreign.id), str(private.id), "999999", "abc", "-1"):
        for headers in ({}, htmx_headers()):
            response = client.post(f"/catalog/p/{pid}/list",
                                   data={"qty": "1", "list_id": list_id}, headers=headers)
            assert response.status_code == 404, list_id
    assert db.session.scalars(select(ShoppingListLine)).all() == []
