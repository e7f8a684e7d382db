"""A company admin's token for its purchasing system: orders:read and cart:write on its own
company only; every object of another company is 404 on every operation it may call."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import CartLine, ShoppingListLine
from tests import factories as f
from tests.api.conftest import Caller, assert_problem
from tests.conftest import login
from tests.security import matrix


def _token_from(page) -> str:
    found = re.search(r'value="(pfk_[A-Za-z0-9_-]+)"', page.get_data(as_text=True))
    assert found, page.get_data(as_text=True)[:1500]
    return found.group(1)


def test_a_company_admin_makes_a_token_that_sees_its_company_only(app, client, world):
    ours = f.order(world.a.buyer, [(world.products["cement"], 2)], commit=True)
    theirs = f.order(world.b.buyer, [(world.products["cement"], 2)], commit=True)
    login(client, world.a.admin)
    page = client.post("/company/api-tokens", data={"name": "Ariba",
                                                    "scopes": ["orders:read", "cart:write"]})
    assert page.status_code == 200
    caller = Caller(app.test_client(), _token_from(page))
    assert [o["id"] for o in caller.get("/api/v1/orders").get_json()["data"]] == [ours.id]
    assert caller.get(f"/api/v1/orders/{ours.id}").status_code == 200
    assert_problem(caller.get(f"/api/v1/orders/{theirs.id}"), 404)
    refused = client.post("/company/api-tokens", data={"name": "Greedy",
                                                       "scopes": ["catalog:write"]})
    assert refused.status_code == 422


def test_cart_write_fills_a_users_cart_with_the_users_own_rules(app, make_caller, world):
    caller = make_caller("cart:write", company=world.a.company)
    screws = world.products["screws"]
    answer = caller.post(f"/api/v1/users/{world.a.buyer.id}/cart/lines",
                         {"sku": screws.sku.lower(), "quantity": 20})
    assert answer.status_code == 200, answer.data
    assert answer.get_json() == {"user_id": world.a.buyer.id, "sku": screws.sku, "quantity": 20}
    line = db.session.scalar(select(CartLine).where(CartLine.product_id == screws.id))
    assert line.quantity == 20
    gloves = world.products["gloves"]  # sold by 12
    problem = assert_problem(caller.post(f"/api/v1/users/{world.a.buyer.id}/cart/lines",
                                         {"sku": gloves.sku, "quantity": 5}), 422, "refused")
    assert problem["errors"]
    assert_problem(caller.post(f"/api/v1/users/{world.a.buyer.id}/cart/lines",
                               {"sku": "NOPE-0", "quantity": 1}), 422)


def test_every_operation_answers_404_for_another_companys_objects(app, make_caller, world,
                                                                  figure):
    theirs = f.order(world.b.buyer, [(world.products["cement"], 2)], commit=True)
    their_list = f.shopping_list(world.b.buyer, "Theirs", shared=True)
    their_invoice = _invoice_of(theirs)
    db.session.commit()
    ids = {"order_id": theirs.id, "user_id": world.b.buyer.id, "list_id": their_list.id,
           "number": their_invoice.number}
    caller = make_caller("orders:read", "cart:write", company=world.a.company)
    rules = {f"{m} {r.rule}": r for r in app.url_map.iter_rules() for m in r.methods}
    bodies = {"cart": {"sku": world.products["screws"].sku, "quantity": 10}}
    made, leaks = 0, []
    for operation, row in matrix.api_read().items():
        rule = rules[operation]
        if not rule.arguments or (row["orders:read"] == "deny" and row["cart:write"] == "deny"):
            continue
        method, _path = operation.split(" ", 1)
        url = matrix.sample_url(rule, {name: ids.get(name, 1) for name in rule.arguments})
        answer = (caller.get(url) if method == "GET"
                  else caller.send(method, url, bodies["cart"]))
        made += 1
        if answer.status_code != 404:
            leaks.append((operation, answer.status_code))
    figure(f"API cross-tenant sweep (customer token): {made} operations, non-404 {len(leaks)}")
    assert made >= 3 and not leaks, leaks
    assert db.session.scalar(select(CartLine.id)) is None
    assert db.session.scalar(select(ShoppingListLine.id)) is None


def test_revoking_from_the_company_page_stops_the_token(app, client, world, make_caller):
    caller = make_caller("orders:read", company=world.a.company, name="Coupa")
    login(client, world.a.admin)
    assert "Coupa" in client.get("/company/api-tokens").get_data(as_text=True)
    other_admin = app.test_client()
    login(other_admin, world.b.admin)
    assert other_admin.post(f"/company/api-tokens/{caller.client.id}/revoke").status_code == 404
    assert caller.get("/api/v1/orders").status_code == 200
    assert client.post(f"/company/api-tokens/{caller.client.id}/revoke").status_code == 303
    assert_problem(caller.get("/api/v1/orders"), 401)


def _invoice_of(order):
    """An invoice of another company's order: not to be read (GET /invoices/{number})."""
    from datetime import date

    from portal.models import Invoice, InvoiceKind
    from portal.models.orders import TaxScheme

    invoice = Invoice(number="FA-2026-990002", series="FA", year=2026, sequence=990002,
                      kind=InvoiceKind.INVOICE, company_id=order.company_id, order_id=order.id,
                      issued_on=date(2026, 1, 5), due_on=date(2026, 2, 4), currency="EUR",
                      tax_scheme=TaxScheme.DOMESTIC, subtotal_cents=200, tax_cents=40,
                      total_cents=240, buyer_name="B", order_number=order.number)
    db.session.add(invoice)
    return invoice
