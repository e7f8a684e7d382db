"""Fewer taps (issue 19): "order now" from a reorder preview with nothing to decide, checkout
proposing the repeated order's place and the PO number of the company's rule, "order all" from
a quick order whose lines are all ready."""

import pytest

from portal.extensions import db
from portal.models import Company
from tests import factories as f
from tests.conftest import login

EN = {"Accept-Language": "en"}


@pytest.fixture
def past(world):
    p = world.products
    order = f.order(world.a.buyer, [(p["cement"], 4, 850)], jobsite=world.a.sites[1],
                    number="A-3001", po="BC-SITE2")
    db.session.commit()
    return order


def form_for(order, action):
    data = {"line": [str(line.id) for line in order.lines], "action": action}
    data.update({f"qty-{line.id}": str(line.quantity) for line in order.lines})
    return data


def test_a_preview_with_nothing_to_decide_offers_order_now(client, world, past):
    login(client, world.a.buyer)
    page = client.get(f"/orders/{past.id}/reorder", headers=EN).text
    assert 'value="order_now"' in page and "Order now" in page
    f.cart_with(world.a.buyer, (world.products["screws"], 10))
    db.session.commit()
    assert 'value="order_now"' not in client.get(f"/orders/{past.id}/reorder").text


def test_order_now_fills_the_cart_and_checkout_proposes_the_place_and_po(client, world, past):
    world.a.company.po_rule = "reuse"
    db.session.commit()
    login(client, world.a.buyer)
    answer = client.post(f"/orders/{past.id}/reorder", data=form_for(past, "order_now"))
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/checkout/?repeat={past.id}")
    page = client.get(answer.headers["Location"]).text
    assert 'name="po_number" value="BC-SITE2"' in page
    assert "Proposé selon la règle de votre entreprise" in page
    assert f'value="jobsite:{world.a.sites[1].id}" checked' in page


def test_with_the_ask_rule_nothing_is_proposed(client, world, past):
    login(client, world.a.buyer)
    client.post(f"/orders/{past.id}/reorder", data=form_for(past, "order_now"))
    page = client.get(f"/checkout/?repeat={past.id}").text
    assert 'name="po_number" value=""' in page
    assert "Proposé selon" not in page


def test_the_generate_rule_counts_the_days_orders(client, world, past):
    world.a.company.po_rule = "generate"
    db.session.commit()
    login(client, world.a.buyer)
    f.cart_with(world.a.buyer, (world.products["screws"], 10))
    db.session.commit()
    page = client.get("/checkout/").text
    assert 'name="po_number" value="' in page
    value = page.split('name="po_number" value="', 1)[1].split('"', 1)[0]
    assert len(value) == 11 and value[8] == "-" and value[:8].isdigit()


def test_another_companys_order_proposes_nothing(client, world, past):
    theirs = f.order(world.b.buyer, [(world.products["cement"], 1)], jobsite=world.b.sites[0],
                     po="SECRET-B")
    world.a.company.po_rule = "reuse"
    db.session.commit()
    login(client, world.a.buyer)
    f.cart_with(world.a.buyer, (world.products["screws"], 10))
    db.session.commit()
    page = client.get(f"/checkout/?repeat={theirs.id}").text
    assert "SECRET-B" not in page and f"jobsite:{world.b.sites[0].id}" not in page


def test_order_all_adds_the_ready_lines_and_opens_checkout(client, world):
    login(client, world.a.buyer)
    checked = client.post("/quick-order/check", data={"paste": "VIS-440 10\nCIM-35 2"},
                          headers=EN).text
    assert "Order all" in checked and "/quick-order/add?then=checkout" in checked
    answer = client.post("/quick-order/add?then=checkout",
                         data={"paste": "VIS-440 10\nCIM-35 2"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/checkout/")
    with_error = client.post("/quick-order/check", data={"paste": "NOPE 1\nCIM-35 2"},
                             headers=EN).text
    assert "Order all" not in with_error


def test_staff_set_the_po_rule_and_a_rule_off_the_list_is_refused(client, world):
    def _edit_data(world, **overrides):
        return {"customer_group": "", "price_list": str(world.pro.id), "payment_terms": "net30",
                "credit_limit": "", "po_required": "y", "status": "active", **overrides}

    login(client, world.staff)
    url = f"/staff/customers/{world.a.company.id}/edit"
    assert client.post(url, data=_edit_data(world, po_rule="reuse")).status_code == 303
    db.session.expire_all()
    assert db.session.get(Company, world.a.company.id).po_rule == "reuse"
    refused = client.post(url, data=_edit_data(world, po_rule="always"), headers=EN)
    assert refused.status_code == 422 and "PO number rule" in refused.text
    db.session.expire_all()
    assert db.session.get(Company, world.a.company.id).po_rule == "reuse"
