"""CSRF on every state-changing route; security headers and cookie flags on every page."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from tests.conftest import login
from tests.security import matrix

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def _signed_in_client(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


# Every method a browser, a fetch() or a crawler can send: the safe ones must change nothing,
# every other one must be refused without a token.
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND")


def _own_objects(world) -> dict:
    """One live object of company A behind every kind of id a URL carries."""
    from datetime import UTC, datetime

    from portal.models import (
        AccountApplication,
        ApplicationStatus,
        ApprovalRequest,
        ApprovalRule,
        ApprovalStatus,
        ApprovalStep,
        Cart,
        CartLine,
        CompanyStatus,
        ImportJob,
        ImportStatus,
        Order,
        OrderLine,
        OrderStatus,
        PaymentTerms,
        PriceTier,
        Role,
        ShoppingList,
        ShoppingListLine,
        TokenPurpose,
    )
    from portal.services.accounts.signin import issue_token
    from tests import factories as f

    a, screws = world.a, world.products["screws"]
    orders = []
    for number, status in (("CMD-A-0001", OrderStatus.PENDING_APPROVAL),
                           ("CMD-A-0002", OrderStatus.SUBMITTED)):
        order = Order(number=number, company_id=a.company.id, unit_id=a.branch.id,
                      jobsite_id=a.sites[0].id, placed_by_id=a.buyer.id,
                      payment_terms=PaymentTerms.NET30, status=status,
                      subtotal_cents=950, total_cents=1140)
        db.session.add(order)
        db.session.flush()
        db.session.add(OrderLine(order_id=order.id, product_id=screws.id, sku=screws.sku,
                                 name="Vis", quantity=10, unit_price_cents=95,
                                 line_total_cents=950))
        orders.append(order)
    rule = ApprovalRule(company_id=a.company.id, name="Over 1 EUR", min_total_cents=1)
    db.session.add(rule)
    db.session.flush()
    db.session.add(ApprovalStep(rule_id=rule.id, position=0, approver_role=Role.APPROVER))
    request = ApprovalRequest(order_id=orders[0].id, company_id=a.company.id, step=0,
                              rule_id=rule.id, approver_role=Role.APPROVER,
                              approver_unit_id=a.branch.id, status=ApprovalStatus.PENDING,
                              reason="over 1 EUR")
    shopping_list = ShoppingList(company_id=a.company.id, owner_id=a.buyer.id, name="Site 1",
                                 shared=True)
    cart = Cart(user_id=a.buyer.id, company_id=a.company.id)
    pending = f.company("Applicant SARL", status=CompanyStatus.PENDING)
    db.session.add_all([request, shopping_list, cart])
    db.session.flush()
    list_line = ShoppingListLine(list_id=shopping_list.id, product_id=screws.id, quantity=5)
    cart_line = CartLine(cart_id=cart.id, product_id=screws.id, quantity=5)
    application = AccountApplication(company_id=pending.id, contact_name="Applicant",
                                     contact_email="applicant@test.example",
                                     status=ApplicationStatus.PENDING)
    db.session.add_all([list_line, cart_line, application])
    db.session.flush()
    token = issue_token(a.buyer, TokenPurpose.RESET, datetime.now(UTC))
    # A dry run still checking its rows: a GET or HEAD of its progress must not move it on.
    job = ImportJob(kind="customers", filename="clients.csv", content="company_name\nX\n",
                    status=ImportStatus.CHECKING, total_rows=1, created_by_id=world.staff.id)
    db.session.add(job)
    tier = db.session.scalar(select(PriceTier).where(PriceTier.product_id == screws.id))
    db.session.commit()
    return {
        "order_id": orders[0].id, "fulfilment_order_id": orders[1].id,
        "request_id": request.id, "list_id": shopping_list.id, "rule_id": rule.id,
        "user_id": a.buyer.id, "unit_id": a.sites[0].id, "company_id": a.company.id,
        "product_id": screws.id, "category_id": world.categories["tools"].id,
        "sku": screws.sku, "gtin": screws.gtin or "x", "tier_id": tier.id,
        "application_id": application.id, "token": token, "job_id": job.id,
        "cart_line_id": cart_line.id, "list_line_id": list_line.id,
        "order_line_id": db.session.scalar(select(OrderLine.id).where(
            OrderLine.order_id == orders[1].id)),
    }


def _own_url(rule, ids: dict) -> str:
    """The rule's URL filled with the signed-in company's own live objects."""
    values = dict(ids)
    if rule.endpoint.startswith("cart."):
        values["line_id"] = ids["cart_line_id"]
    elif rule.endpoint.startswith("lists."):
        values["line_id"] = ids["list_line_id"]
    else:
        values["line_id"] = ids["order_line_id"]
    if rule.endpoint.startswith("fulfilment."):
        values["order_id"] = ids["fulfilment_order_id"]
    return matrix.sample_url(rule, values)


def _database_state() -> dict:
    """Every row of every table, read through a connection of its own (committed state)."""
    state = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(select(table)).all()
            state[table.name] = sorted(repr(tuple(row)) for row in rows)
    return state


class _Watch:
    """Tells which tables a request changed. SQLite bumps `data_version` on a connection when
    another connection commits, so the full snapshot is taken again only after a commit."""

    def __init__(self):
        self.connection = db.engine.connect()
        self.version = self._version()
        self.state = _database_state()

    def _version(self) -> int:
        version = self.connection.exec_driver_sql("PRAGMA data_version").scalar()
        self.connection.commit()
        return version

    def changed_tables(self) -> list[str]:
        version = self._version()
        if version == self.version:
            return []
        self.version = version
        after = _database_state()
        changed = [name for name in after if after[name] != self.state[name]]
        self.state = after
        return changed


# Routes whose URL carries a signed token that stands for the CSRF token (and is all they
# accept): the weekly digest's one-click unsubscribe.
TOKEN_IN_URL = {"orders.stop_digest"}


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_no_method_without_a_token_changes_anything_on_any_route(figure, app, world):
    """Every route x every method, with the signed-in company's own ids and with 999999."""
    ids = _own_objects(world)
    users = (None, world.a.buyer, world.a.approver, world.a.admin, world.staff)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in matrix.INFRASTRUCTURE]
    checked, changed, accepted = 0, [], []
    watch = _Watch()
    for user in users:
        client = _signed_in_client(app, user) if user else app.test_client()
        for rule in rules:
            for url in dict.fromkeys((_own_url(rule, ids), matrix.sample_url(rule))):
                for method in SAFE_METHODS + UNSAFE_METHODS:
                    for headers in ({}, {"HX-Request": "true"}):
                        # Buffered: a streamed export is read to its end, as a browser would.
                        response = client.open(url, method=method, headers=headers,
                                               data={"quantity": "1", "reason": "sweep"},
                                               buffered=True)
                        db.session.rollback()
                        checked += 1
                        tables = watch.changed_tables()
                        if tables:
                            changed.append((method, url, tables))
                        # The API ignores cookies: without a bearer token it answers 401.
                        # A one-click unsubscribe (RFC 8058) posts no CSRF token: the signed
                        # token in its URL is the proof; any other token is a 404.
                        refused = (400, 405, 401) if url.startswith("/api/") else \
                            (400, 405, 404) if rule.endpoint in TOKEN_IN_URL else (400, 405)
                        if method in UNSAFE_METHODS and response.status_code not in refused:
                            accepted.append((method, url, response.status_code))
    watch.connection.close()
    assert _database_state() == watch.state  # the watch itself missed nothing
    figure(f"CSRF sweep: {checked} requests without token ({len(rules)} routes x "
           f"{len(SAFE_METHODS + UNSAFE_METHODS)} methods x {len(users)} users, own ids and "
           f"unknown ids), state changed {len(changed)}, unsafe methods accepted {len(accepted)}")
    assert not changed
    assert not accepted


def test_every_page_carries_the_security_headers(figure, app, world):
    client = app.test_client()
    login(client, world.a.buyer)
    checked, problems = 0, []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "assets.bundle"):
            continue
        response = client.get(matrix.sample_url(rule))
        checked += 1
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        if ("default-src 'self'" not in csp or "frame-ancestors 'none'" not in csp
                or "unsafe-inline" in csp or headers.get("X-Content-Type-Options") != "nosniff"
                or "no-store" not in headers.get("Cache-Control", "")):
            problems.append((rule.rule, response.status_code))
    figure(f"header conformance: {checked} routes, non-conforming {len(problems)}")
    assert not problems


@pytest.mark.config(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
def test_cookies_are_secure_httponly_and_samesite(app, world):
    client = app.test_client()
    response = client.post("/login", data={"email": world.a.buyer.email,
                                           "password": "correct horse battery",
                                           "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie


@pytest.mark.config(WTF_CSRF_ENABLED=True)
@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "GET"])
def test_confirmation_views_act_only_on_post_even_without_the_head_layer(app, world, method):
    """The cause, tested apart from its defence in depth: with the HEAD-as-GET middleware
    taken off, a HEAD (as Flask hands it to the GET view) still only shows the page."""
    from portal.models import PriceTier, Unit, User
    from portal.security import HeadAsGet

    ids = _own_objects(world)
    layer = app.wsgi_app
    assert isinstance(layer, HeadAsGet)
    app.wsgi_app = layer.wsgi_app
    try:
        admin = _signed_in_client(app, world.a.admin)
        staff = _signed_in_client(app, world.staff)
        answers = [
            admin.open(f"/company/users/{ids['user_id']}/disable", method=method),
            admin.open(f"/company/units/{ids['unit_id']}/archive", method=method),
            staff.open(f"/staff/catalog/tiers/{ids['tier_id']}/delete", method=method),
            staff.open(f"/staff/fulfilment/orders/{ids['fulfilment_order_id']}/cancel",
                       method=method),
        ]
    finally:
        app.wsgi_app = layer
    db.session.expire_all()
    assert [a.status_code for a in answers] == [200] * 4
    assert not db.session.get(User, ids["user_id"]).disabled
    assert not db.session.get(Unit, ids["unit_id"]).archived
    assert db.session.get(PriceTier, ids["tier_id"]) is not None
    from portal.models import Order, OrderStatus
    assert db.session.get(Order, ids["fulfilment_order_id"]).status == OrderStatus.SUBMITTED


def test_a_head_answers_like_a_get_without_a_body(app, world):
    client = _signed_in_client(app, world.a.admin)
    got = client.get("/company/units")
    head = client.head("/company/units")
    assert head.status_code == got.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Length"] == got.headers["Content-Length"]
