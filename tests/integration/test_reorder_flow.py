"""Reorder: the change preview, "Add to my cart" versus "Replace my cart", replacements."""

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Cart, CartLine, Product, VisibilityRule
from tests import factories as f
from tests.conftest import login


def cart_of(user) -> dict[str, int]:
    rows = db.session.execute(
        select(Product.sku, CartLine.quantity).join(CartLine.product).join(Cart)
        .where(Cart.user_id == user.id)
    ).all()
    return dict(rows)


def form_for(order, **quantities) -> dict:
    """The preview's form as a browser sends it: every line ticked, quantities as shown."""
    data = {"line": [str(line.id) for line in order.lines], "action": "add"}
    for line in order.lines:
        data[f"qty-{line.id}"] = str(quantities.get(line.sku, line.quantity))
    return data


@pytest.fixture
def past(world):
    p = world.products
    order = f.order(world.a.buyer, [(p["screws"], 10, 85), (p["cement"], 4, 800)],
                     jobsite=world.a.sites[0], number="A-2001")
    db.session.commit()
    return order


def test_preview_shows_price_changes_against_the_price_paid(client, world, past):
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/orders/{past.id}/reorder").get_data(as_text=True)
    # Screws: contract price 0.80 now against 0.85 paid; cement 8.50 now against 8.00.
    assert "Price down: €0.80 instead of €0.85." in body
    assert "Price up: €8.50 instead of €8.00." in body
    assert body.count('type="checkbox" name="line"') == 2
    assert body.count("checked") == 2


def test_preview_says_how_much_is_in_stock_when_it_is_not_enough(client, world):
    p = world.products
    order = f.order(world.a.buyer, [(p["cement"], 50, 850), (p["gloves"], 12, 300)])
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/orders/{order.id}/reorder").get_data(as_text=True)
    assert "40 in stock: the rest will be backordered." in body
    assert "0 in stock: the rest will be backordered." in body


def test_preview_snaps_a_quantity_that_is_no_longer_a_multiple(client, world):
    p = world.products
    order = f.order(world.a.buyer, [(p["gloves"], 10, 300)])
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/orders/{order.id}/reorder").get_data(as_text=True)
    assert "Quantity changed from 10 to 12: sold in steps of 12." in body
    assert re.search(r'name="qty-\d+"[^>]*value="12"', body, re.S)


def test_discontinued_product_is_replaced_by_its_replacement_checked_by_default(client,
                                                                               world):
    p = world.products
    new_screws = f.product(world.categories["tools"], "VIS-450", price_list=world.base,
                           tiers={1: 110}, warehouse=world.warehouse, stock=300)
    old = p["screws"]
    order = f.order(world.a.buyer, [(old, 10, 85)])
    old.discontinued = True
    old.replacement_id = new_screws.id
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/orders/{order.id}/reorder").get_data(as_text=True)
    assert "is discontinued: replaced by VIS-450." in body
    assert re.search(r'name="line" value="\d+"\s+checked', body)
    response = client.post(f"/orders/{order.id}/reorder", data=form_for(order))
    assert response.status_code == 303
    assert cart_of(world.a.buyer) == {"VIS-450": 10}


def test_a_product_no_longer_visible_is_said_plainly_and_cannot_be_selected(client, world,
                                                                           past):
    # Company A may now see only the food category: screws and cement disappear.
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["food"].id))
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/orders/{past.id}/reorder").get_data(as_text=True)
    assert body.count("No longer available to you") == 2
    assert 'name="line"' not in body
    assert "None of these products can be ordered any more." in body
    # Posting the ids anyway adds nothing.
    response = client.post(f"/orders/{past.id}/reorder", data=form_for(past))
    assert response.status_code == 422
    assert cart_of(world.a.buyer) == {}


def test_add_to_my_cart_adds_quantities_to_lines_already_there(client, world, past):
    from portal.services.ordering.cart import add_to_cart

    add_to_cart(world.a.buyer, world.products["screws"], 5)
    add_to_cart(world.a.buyer, world.products["flour"], 10)
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/orders/{past.id}/reorder").get_data(as_text=True)
    assert "Remplacer mon panier" in body and "Ajouter à mon panier" in body
    assert "Votre panier contient 2 lignes en ce moment." in body
    response = client.post(f"/orders/{past.id}/reorder", data=form_for(past))
    assert response.status_code == 303 and response.headers["Location"].endswith("/cart/")
    assert cart_of(world.a.buyer) == {"VIS-440": 15, "FAR-T55": 10, "CIM-35": 4}


def test_replace_my_cart_empties_it_first(client, world, past):
    from portal.services.ordering.cart import add_to_cart

    add_to_cart(world.a.buyer, world.products["screws"], 5)
    add_to_cart(world.a.buyer, world.products["flour"], 10)
    db.session.commit()
    login(client, world.a.buyer)
    data = form_for(past, **{"CIM-35": 6})
    data["action"] = "replace"
    assert client.post(f"/orders/{past.id}/reorder", data=data).status_code == 303
    assert cart_of(world.a.buyer) == {"VIS-440": 10, "CIM-35": 6}


def test_only_ticked_lines_are_reordered(client, world, past):
    login(client, world.a.buyer)
    data = form_for(past)
    data["line"] = [str(past.lines[1].id)]
    assert client.post(f"/orders/{past.id}/reorder", data=data).status_code == 303
    assert cart_of(world.a.buyer) == {"CIM-35": 4}


def test_an_empty_cart_offers_only_add_to_my_cart(client, world, past):
    login(client, world.a.buyer)
    body = client.get(f"/orders/{past.id}/reorder").get_data(as_text=True)
    assert 'value="replace"' not in body and 'value="add"' in body


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "Enter a whole number of units, digits only."),
    ("１２", "Enter a whole number of units, digits only."),
    ("0", "The quantity must be at least 1."),
    ("13", "Order in steps of 12."),
])
def test_a_bad_quantity_answers_422_and_keeps_what_was_typed(client, world, typed, message):
    p = world.products
    order = f.order(world.a.buyer, [(p["gloves"], 12, 300), (p["cement"], 1, 850)])
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    data = form_for(order, **{"GANT-9": typed})
    response = client.post(f"/orders/{order.id}/reorder", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert f'value="{typed}"' in body
    assert cart_of(world.a.buyer) == {}


def test_a_bad_quantity_answers_the_form_fragment_to_htmx(client, world, past):
    login(client, world.a.buyer)
    data = form_for(past, **{"CIM-35": "x"})
    response = client.post(f"/orders/{past.id}/reorder", data=data,
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert response.get_data(as_text=True).lstrip().startswith('<form id="reorder_form"')


def test_nothing_ticked_is_refused_with_a_message(client, world, past):
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    data = form_for(past)
    data.pop("line")
    response = client.post(f"/orders/{past.id}/reorder", data=data)
    assert response.status_code == 422
    assert "Choose at least one line to order." in response.get_data(as_text=True)


def test_line_ids_of_another_order_are_ignored(client, world, past):
    other = f.order(world.a.buyer, [(world.products["flour"], 10, 120)])
    db.session.commit()
    login(client, world.a.buyer)
    data = form_for(past)
    data["line"] = [str(other.lines[0].id)]
    assert client.post(f"/orders/{past.id}/reorder", data=data).status_code == 422
    assert cart_of(world.a.buyer) == {}


def test_an_approver_may_reorder_an_order_of_their_unit(client, world, past):
    login(client, world.a.approver)
    assert client.get(f"/orders/{past.id}/reorder").status_code == 200
    assert client.post(f"/orders/{past.id}/reorder", data=form_for(past)).status_code == 303
    assert cart_of(world.a.approver) == {"VIS-440": 10, "CIM-35": 4}


def test_preview_sums_up_what_changed_above_the_lines_with_links_to_them(client, world):
    p = world.products
    # Screws 0.85 paid, 0.80 now; cement 8.00 paid, 8.50 now and only 40 in stock.
    order = f.order(world.a.buyer, [(p["screws"], 10, 85), (p["cement"], 50, 800)])
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/orders/{order.id}/reorder").get_data(as_text=True)
    summary = body[body.index('class="card reorder-summary"'):body.index('class="reorder-lines"')]
    assert "2 lines changed price" in summary
    assert "1 line not fully in stock" in summary
    assert "replaced" not in summary
    assert "Total excl. VAT now: €433.00 (it was €408.50)." in summary
    for line in order.lines:
        assert f'href="#rl-{line.id}"' in summary
        assert f'id="rl-{line.id}"' in body


def test_preview_of_an_unchanged_order_says_nothing_changed(client, world):
    p = world.products
    order = f.order(world.a.buyer, [(p["screws"], 10, 80)])
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/orders/{order.id}/reorder").get_data(as_text=True)
    assert "Nothing changed: same products, same prices, all in stock." in body
    assert 'href="#rl-' not in body


def test_preview_summary_counts_lines_that_can_no_longer_be_ordered(client, world, past):
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["food"].id))
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/orders/{past.id}/reorder").get_data(as_text=True)
    assert "2 lines can no longer be ordered" in body
    summary = body[body.index('class="card reorder-summary"'):body.index('class="reorder-lines"')]
    assert "The 2 lines that can no longer be ordered are not in today" in summary
    assert "Total excl. VAT now: €0.00 (it was €40.50)." in body
