"""Scan to order: a GTIN (the number under a barcode) is accepted wherever a SKU is, and a code
typed in the "add by code" field or read by the camera goes through one endpoint per target
(cart, quick-order rows, list) with one rule: known code → its product, default quantity."""

import pytest

from portal.extensions import db
from portal.models import CartLine, ShoppingListLine, VisibilityRule
from tests import factories as f
from tests.conftest import htmx_headers, login

EN = {"Accept-Language": "en"}
SCREWS_GTIN = "4006381333931"    # VIS-440: case of 10
CEMENT_UPC = "036000291452"      # CIM-35, stored as a 12-digit UPC-A
BAD_DIGIT = "4006381333932"
HX = {**htmx_headers(), **EN}


@pytest.fixture
def buyer(client, world):
    world.products["screws"].gtin = SCREWS_GTIN
    world.products["cement"].gtin = CEMENT_UPC
    world.products["flour"].gtin = "96385074"
    db.session.commit()
    login(client, world.a.buyer)
    return world.a.buyer


def cart_of(user):
    db.session.expire_all()
    return {line.product.sku: line.quantity for line in db.session.query(CartLine).all()
            if line.cart.user_id == user.id}


def test_quick_order_takes_a_gtin_as_its_product_and_merges_it_with_the_sku(client, buyer):
    page = client.post("/quick-order/check", headers=EN,
                       data={"paste": f"{SCREWS_GTIN} 5\nVIS-440 5\n0{CEMENT_UPC};2"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200, body[:3000]
    assert 'name="sku-0" value="VIS-440"' in body and 'name="qty-0" value="10"' in body
    assert "Merged 2 lines" in body
    assert 'name="sku-1" value="CIM-35"' in body  # a UPC-A read as EAN-13 (leading 0)
    assert "Unknown SKU" not in body


def test_quick_order_says_a_barcode_number_has_a_wrong_check_digit(client, buyer):
    page = client.post("/quick-order/add", headers=EN, data={"paste": f"{BAD_DIGIT} 5"})
    assert page.status_code == 422
    assert "its last digit does not match" in page.get_data(as_text=True)
    assert cart_of(buyer) == {}


def test_a_scanned_or_typed_code_adds_one_case_to_the_cart_and_says_the_line(client, buyer):
    first = client.post("/cart/code", data={"code": SCREWS_GTIN}, headers=HX)
    body = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Added: 10 × " in body and "(VIS-440)" in body
    assert 'id="cart-badge"' in body and 'hx-swap-oob="true"' in body
    again = client.post("/cart/code", data={"code": " vis-440 "}, headers=HX)
    assert "The line now holds 20" in again.get_data(as_text=True)
    client.post("/cart/code", data={"code": "96385074"}, headers=HX)  # EAN-8: sold by 10
    assert cart_of(buyer) == {"VIS-440": 20, "FAR-T55": 10}


@pytest.mark.parametrize(("code", "message"), [
    (BAD_DIGIT, "its last digit does not match"),
    ("NOPE-1", "Unknown SKU"),
    ("]C1\x1d0104006381333931", "Unknown SKU"),   # garbage from a reader
    ("<script>alert(1)</script>", "Unknown SKU"),
    ("9" * 500, "Unknown SKU"),
    ("", "Enter a SKU."),
])
def test_a_bad_code_changes_nothing_and_says_why_at_the_field(client, buyer, code, message):
    answer = client.post("/cart/code", data={"code": code}, headers=HX)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert message in body and "<script>alert" not in body
    assert cart_of(buyer) == {}


def test_a_product_the_buyer_may_not_see_answers_like_an_unknown_sku(client, buyer, world):
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["tools"].id))
    db.session.commit()
    hidden = client.post("/cart/code", data={"code": "96385074"}, headers=HX)
    unknown = client.post("/cart/code", data={"code": "NOPE-1"}, headers=HX)
    assert hidden.status_code == unknown.status_code == 422
    assert "Unknown SKU" in hidden.get_data(as_text=True)
    assert cart_of(buyer) == {}


def test_without_javascript_the_code_field_adds_and_goes_to_the_cart(client, buyer):
    answer = client.post("/cart/code", data={"code": SCREWS_GTIN}, headers=EN)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/cart/")
    refused = client.post("/cart/code", data={"code": BAD_DIGIT}, headers=EN)
    assert refused.status_code == 422
    assert "its last digit does not match" in refused.get_data(as_text=True)
    assert cart_of(buyer) == {"VIS-440": 10}


def test_a_viewer_cannot_add_by_code(client, world):
    login(client, world.a.viewer)
    assert client.post("/cart/code", data={"code": "VIS-440"}).status_code == 403


def test_a_scan_in_quick_order_fills_the_first_blank_row_with_one_case(client, buyer):
    form = {"code": SCREWS_GTIN, "sku-0": "CIM-35", "qty-0": "2", "sku-1": "", "qty-1": "",
            "sku-2": "", "qty-2": "", "qo-state": '[[0,"o","CIM-35"]]'}
    answer = client.post("/quick-order/code", data=form, headers=HX)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200, body[:2000]
    assert 'id="row-1" hx-swap-oob="true"' in body
    assert 'name="sku-1" value="VIS-440"' in body and 'name="qty-1" value="10"' in body
    assert "Line 2: 10 × " in body
    assert "Lines checked: 2. Ready to order: 2. To fix: 0." in body
    assert cart_of(buyer) == {}  # rows are added to the cart when the buyer says so


def test_a_scan_in_a_full_quick_order_adds_a_row_at_the_end(client, buyer):
    form = {"code": "CIM-35", "sku-0": "VIS-440", "qty-0": "10"}
    body = client.post("/quick-order/code", data=form, headers=HX).get_data(as_text=True)
    assert 'hx-swap-oob="beforeend:#qo-rows"' in body and 'name="sku-1" value="CIM-35"' in body
    assert "/quick-order/rows?start=2" in body  # "Add rows" goes on after the new row


def test_an_unknown_code_in_quick_order_changes_no_row(client, buyer):
    answer = client.post("/quick-order/code", data={"code": BAD_DIGIT, "sku-0": ""}, headers=HX)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "its last digit does not match" in body and 'id="row-0"' not in body


def test_a_code_adds_its_product_to_a_list_with_one_case(client, buyer, world):
    site_list = f.shopping_list(buyer, "Site 1")
    db.session.commit()
    answer = client.post(f"/lists/{site_list.id}/code", data={"code": SCREWS_GTIN}, headers=HX)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Added: 10 × " in body
    assert 'id="list_lines" class="list-lines" hx-swap-oob="true"' in body
    db.session.expire_all()
    lines = db.session.query(ShoppingListLine).filter_by(list_id=site_list.id).all()
    assert [(line.product.sku, line.quantity) for line in lines] == [("VIS-440", 10)]
    refused = client.post(f"/lists/{site_list.id}/code", data={"code": BAD_DIGIT}, headers=HX)
    assert refused.status_code == 422


def test_another_companys_list_is_not_found_by_code(client, buyer, world):
    theirs = f.shopping_list(world.b.buyer, "Theirs", shared=True)
    db.session.commit()
    answer = client.post(f"/lists/{theirs.id}/code", data={"code": "VIS-440"}, headers=HX)
    assert answer.status_code == 404
    assert db.session.query(ShoppingListLine).filter_by(list_id=theirs.id).count() == 0


def test_the_pages_offer_the_code_field_and_the_scan_button(client, buyer):
    site_list = f.shopping_list(buyer, "Site 1")
    db.session.commit()
    for url in ("/catalog/", "/quick-order/", f"/lists/{site_list.id}"):
        body = client.get(url, headers=EN).get_data(as_text=True)
        assert 'name="code"' in body and "data-scan-start" in body, url
        assert "/static/b/zxing_reader." in body and ".wasm" in body, url
