"""The cart page: prices at the current tier, stepper, notes, remove and undo, approval."""

import pytest

from portal.extensions import db
from portal.models import CartLine, PriceTier, VisibilityRule
from tests.conftest import htmx_headers, login
from tests.factories import approval_over_limit, cart_with

EN = {"Accept-Language": "en"}


def lines_of(user):
    db.session.expire_all()
    return {line.product.sku: (line.quantity, line.note) for line in
            db.session.query(CartLine).all() if line.cart.user_id == user.id}


@pytest.fixture
def buyer(client, world):
    login(client, world.a.buyer)
    return world.a.buyer


def test_an_empty_cart_offers_quick_order_and_lists(client, buyer):
    body = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "Your cart is empty." in body
    assert 'href="/quick-order/"' in body and 'href="/lists/"' in body
    assert "Subtotal" not in body


def test_cart_lines_show_the_price_of_the_tier_the_quantity_reaches(client, buyer, world):
    # Company A's group list prices the screws at 0.80 flat; the cement comes from the base list.
    world.a.company.price_list_id = None
    cart_with(buyer, (world.products["cement"], 3), (world.products["screws"], 7))
    body = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "€8.50" in body and "€25.50" in body
    assert "€0.80" in body and "€5.60" in body
    assert "VIS-440 · Case of 10" in body
    assert "Subtotal excl. VAT" in body and "€31.10" in body
    assert "VAT 20 %" in body and "€6.22" in body and "€37.32" in body


def test_volume_tiers_change_the_unit_price_and_offer_the_full_case(client, buyer, world):
    # Without the group's flat price, the base list's tiers apply: 1.00, 0.97 from 5, 0.90 from 10.
    db.session.query(PriceTier).filter_by(price_list_id=world.pro.id).delete()
    db.session.commit()
    (line,) = cart_with(buyer, (world.products["screws"], 9))
    body = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "€0.97" in body and "€8.73" in body
    assert 'name="set" value="10"' in body
    assert "Full case: the unit price falls from €0.97 to €0.90; +1 unit costs +€0.27." in body
    client.post(f"/cart/line/{line.id}/qty", data={"set": "7"})
    # 7 → 10 would cost a third more (6.79 → 9.00): not offered.
    assert "Full case:" not in client.get("/cart/", headers=EN).get_data(as_text=True)
    client.post(f"/cart/line/{line.id}/qty", data={"set": "10"})
    assert "€0.90" in client.get("/cart/", headers=EN).get_data(as_text=True)


def test_the_stepper_moves_by_the_selling_unit_and_snaps_typed_quantities(client, buyer, world):
    (line,) = cart_with(buyer, (world.products["gloves"], 12))
    page = client.get("/cart/").get_data(as_text=True)
    assert 'name="set" value="24"' in page
    client.post(f"/cart/line/{line.id}/qty", data={"set": "24"})
    assert lines_of(buyer)["GANT-9"][0] == 24
    answer = client.post(f"/cart/line/{line.id}/qty", data={"quantity": "30"},
                         headers={**htmx_headers(), **EN})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Rounded up to 36: sold in steps of 12." in body
    assert 'id="cart-totals" class="cart-totals" hx-swap-oob="true"' in body
    assert 'id="cart-badge"' in body and 'hx-swap-oob="true"' in body
    assert lines_of(buyer)["GANT-9"][0] == 36


def test_a_bad_quantity_answers_422_with_the_line_and_changes_nothing(client, buyer, world):
    (line,) = cart_with(buyer, (world.products["cement"], 3))
    answer = client.post(f"/cart/line/{line.id}/qty", data={"quantity": "３"},
                         headers={**htmx_headers(), **EN})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert body.lstrip().startswith(f'<li id="line-{line.id}"')
    assert 'aria-invalid="true"' in body and "digits only" in body
    plain = client.post(f"/cart/line/{line.id}/qty", data={"quantity": "0"}, headers=EN)
    assert plain.status_code == 422 and "at least 1" in plain.get_data(as_text=True)
    assert lines_of(buyer)["CIM-35"][0] == 3


def test_a_plain_form_post_redirects_back_to_the_cart(client, buyer, world):
    (line,) = cart_with(buyer, (world.products["cement"], 3))
    answer = client.post(f"/cart/line/{line.id}/qty", data={"set": "4"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/cart/")


def test_a_line_note_is_saved(client, buyer, world):
    (line,) = cart_with(buyer, (world.products["cement"], 3))
    answer = client.post(f"/cart/line/{line.id}/note", data={"note": "  Pour le  lot B "},
                         headers=htmx_headers())
    assert answer.status_code == 200
    assert lines_of(buyer)["CIM-35"] == (3, "Pour le lot B")
    too_long = client.post(f"/cart/line/{line.id}/note", data={"note": "x" * 501},
                           headers=htmx_headers())
    assert too_long.status_code == 422


def test_a_note_typed_before_a_tap_on_the_stepper_is_saved_with_the_quantity(
        client, buyer, world):
    # The line is one form: a tap on + posts the note field too.
    (line,) = cart_with(buyer, (world.products["cement"], 3))
    answer = client.post(f"/cart/line/{line.id}/qty",
                         data={"set": "4", "quantity": "3", "note": "Livrer au lot B"},
                         headers={**htmx_headers(), **EN})
    assert answer.status_code == 200 and "Note saved." in answer.get_data(as_text=True)
    assert lines_of(buyer)["CIM-35"] == (4, "Livrer au lot B")


def test_a_refused_quantity_keeps_the_note_typed_and_changes_nothing(client, buyer, world):
    (line,) = cart_with(buyer, (world.products["cement"], 3, "old"))
    answer = client.post(f"/cart/line/{line.id}/qty",
                         data={"quantity": "-2", "note": "Livrer au lot B"},
                         headers={**htmx_headers(), **EN})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'value="Livrer au lot B"' in body and 'value="-2"' in body
    assert lines_of(buyer)["CIM-35"] == (3, "old")


def test_a_boosted_line_form_gets_its_line_and_a_boosted_page_form_the_page(
        client, buyer, world):
    # The cart's forms are boosted by their list and aim at their own line.
    (line,) = cart_with(buyer, (world.products["cement"], 3))
    boosted = {**htmx_headers(), "HX-Boosted": "true"}
    line_swap = client.post(f"/cart/line/{line.id}/qty", data={"set": "4"},
                            headers={**boosted, "HX-Target": f"line-{line.id}"})
    body = line_swap.get_data(as_text=True)
    assert line_swap.status_code == 200 and body.startswith(f'<li id="line-{line.id}"')
    whole_page = client.post(f"/cart/line/{line.id}/qty", data={"set": "5"}, headers=boosted)
    assert whole_page.status_code == 303


def test_a_boosted_line_form_on_a_line_gone_elsewhere_gets_the_alert_not_a_page(
        client, buyer, world):
    (line,) = cart_with(buyer, (world.products["cement"], 3))
    client.post(f"/cart/line/{line.id}/remove")
    gone = client.post(f"/cart/line/{line.id}/qty", data={"set": "4"},
                       headers={**htmx_headers(f"line-{line.id}"), "HX-Boosted": "true"})
    assert gone.status_code == 404 and gone.headers["HX-Retarget"] == "#alerts"
    assert "<html" not in gone.get_data(as_text=True)


def test_remove_then_undo_puts_the_same_line_back(client, buyer, world):
    line, _other = cart_with(buyer, (world.products["cement"], 3, "lot B"),
                             (world.products["screws"], 5))
    removed = client.post(f"/cart/line/{line.id}/remove", headers={**htmx_headers(), **EN})
    body = removed.get_data(as_text=True)
    assert removed.status_code == 200
    assert "Removed: " in body and ">Undo<" in body
    assert 'id="cart-badge" class="badge" hx-swap-oob="true">1<' in body
    assert "CIM-35" not in lines_of(buyer)
    restored = client.post("/cart/line/restore", data={
        "product_id": str(world.products["cement"].id), "quantity": "3", "note": "lot B",
        "line": str(line.id)}, headers=htmx_headers())
    assert restored.status_code == 200
    assert lines_of(buyer)["CIM-35"] == (3, "lot B")
    again = client.post("/cart/line/restore", data={
        "product_id": str(world.products["cement"].id), "quantity": "3", "note": "lot B"},
        headers=htmx_headers())
    assert again.status_code == 200
    assert lines_of(buyer)["CIM-35"] == (3, "lot B")  # a second tap changes nothing


def test_remove_without_javascript_offers_undo_on_the_cart_page(client, buyer, world):
    (line,) = cart_with(buyer, (world.products["cement"], 3))
    answer = client.post(f"/cart/line/{line.id}/remove")
    assert answer.status_code == 303
    page = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert 'action="/cart/line/restore"' in page and 'name="quantity" value="3"' in page
    assert 'action="/cart/line/restore"' not in client.get("/cart/").get_data(as_text=True)


def test_undo_cannot_bring_back_a_product_the_company_may_not_see(client, buyer, world):
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["tools"].id))
    db.session.commit()
    answer = client.post("/cart/line/restore", data={
        "product_id": str(world.products["flour"].id), "quantity": "10"},
        headers=htmx_headers())
    assert answer.status_code == 422
    assert lines_of(buyer) == {}


@pytest.mark.parametrize("path", ["/cart/line/{id}/qty", "/cart/line/{id}/note",
                                  "/cart/line/{id}/remove"])
@pytest.mark.parametrize("fragment", [False, True])
def test_a_line_of_another_company_is_a_404(client, world, path, fragment):
    (foreign,) = cart_with(world.b.buyer, (world.products["cement"], 3))
    login(client, world.a.buyer)
    headers = htmx_headers() if fragment else {}
    answer = client.post(path.format(id=foreign.id), data={"quantity": "9", "note": "x"},
                         headers=headers)
    assert answer.status_code == 404
    assert lines_of(world.b.buyer) == {"CIM-35": (3, "")}


def test_a_line_of_a_colleague_is_a_404(client, world):
    (theirs,) = cart_with(world.a.admin, (world.products["cement"], 3))
    login(client, world.a.buyer)
    assert client.post(f"/cart/line/{theirs.id}/remove").status_code == 404
    assert client.post(f"/cart/line/{theirs.id}/qty", data={"set": "6"},
                       headers=htmx_headers()).status_code == 404


def test_a_product_no_longer_visible_stays_marked_and_out_of_the_totals(client, buyer, world):
    cart_with(buyer, (world.products["cement"], 2), (world.products["flour"], 10))
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["tools"].id))
    db.session.commit()
    body = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "No longer available" in body
    assert "Lines no longer available: 1." in body
    # The cement (tools) is still sold to them; the flour (food) is not, and has no price.
    assert "€17.00" in body.split("Subtotal")[1] and "€12.00" not in body


def test_the_cart_says_who_must_approve_and_why(client, buyer, world):
    approval_over_limit(world.a.company)
    cart_with(buyer, (world.products["cement"], 40), (world.products["flour"], 900))
    body = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "Needs approval by" in body


def test_no_approval_note_when_none_is_needed(client, buyer, world):
    approval_over_limit(world.a.company)
    cart_with(buyer, (world.products["cement"], 1))
    assert "Needs approval by" not in client.get("/cart/", headers=EN).get_data(as_text=True)


def test_viewers_and_staff_have_no_cart(client, world):
    login(client, world.a.viewer)
    assert client.get("/cart/").status_code == 403
    client.post("/logout")
    login(client, world.staff)
    assert client.get("/cart/").status_code == 403
