"""Cross-tenant sweep: company A's people (and anonymous visitors) try every object of
company B through every route and verb, as a full page and as an htmx fragment.

Every answer must be a 404 (or the role's 403 / the sign-in redirect before any lookup),
no body may carry B's data, and no row of B may change.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalRule,
    ApprovalStatus,
    ApprovalStep,
    Cart,
    CartLine,
    Order,
    OrderLine,
    OrderStatus,
    PaymentTerms,
    Role,
    ShoppingList,
    ShoppingListLine,
    VisibilityRule,
)
from tests.conftest import login
from tests.security import matrix

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)

SECRET_NOTE = "B-SECRET-NOTE-7731"


def _company_b_objects(world):
    b, products = world.b, world.products
    order = Order(number="CMD-B-0001", company_id=b.company.id, unit_id=b.branch.id,
                  jobsite_id=b.sites[0].id, placed_by_id=b.buyer.id,
                  payment_terms=PaymentTerms.NET30, status=OrderStatus.PENDING_APPROVAL,
                  notes=SECRET_NOTE, subtotal_cents=12345, total_cents=14814)
    db.session.add(order)
    db.session.flush()
    line = OrderLine(order_id=order.id, product_id=products["screws"].id, sku="VIS-440",
                     name="Vis", quantity=10, unit_price_cents=95, line_total_cents=950)
    rule = ApprovalRule(company_id=b.company.id, name=SECRET_NOTE, min_total_cents=1)
    db.session.add_all([line, rule])
    db.session.flush()
    db.session.add(ApprovalStep(rule_id=rule.id, position=0, approver_role=Role.APPROVER))
    request = ApprovalRequest(order_id=order.id, company_id=b.company.id, step=0,
                              rule_id=rule.id, approver_role=Role.APPROVER,
                              approver_unit_id=b.branch.id, status=ApprovalStatus.PENDING,
                              reason=SECRET_NOTE)
    shopping_list = ShoppingList(company_id=b.company.id, owner_id=b.buyer.id,
                                 name=SECRET_NOTE, shared=True)
    cart = Cart(user_id=b.buyer.id, company_id=b.company.id)
    db.session.add_all([request, shopping_list, cart])
    db.session.flush()
    list_line = ShoppingListLine(list_id=shopping_list.id, product_id=products["screws"].id,
                                 quantity=5, note=SECRET_NOTE)
    cart_line = CartLine(cart_id=cart.id, product_id=products["screws"].id, quantity=5,
                         note=SECRET_NOTE)
    # Company A may see only the tools category: flour is invisible to A.
    db.session.add_all([list_line, cart_line, VisibilityRule(
        company_id=world.a.company.id, category_id=world.categories["tools"].id)])
    # A quote of B's buyer, answered: its prices and note must not leak.
    from portal.models import Quote, QuoteLine, QuoteStatus, QuoteVersion

    quote = Quote(number=SECRET_NOTE, company_id=b.company.id, buyer_id=b.buyer.id,
                  status=QuoteStatus.SENT, note=SECRET_NOTE, current_version=1)
    quote.versions.append(QuoteVersion(number=0, delivery_terms="", currency="EUR"))
    quote.versions.append(QuoteVersion(number=1, delivery_terms=SECRET_NOTE, currency="EUR"))
    db.session.add(quote)
    db.session.flush()
    quote.versions[1].lines.append(QuoteLine(product_id=products["screws"].id, quantity=10,
                                             unit_price_cents=4321, note=""))
    # An invoice of B's order: it may not be read, paid or credited.
    from portal.models import Invoice, InvoiceKind
    from portal.models.orders import TaxScheme

    invoice = Invoice(number="FA-2026-990001", series="FA", year=2026, sequence=990001,
                      kind=InvoiceKind.INVOICE, company_id=b.company.id, order_id=order.id,
                      issued_on=date(2026, 1, 5), due_on=date(2026, 2, 4), currency="EUR",
                      tax_scheme=TaxScheme.DOMESTIC, subtotal_cents=950, tax_cents=190,
                      total_cents=1140, buyer_name=SECRET_NOTE, order_number=order.number)
    db.session.add(invoice)
    db.session.commit()
    return {
        "invoice_id": invoice.id,
        "quote_id": quote.id,
        "order_id": order.id, "request_id": request.id, "list_id": shopping_list.id,
        "rule_id": rule.id, "user_id": b.buyer.id, "unit_id": b.sites[0].id,
        "company_id": b.company.id, "product_id": products["flour"].id,
        "cart_line_id": cart_line.id, "list_line_id": list_line.id, "order_line_id": line.id,
    }


def _line_id(endpoint: str, ids: dict) -> int:
    if endpoint.startswith("cart."):
        return ids["cart_line_id"]
    if endpoint.startswith("lists."):
        return ids["list_line_id"]
    return ids["order_line_id"]


def _fill(rule, ids: dict) -> str:
    return matrix.sample_url(rule, {**ids, "line_id": _line_id(rule.endpoint, ids)})


def _snapshot() -> tuple:
    order = db.session.scalar(select(Order).where(Order.number == "CMD-B-0001"))
    db.session.refresh(order)
    return (
        order.status, order.total_cents, order.content_version, len(order.lines),
        tuple((r.status, r.decided_by_id) for r in db.session.scalars(
            select(ApprovalRequest).where(ApprovalRequest.order_id == order.id))),
        tuple((x.quantity, x.note) for x in db.session.scalars(select(ShoppingListLine))),
        tuple((x.quantity, x.note) for x in db.session.scalars(select(CartLine))),
        tuple((s.name, s.shared) for s in db.session.scalars(select(ShoppingList))),
        tuple((r.name, r.active) for r in db.session.scalars(select(ApprovalRule))),
        _quote_state(),
        _invoice_state(),
    )


def _invoice_state() -> tuple:
    from portal.models import Invoice, InvoicePayment

    return (db.session.scalar(select(func.count()).select_from(Invoice)),
            db.session.scalar(select(func.count()).select_from(InvoicePayment)))


def _quote_state() -> tuple:
    from portal.models import Quote, QuoteMessage, QuoteVersion

    return tuple((q.status, q.current_version, q.note) for q in db.session.scalars(
        select(Quote))) + (db.session.scalar(select(func.count()).select_from(QuoteMessage)),
                           db.session.scalar(select(func.count()).select_from(QuoteVersion)))


def test_company_a_cannot_reach_any_object_of_company_b(figure, app, world):
    ids = _company_b_objects(world)
    before = _snapshot()
    b_users = (world.b.buyer, world.b.admin, world.b.approver, world.b.viewer)
    user_states_before = [(u.role, u.disabled, u.order_limit_cents) for u in b_users]
    rules = [r for r in app.url_map.iter_rules()
             if r.arguments & {"order_id", "request_id", "list_id", "rule_id", "user_id",
                               "unit_id", "company_id", "product_id", "line_id",
                               "quote_id", "invoice_id"}]
    attackers = {"anonymous": None, "company_admin": world.a.admin,
                 "approver": world.a.approver, "buyer": world.a.buyer, "viewer": world.a.viewer}
    leaks, made = [], 0
    for role, user in attackers.items():
        client = app.test_client()
        if user is not None:
            login(client, user)
        for rule in rules:
            url = _fill(rule, ids)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for headers in ({}, {"HX-Request": "true"}):
                    response = client.open(url, method=method, headers=headers)
                    made += 1
                    body = response.get_data(as_text=True)
                    status = response.status_code
                    # A session never reaches the API (bearer tokens only; their own
                    # cross-tenant sweep is in tests/api).
                    ok = status == 404 or status == 403 or (
                        (user is None or url.startswith("/api/")) and status in (302, 401))
                    if user is None and "product_id" in rule.arguments and status == 200:
                        ok = True  # the public catalog shows anonymous visitors everything
                    if not ok or SECRET_NOTE in body or "CMD-B-0001" in body:
                        leaks.append((role, method, url, bool(headers), status))
    after = _snapshot()
    db.session.expire_all()
    user_states_after = [(u.role, u.disabled, u.order_limit_cents) for u in b_users]
    figure(f"cross-tenant sweep: {len(rules)} routes, {made} requests, "
          f"non-404 answers {len(leaks)}, B rows changed {int(before != after)}")
    assert not leaks, leaks[:20]
    assert before == after
    assert user_states_before == user_states_after
