"""Quick order dead ends (issue 11): add the ready lines and keep the others, a summary
recounted as rows are fixed through htmx, "did you mean" for unknown SKUs among visible
products, removing a line, and the wrong field (only it) marked for assistive technology."""

import json
import re

import pytest

from portal.blueprints.quick_order.tally import Tally
from portal.extensions import db
from portal.models import VisibilityRule
from tests.conftest import counting, htmx_headers, login
from tests.integration.test_quick_order_flow import EN, cart_of


@pytest.fixture
def buyer(client, world):
    login(client, world.a.buyer)
    return world.a.buyer


def test_add_all_with_mistakes_offers_to_add_the_ready_lines(client, buyer):
    page = client.post("/quick-order/add", data={"paste": "VIS-440 5\nCIM-35 2\nNOPE 1"},
                       headers=EN)
    body = page.get_data(as_text=True)
    assert page.status_code == 422
    assert cart_of(buyer) == {}
    assert re.search(r'<button type="submit" form="qo-form"[^>]*name="keep_errors"[^>]*'
                     r'formaction="/quick-order/add">Add the 2 ready lines, keep the others '
                     r'here to fix</button>', body, re.S)


def test_adding_the_ready_lines_keeps_the_lines_to_fix_on_the_page(client, buyer):
    data = {"paste": "VIS-440 5\nNOPE 1\nCIM-35 2\nGANT-9 x", "keep_errors": "1",
            "batch": "b-1"}
    page = client.post("/quick-order/add", data=data, headers=EN)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert cart_of(buyer) == {"VIS-440": 5, "CIM-35": 2}
    assert ("2 lines added to your cart. The 2 lines below still need a fix: they were not "
            "added.") in body
    # Only the two mistakes are left in the form, as typed, nothing dropped.
    assert 'name="sku-0" value="NOPE"' in body and 'name="qty-0" value="1"' in body
    assert 'name="sku-1" value="GANT-9"' in body and 'name="qty-1" value="x"' in body
    assert 'value="VIS-440"' not in body and 'value="CIM-35"' not in body
    assert "Lines checked: 2. Ready to order: 0. To fix: 2." in body
    # Reloading that answer posts the same form again: nothing is added twice.
    again = client.post("/quick-order/add", data=data, headers=EN)
    assert "These lines were already added to your cart." in again.get_data(as_text=True)
    assert cart_of(buyer) == {"VIS-440": 5, "CIM-35": 2}


def test_a_row_fixed_through_htmx_recounts_the_summary(client, buyer):
    checked = client.post("/quick-order/check", data={"paste": "VIS-440 5\nVIS-44O 1\nNOPE 2"},
                          headers=EN).get_data(as_text=True)
    assert "Lines checked: 3. Ready to order: 1. To fix: 2." in checked
    state = re.search(r'id="qo-state" name="qo-state" form="qo-form" value="([^"]*)"',
                      checked).group(1).replace("&#34;", '"').replace("&quot;", '"')
    fixed = client.post("/quick-order/line?part=status",
                        data={"sku-1": "VIS-440", "qty-1": "1", "qo-state": state},
                        headers={**htmx_headers(), **EN})
    body = fixed.get_data(as_text=True)
    assert fixed.status_code == 200
    assert body.lstrip().startswith('<div id="row-1-status"')
    assert 'id="qo-summary" class="qo-summary" aria-live="polite" hx-swap-oob="innerHTML"' in body
    assert "Lines checked: 3. Ready to order: 2. To fix: 1." in body
    assert 'href="#sku-1"' not in body and '<a href="#sku-2">Line 3 · NOPE</a>' in body
    # The last mistake removed: nothing left to fix.
    state = json.dumps([[0, "o", "VIS-440"], [1, "o", "VIS-440"], [2, "e", "NOPE"]])
    removed = client.post("/quick-order/line", data={"remove-2": "1", "qo-state": state},
                          headers={**htmx_headers(), **EN})
    body = removed.get_data(as_text=True)
    assert removed.status_code == 200
    assert 'id="row-2"' not in body
    assert "Lines checked: 2. Ready to order: 2. To fix: 0." in body


def test_without_javascript_remove_checks_the_form_again_without_that_line(client, buyer):
    page = client.post("/quick-order/check", data={
        "sku-0": "VIS-440", "qty-0": "5", "sku-1": "NOPE", "qty-1": "1", "remove-1": "1"},
        headers=EN)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "NOPE" not in body
    assert "Lines checked: 1. Ready to order: 1. To fix: 0." in body


def test_an_unknown_sku_offers_close_skus_the_buyer_may_see(client, buyer, world):
    page = client.post("/quick-order/check", data={"paste": "VIS-4400 5\nCIM35 2\nZZZZZZ 1"},
                       headers=EN)
    body = page.get_data(as_text=True)
    assert "Did you mean:" in body
    assert re.search(r'name="replace-0" value="VIS-440"[^>]*>Use VIS-440 ', body, re.S)
    assert re.search(r'name="replace-1" value="CIM-35"', body)
    assert 'name="replace-2"' not in body  # nothing close: no guess
    assert '<button type="submit" class="btn small qo-remove" name="remove-2"' in body
    # Tools hidden from company A: the screws are never offered, even as a guess.
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["food"].id))
    db.session.commit()
    hidden = client.post("/quick-order/check", data={"paste": "VIS-4400 5"}, headers=EN)
    assert "VIS-440" not in hidden.get_data(as_text=True).replace("VIS-4400", "")


def test_a_name_typed_as_sku_offers_the_product(client, buyer, world):
    world.products["screws"].name_fr = "Vis inox tête fraisée"
    world.products["screws"].search_text = "vis-440 vis inox tete fraisee"
    db.session.commit()
    body = client.post("/quick-order/check", data={"sku-0": "vis inox", "qty-0": "5"},
                       headers=EN).get_data(as_text=True)
    assert re.search(r'name="replace-0" value="VIS-440"', body)


def test_only_the_wrong_field_is_marked_and_described_by_its_message(client, buyer):
    body = client.post("/quick-order/check", data={"paste": "NOPE 1\nVIS-440 x"},
                       headers=EN).get_data(as_text=True)
    sku0 = re.search(r'<input type="text" id="sku-0"[^>]*>', body).group(0)
    qty0 = re.search(r'<input type="text" id="qty-0"[^>]*>', body).group(0)
    sku1 = re.search(r'<input type="text" id="sku-1"[^>]*>', body).group(0)
    qty1 = re.search(r'<input type="text" id="qty-1"[^>]*>', body).group(0)
    assert 'aria-invalid="true" aria-describedby="row-0-msg"' in sku0
    assert "aria-invalid" not in qty0
    assert "aria-invalid" not in sku1
    assert 'aria-invalid="true" aria-describedby="row-1-msg"' in qty1
    assert '<p class="qo-msg" id="row-0-msg">' in body
    assert 'data-invalid="sku"' in body and 'data-invalid="qty"' in body


FORGED = ["", "x", "{}", "[[1]]", '[[1,"z","A"]]', '[["1","o","A"]]', '[[9999,"o","A"]]',
          "[" * 10000, "[" * 100000, '[[1,"o",' + '"A"' * 3 + "]]"]


@pytest.mark.parametrize("text", FORGED, ids=range(len(FORGED)))
def test_a_forged_summary_state_is_ignored(text):
    tally = Tally.parse(text)
    assert tally is None or tally.checked == 0


def test_did_you_mean_costs_the_same_queries_for_two_or_forty_unknown_skus(client, buyer, world):
    from tests import factories as f

    for n in range(40):
        f.product(world.categories["tools"], f"LOT-{n:02d}", price_list=world.base,
                  warehouse=world.warehouse)
    db.session.commit()

    def run(n):
        paste = "\n".join(f"LOT-{i:02d}X 1" for i in range(n))  # each one typo away
        with counting() as statements:
            body = client.post("/quick-order/check", data={"paste": paste}).get_data(as_text=True)
        assert 'name="replace-0" value="LOT-00"' in body
        return len(statements)

    run(1)  # warm-up: first-request work is not per line
    few, many = run(2), run(40)
    assert many == few
