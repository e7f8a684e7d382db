"""Shopping list lines: stepper, note, order, removal, replacement, and ordering from a list."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Cart, CartLine, Product, ShoppingList, ShoppingListLine, VisibilityRule
from tests import factories as f
from tests.conftest import htmx_headers, login


def cart_of(user) -> dict[str, int]:
    return dict(db.session.execute(
        select(Product.sku, CartLine.quantity).join(CartLine.product).join(Cart)
        .where(Cart.user_id == user.id)).all())


def skus_in(sl) -> list[tuple[str, int]]:
    db.session.expire_all()
    return [(line.product.sku, line.quantity) for line in
            db.session.get(ShoppingList, sl.id).lines]


@pytest.fixture
def sl(world):
    p = world.products
    made = f.shopping_list(world.a.buyer, "Site 1", lines=[
        (p["screws"], 10), (p["cement"], 2), (p["gloves"], 12)])
    world.a.buyer.language = "en"
    db.session.commit()
    return made


def line_of(sl, sku):
    return next(line for line in sl.lines if line.product.sku == sku)


@pytest.mark.parametrize(("form", "expected"), [
    ({"step": "up"}, 24),
    ({"step": "down"}, 12),
    ({}, 36),  # typed 36, saved
])
def test_stepper_moves_by_the_selling_unit(client, world, sl, form, expected):
    login(client, world.a.buyer)
    gloves = line_of(sl, "GANT-9")
    typed = "12" if form else "36"
    client.post(f"/lists/{sl.id}/line/{gloves.id}", data={f"qty-{gloves.id}": typed, **form})
    assert dict(skus_in(sl))["GANT-9"] == expected


def test_a_typed_quantity_is_rounded_to_the_selling_unit_and_said(client, world, sl):
    login(client, world.a.buyer)
    gloves = line_of(sl, "GANT-9")
    response = client.post(f"/lists/{sl.id}/line/{gloves.id}",
                           data={f"qty-{gloves.id}": "13", f"note-{gloves.id}": "size 9"},
                           headers=htmx_headers("list_lines"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith('<div id="list_lines"')
    assert "Rounded to 24: sold by 12." in body
    db.session.expire_all()
    assert (line_of(sl, "GANT-9").quantity, line_of(sl, "GANT-9").note) == (24, "size 9")


@pytest.mark.parametrize("typed", ["abc", "0", "١٢", "1_000", "9999999"])
def test_a_bad_quantity_answers_422_with_the_lines_and_changes_nothing(client, world, sl,
                                                                      typed):
    login(client, world.a.buyer)
    screws = line_of(sl, "VIS-440")
    response = client.post(f"/lists/{sl.id}/line/{screws.id}",
                           data={f"qty-{screws.id}": typed}, headers=htmx_headers())
    assert response.status_code == 422
    assert 'id="list_lines"' in response.get_data(as_text=True)
    assert dict(skus_in(sl))["VIS-440"] == 10


def test_without_javascript_a_line_update_redirects_back_to_the_list(client, world, sl):
    login(client, world.a.buyer)
    screws = line_of(sl, "VIS-440")
    response = client.post(f"/lists/{sl.id}/line/{screws.id}", data={f"qty-{screws.id}": "15"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/lists/{sl.id}")


def test_lines_move_up_and_down(client, world, sl):
    login(client, world.a.buyer)
    gloves = line_of(sl, "GANT-9")
    client.post(f"/lists/{sl.id}/line/{gloves.id}/move?dir=up")
    assert [s for s, _ in skus_in(sl)] == ["VIS-440", "GANT-9", "CIM-35"]
    client.post(f"/lists/{sl.id}/line/{gloves.id}/move?dir=up")
    assert [s for s, _ in skus_in(sl)] == ["GANT-9", "VIS-440", "CIM-35"]
    client.post(f"/lists/{sl.id}/line/{gloves.id}/move?dir=up")  # already first
    client.post(f"/lists/{sl.id}/line/{gloves.id}/move", data={"dir": "down"})
    assert [s for s, _ in skus_in(sl)] == ["VIS-440", "GANT-9", "CIM-35"]


def test_remove_a_line(client, world, sl):
    login(client, world.a.buyer)
    client.post(f"/lists/{sl.id}/line/{line_of(sl, 'CIM-35').id}/remove")
    assert [s for s, _ in skus_in(sl)] == ["VIS-440", "GANT-9"]


def test_add_all_to_cart(client, world, sl):
    login(client, world.a.buyer)
    response = client.post(f"/lists/{sl.id}/to-cart", data={"all": "1"})
    assert response.status_code == 303
    assert cart_of(world.a.buyer) == {"VIS-440": 10, "CIM-35": 2, "GANT-9": 12}


def test_add_selected_to_cart(client, world, sl):
    login(client, world.a.buyer)
    picked = [str(line_of(sl, "CIM-35").id), str(line_of(sl, "GANT-9").id)]
    client.post(f"/lists/{sl.id}/to-cart", data={"line": picked})
    assert cart_of(world.a.buyer) == {"CIM-35": 2, "GANT-9": 12}


def test_add_selected_with_nothing_selected_says_so(client, world, sl):
    login(client, world.a.buyer)
    response = client.post(f"/lists/{sl.id}/to-cart", data={}, headers=htmx_headers())
    assert response.status_code == 422
    assert "Select at least one line." in response.get_data(as_text=True)
    assert cart_of(world.a.buyer) == {}


def test_add_to_cart_by_htmx_answers_the_notice_and_the_cart_badge(client, world, sl):
    login(client, world.a.buyer)
    response = client.post(f"/lists/{sl.id}/to-cart", data={"all": "1"},
                           headers=htmx_headers("list_notice"))
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="list_notice"')
    assert "3 lines added to your cart." in body
    assert 'id="cart-badge"' in body and 'hx-swap-oob="true"' in body and ">3<" in body


def test_selected_ids_of_another_list_are_ignored(client, world, sl):
    other = f.shopping_list(world.a.buyer, "Other", lines=[(world.products["flour"], 10)])
    db.session.commit()
    login(client, world.a.buyer)
    response = client.post(f"/lists/{sl.id}/to-cart", data={"line": str(other.lines[0].id)})
    assert response.status_code == 422
    assert cart_of(world.a.buyer) == {}


def test_a_discontinued_product_stays_with_its_replacement_and_can_be_swapped(client, world,
                                                                              sl):
    new_screws = f.product(world.categories["tools"], "VIS-450", price_list=world.base,
                           tiers={1: 110}, warehouse=world.warehouse, stock=300, case_pack=5)
    old = world.products["screws"]
    old.discontinued = True
    old.replacement_id = new_screws.id
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/lists/{sl.id}").get_data(as_text=True)
    assert "Discontinued: replaced by" in body and "VIS-450" in body
    assert "Use VIS-450 instead" in body
    # Ordering the whole list leaves the discontinued line out, and says why.
    client.post(f"/lists/{sl.id}/to-cart", data={"all": "1"})
    assert "VIS-440" not in cart_of(world.a.buyer)
    body = client.get(f"/lists/{sl.id}").get_data(as_text=True)
    assert "discontinued, replaced by VIS-450" in body
    client.post(f"/lists/{sl.id}/line/{line_of(sl, 'VIS-440').id}/swap")
    assert skus_in(sl)[0] == ("VIS-450", 10)


def test_swapping_onto_a_replacement_already_listed_adds_the_quantities(client, world, sl):
    cement = world.products["cement"]
    old = world.products["screws"]
    old.discontinued = True
    old.replacement_id = cement.id
    db.session.commit()
    login(client, world.a.buyer)
    client.post(f"/lists/{sl.id}/line/{line_of(sl, 'VIS-440').id}/swap")
    assert skus_in(sl) == [("CIM-35", 12), ("GANT-9", 12)]


def test_swap_without_a_replacement_is_refused(client, world, sl):
    login(client, world.a.buyer)
    response = client.post(f"/lists/{sl.id}/line/{line_of(sl, 'CIM-35').id}/swap",
                           headers=htmx_headers())
    assert response.status_code == 422


def test_an_invisible_product_shows_as_unavailable_and_is_skipped(client, world, sl):
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  product_id=world.products["cement"].id))
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/lists/{sl.id}").get_data(as_text=True)
    assert body.count("No longer available: left out when you order.") == 2
    client.post(f"/lists/{sl.id}/to-cart", data={"all": "1"})
    assert cart_of(world.a.buyer) == {"CIM-35": 2}
    assert "no longer available" in client.get(f"/lists/{sl.id}").get_data(as_text=True)


def test_a_viewer_cannot_add_a_list_to_a_cart(client, world, sl):
    sl.shared = True
    db.session.commit()
    login(client, world.a.viewer)
    body = client.get(f"/lists/{sl.id}").get_data(as_text=True)
    assert "Tout ajouter au panier" not in body and "list_to_cart" not in body
    assert client.post(f"/lists/{sl.id}/to-cart", data={"all": "1"}).status_code == 403


def test_the_list_page_costs_the_same_queries_for_3_or_30_lines(client, world, sl):
    from sqlalchemy import event

    def count_for(url):
        n = 0

        def before(*_args):
            nonlocal n
            n += 1

        # Each request starts from a cold session, as in production (the test's session would
        # otherwise hand the first request the signed-in user without a query).
        db.session.expire_all()
        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return n

    login(client, world.a.buyer)
    count_for(f"/lists/{sl.id}")  # the process keeps its reference data from now on
    few = count_for(f"/lists/{sl.id}")
    for i in range(27):
        product = f.product(world.categories["tools"], f"EXTRA-{i}", price_list=world.base)
        db.session.add(ShoppingListLine(list_id=sl.id, product_id=product.id, quantity=1,
                                        position=10 + i))
    db.session.commit()
    assert count_for(f"/lists/{sl.id}") == few


def test_add_an_order_to_a_new_list(client, world):
    p = world.products
    order = f.order(world.a.buyer, [(p["screws"], 10, 80), (p["cement"], 3, 850)])
    db.session.commit()
    login(client, world.a.buyer)
    page = client.get(f"/orders/{order.id}/to-list")
    assert page.status_code == 200
    response = client.post(f"/orders/{order.id}/to-list",
                           data={"list_id": "new", "new_name": "From order"})
    assert response.status_code == 303
    created = db.session.scalar(select(ShoppingList).where(ShoppingList.name == "From order"))
    assert skus_in(created) == [("VIS-440", 10), ("CIM-35", 3)]


def test_add_an_order_to_an_existing_list_adds_up_quantities(client, world, sl):
    p = world.products
    order = f.order(world.a.buyer, [(p["screws"], 10, 80), (p["flour"], 20, 120)])
    db.session.commit()
    login(client, world.a.buyer)
    client.post(f"/orders/{order.id}/to-list", data={"list_id": str(sl.id)})
    assert skus_in(sl) == [("VIS-440", 20), ("CIM-35", 2), ("GANT-9", 12), ("FAR-T55", 20)]


def test_adding_an_order_to_a_list_i_cannot_edit_is_a_404(client, world):
    p = world.products
    order = f.order(world.a.buyer, [(p["screws"], 10, 80)])
    foreign = f.shopping_list(world.b.buyer, "B", shared=True)
    colleague_shared = f.shopping_list(world.a.admin, "Admin's shared", shared=True)
    db.session.commit()
    login(client, world.a.buyer)
    for target in (foreign, colleague_shared):
        response = client.post(f"/orders/{order.id}/to-list", data={"list_id": str(target.id)})
        assert response.status_code == 404
    assert not foreign.lines and not colleague_shared.lines


def test_adding_an_order_to_no_list_asks_for_one(client, world):
    order = f.order(world.a.buyer, [(world.products["screws"], 10, 80)])
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    response = client.post(f"/orders/{order.id}/to-list", data={"list_id": "new"})
    assert response.status_code == 422
    assert "Choose a list, or give a name for a new one." in response.get_data(as_text=True)


def test_the_catalogs_add_to_list_still_works_and_respects_edit_rights(app, world):
    from portal.services import DomainError
    from portal.services.ordering.lists import add_to_list

    a = world.a
    mine = f.shopping_list(a.buyer, "Mine")
    shared_by_admin = f.shopping_list(a.admin, "Shared", shared=True)
    with app.test_request_context():
        add_to_list(a.buyer, mine, world.products["screws"], 5)
        add_to_list(a.buyer, mine, world.products["screws"], 5)
        db.session.refresh(mine)
        assert [(x.product.sku, x.quantity) for x in mine.lines] == [("VIS-440", 10)]
        with pytest.raises(DomainError):
            add_to_list(a.buyer, shared_by_admin, world.products["screws"], 5)
        add_to_list(a.admin, shared_by_admin, world.products["screws"], 5)
