"""Quick order: typed rows, pasted lines and CSV files, checked line by line, then to the cart."""

import io

import pytest

from portal.extensions import db
from portal.models import CartLine, Product, ShoppingList, VisibilityRule
from tests.conftest import htmx_headers, login

EN = {"Accept-Language": "en"}


def cart_of(user):
    db.session.expire_all()
    return {line.product.sku: line.quantity for line in db.session.query(CartLine).all()
            if line.cart.user_id == user.id}


@pytest.fixture
def buyer(client, world):
    login(client, world.a.buyer)
    return world.a.buyer


def test_buyer_sees_the_quick_order_form_with_labelled_rows(client, buyer):
    page = client.get("/quick-order/")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'for="sku-0"' in body and 'for="qty-0"' in body
    assert 'inputmode="numeric"' in body and 'pattern="[0-9]*"' in body
    assert "Add all to cart" in body or "Tout ajouter au panier" in body


def test_viewer_may_not_use_quick_order(client, world):
    login(client, world.a.viewer)
    assert client.get("/quick-order/").status_code == 403
    assert client.post("/quick-order/add", data={"paste": "VIS-440 1"}).status_code == 403


def test_pasted_lines_are_checked_one_by_one_and_none_is_dropped(client, buyer):
    paste = "SKU;Qty\nVIS-440;7\nCIM-35 3\nGANT-9,13\nNOPE 1\n\nVIS-440\t3\nFAR-T55 x"
    page = client.post("/quick-order/check", data={"paste": paste},
                       headers={"Accept-Language": "en"})
    body = page.get_data(as_text=True)
    assert page.status_code == 422  # some lines need a fix
    assert 'name="sku-0" value="VIS-440"' in body and 'name="qty-0" value="10"' in body
    assert "Merged 2 lines" in body
    assert "Unknown SKU" in body
    assert 'name="snap-2" value="24"' in body  # gloves go by 12
    assert "The first line named the columns" in body
    assert "Lines checked: 5. Ready to order: 2. To fix: 3." in body


def test_add_all_to_cart_adds_every_line_and_merges_with_the_cart(client, buyer, world):
    first = client.post("/quick-order/add", data={"sku-0": "vis-440", "qty-0": "5",
                                                  "paste": "CIM-35;2\nGANT-9\t12"})
    assert first.status_code == 303 and first.headers["Location"].endswith("/cart/")
    client.post("/quick-order/add", data={"paste": "VIS-440 5"})
    assert cart_of(buyer) == {"VIS-440": 10, "CIM-35": 2, "GANT-9": 12}


def test_add_all_is_refused_while_a_line_has_an_error_and_nothing_is_added(client, buyer):
    page = client.post("/quick-order/add", data={"paste": "VIS-440 5\nNOPE 1"},
                       headers={"Accept-Language": "en"})
    body = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Fix the lines marked in red first: nothing was added." in body
    assert '<a href="#sku-1">Line 2 · NOPE</a>' in body
    assert cart_of(buyer) == {}


def test_over_stock_is_a_warning_and_still_added(app, client, buyer):
    app.config["CLOCK_NOW"] = "2026-12-10T09:30:00+01:00"  # a Thursday morning
    try:
        page = client.post("/quick-order/check", data={"paste": "GANT-9 24"},
                           headers={"Accept-Language": "en"})
    finally:
        app.config["CLOCK_NOW"] = ""
    assert page.status_code == 200
    # None in stock: the lead time's date (Fri + 2 working days), never "in N days".
    assert "Backorder" in page.get_data(as_text=True)
    assert "Delivery Tue 15 Dec" in page.get_data(as_text=True)
    assert client.post("/quick-order/add", data={"paste": "GANT-9 24"}).status_code == 303
    assert cart_of(buyer) == {"GANT-9": 24}


def test_more_than_500_lines_are_refused_with_the_limit(client, buyer):
    paste = "\n".join("VIS-440 1" for _ in range(501))
    page = client.post("/quick-order/add", data={"paste": paste},
                       headers={"Accept-Language": "en"})
    assert page.status_code == 422
    assert "Up to 500 lines at a time: this had 501. Nothing was added." in page.get_data(
        as_text=True)
    assert cart_of(buyer) == {}


def test_500_lines_fit_in_one_quick_order(client, buyer):
    paste = "\n".join("VIS-440 1\nCIM-35 1" for _ in range(250))
    assert client.post("/quick-order/add", data={"paste": paste}).status_code == 303
    assert cart_of(buyer) == {"VIS-440": 250, "CIM-35": 250}


def test_a_cp1252_csv_file_is_read_and_the_page_says_so(client, buyer):
    data = "Référence;Quantité\r\nVIS-440;10\r\nCIM-35;2\r\n".encode("cp1252")
    page = client.post("/quick-order/check", data={"file": (io.BytesIO(data), "commande.csv")},
                       content_type="multipart/form-data", headers={"Accept-Language": "en"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "read as Windows-1252" in body
    assert 'value="VIS-440"' in body and 'value="CIM-35"' in body


def test_a_product_the_company_may_not_see_is_just_an_unknown_sku(client, buyer, world):
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["tools"].id))
    db.session.commit()
    page = client.post("/quick-order/check", data={"paste": "FAR-T55 10\nNOPE 10"},
                       headers={"Accept-Language": "en"})
    assert page.get_data(as_text=True).count("Unknown SKU") == 2


def test_a_discontinued_product_offers_a_one_tap_replacement(client, buyer, world):
    old = world.products["cement"]
    old.discontinued = True
    old.replacement_id = world.products["screws"].id
    db.session.commit()
    page = client.post("/quick-order/line", data={"sku-3": "CIM-35", "qty-3": "4"},
                       headers={**htmx_headers(), "Accept-Language": "en"})
    body = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Discontinued, replaced by VIS-440" in body
    assert 'name="replace-3" value="VIS-440"' in body
    fixed = client.post("/quick-order/line", data={"sku-3": "CIM-35", "qty-3": "4",
                                                   "replace-3": "VIS-440"},
                        headers=htmx_headers())
    assert fixed.status_code == 200
    assert 'id="row-3"' in fixed.get_data(as_text=True)
    assert 'name="sku-3" value="VIS-440"' in fixed.get_data(as_text=True)


def test_a_row_is_rechecked_alone_as_it_is_edited(client, buyer):
    status = client.post("/quick-order/line?part=status", data={"sku-0": "GANT-9", "qty-0": "5"},
                         headers=htmx_headers())
    body = status.get_data(as_text=True)
    assert status.status_code == 422
    assert body.lstrip().startswith('<div id="row-0-status"')
    good = client.post("/quick-order/line?part=status", data={"sku-0": "GANT-9", "qty-0": "12"},
                       headers=htmx_headers())
    assert good.status_code == 200


def test_no_javascript_use_replacement_button_rechecks_the_whole_form(client, buyer, world):
    world.products["cement"].discontinued = True
    world.products["cement"].replacement_id = world.products["screws"].id
    db.session.commit()
    page = client.post("/quick-order/check", data={"sku-0": "CIM-35", "qty-0": "4",
                                                   "replace-0": "VIS-440"})
    assert page.status_code == 200
    assert 'name="sku-0" value="VIS-440"' in page.get_data(as_text=True)


def test_suggestions_match_sku_prefix_and_name_words_among_visible_products(client, buyer,
                                                                            world):
    world.products["screws"].name_fr = "Vis inox tête fraisée"
    db.session.commit()
    by_sku = client.get("/quick-order/suggest?q=vis", headers=htmx_headers())
    assert '<option value="VIS-440">' in by_sku.get_data(as_text=True)
    by_name = client.get("/quick-order/suggest?sku-4=t%C3%AAte+inox", headers=htmx_headers())
    assert '<option value="VIS-440">' in by_name.get_data(as_text=True)
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["food"].id))
    db.session.commit()
    hidden = client.get("/quick-order/suggest?q=vis", headers=htmx_headers())
    assert "VIS-440" not in hidden.get_data(as_text=True)


def test_suggestions_are_limited_to_eight(client, buyer, world):
    from tests import factories as f

    for n in range(12):
        f.product(world.categories["tools"], f"BOU-{n:02d}", price_list=world.base)
    db.session.commit()
    body = client.get("/quick-order/suggest?q=BOU", headers=htmx_headers()).get_data(as_text=True)
    assert body.count("<option") == 8


def test_add_rows_appends_blank_rows_and_the_next_button(client, buyer):
    more = client.get("/quick-order/rows?start=5", headers=htmx_headers())
    body = more.get_data(as_text=True)
    assert 'id="row-5"' in body and 'id="row-9"' in body and 'id="row-10"' not in body
    assert 'hx-swap-oob="true"' in body and "start=10" in body


def test_add_rows_without_javascript_keeps_what_was_typed(client, buyer):
    page = client.post("/quick-order/check", data={"sku-0": "VIS-440", "qty-0": "3",
                                                   "add_rows": "1"})
    body = page.get_data(as_text=True)
    assert 'name="sku-0" value="VIS-440"' in body and 'id="row-5"' in body


def test_save_as_list_keeps_the_valid_lines_and_says_what_was_left_out(client, buyer, world):
    answer = client.post("/quick-order/save-list",
                         data={"paste": "VIS-440 10\nCIM-35 2\nNOPE 3", "list_name": "Site 1"},
                         headers={"Accept-Language": "en"})
    assert answer.status_code == 303
    saved = db.session.query(ShoppingList).one()
    assert (saved.name, saved.owner_id, saved.shared) == ("Site 1", buyer.id, False)
    assert sorted((line.product.sku, line.quantity) for line in saved.lines) == [
        ("CIM-35", 2), ("VIS-440", 10)]
    follow = client.get(answer.headers["Location"], headers={"Accept-Language": "en"})
    assert "Lines left out because of an error: 1." in follow.get_data(as_text=True)


def test_quick_order_reads_all_skus_in_a_bounded_number_of_queries(client, buyer, world):
    from sqlalchemy import event

    from tests import factories as f

    for n in range(40):
        f.product(world.categories["tools"], f"LOT-{n:02d}", price_list=world.base,
                  warehouse=world.warehouse)
    db.session.commit()
    statements = []

    def count(*_args):
        statements.append(1)

    def run(n):
        statements.clear()
        paste = "\n".join(f"LOT-{i:02d} 1" for i in range(n))
        assert client.post("/quick-order/check", data={"paste": paste}).status_code == 200
        return len(statements)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        run(1)  # warm-up: first-request work is not per line
        few, many = run(2), run(40)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert many == few


def test_home_shows_the_quick_order_card_to_buyers_only(client, world):
    login(client, world.a.buyer)
    body = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "/quick-order/#paste" in body
    client.post("/logout")
    login(client, world.a.viewer)
    assert "/quick-order/#paste" not in client.get("/").get_data(as_text=True)


def test_unpriced_products_are_unknown_skus(client, buyer, world):
    from tests import factories as f

    f.product(world.categories["tools"], "NOPRICE-1")
    db.session.commit()
    assert db.session.query(Product).filter_by(sku="NOPRICE-1").one()
    page = client.post("/quick-order/check", data={"paste": "NOPRICE-1 1"},
                       headers={"Accept-Language": "en"})
    assert "Unknown SKU" in page.get_data(as_text=True)


def test_checking_an_empty_form_asks_for_a_line(client, buyer):
    page = client.post("/quick-order/check", data={"sku-0": "", "qty-0": ""}, headers=EN)
    assert page.status_code == 422
    assert "Enter at least one SKU and quantity." in page.get_data(as_text=True)
    added = client.post("/quick-order/add", data={"paste": "\n\n"}, headers=EN)
    assert added.status_code == 422
    assert "Lines checked" not in added.get_data(as_text=True)
