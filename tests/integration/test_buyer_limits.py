"""A buyer sees their own per-order limit and monthly budget, and what is left this month,
counted the way the approval routing counts it."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from portal.extensions import db
from portal.models import ApprovalRule, ApprovalStep, Order, OrderStatus, PaymentTerms, Role
from portal.services.approvals.buyer_limits import limits_of
from tests.conftest import login


@pytest.fixture
def client(app):
    english = app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return english


def placed(world, cents: int, status=OrderStatus.SUBMITTED, when=None, n=[0]):  # noqa: B006
    n[0] += 1
    order = Order(number=f"T-{n[0]:05d}-{cents}", company_id=world.a.company.id,
                  placed_by_id=world.a.buyer.id, payment_terms=PaymentTerms.NET30,
                  subtotal_cents=cents, total_cents=cents, status=status,
                  placed_at=when or datetime.now(UTC))
    db.session.add(order)
    return order


def limits_section(client) -> str:
    page = client.get("/account/").get_data(as_text=True)
    found = re.search(r'<section id="limits".*?</section>', page, re.S)
    assert found, "no limits on the account page"
    text = re.sub(r"\s+", " ", found.group(0)).replace("\u202f", " ").replace("\xa0", " ")
    return re.sub(r"> <", "><", text)


def test_the_account_page_shows_the_limit_the_budget_and_what_is_left(client, world):
    world.a.buyer.monthly_budget_cents = 200000
    placed(world, 45000)
    placed(world, 30000, OrderStatus.PENDING_APPROVAL)
    placed(world, 99999, OrderStatus.REJECTED)  # not spent: the routing does not count it
    placed(world, 77700, when=datetime.now(UTC) - timedelta(days=40))  # an earlier month
    db.session.commit()
    login(client, world.a.buyer)
    text = limits_section(client)
    assert "Per-order limit</dt><dd class=\"num\">€1,000.00" in text
    assert "Monthly budget</dt><dd class=\"num\">€2,000.00" in text
    assert "Ordered this month</dt><dd class=\"num\">€750.00" in text
    assert "Left this month</dt><dd class=\"num\">€1,250.00" in text


def test_the_figure_is_the_one_the_approval_routing_compares(app, world):
    world.a.buyer.monthly_budget_cents = 100000
    placed(world, 60000)
    db.session.commit()
    from portal.services.approvals import routing as approval

    rule = ApprovalRule(company_id=world.a.company.id, name="Budget", position=1,
                        when_over_user_budget=True)
    rule.steps.append(ApprovalStep(position=1, approver_role=Role.COMPANY_ADMIN))
    db.session.add(rule)
    db.session.commit()
    with app.test_request_context():
        now = datetime.now(UTC)
        left = limits_of(world.a.buyer, now).month_left_cents
        assert left == 40000
        at_the_limit = approval.needs_for_cart(world.a.buyer, left, [], None, now)
        over_it = approval.needs_for_cart(world.a.buyer, left + 1, [], None, now)
    assert at_the_limit == [] and len(over_it) == 1


def test_a_buyer_without_limits_is_told_so(client, world):
    world.a.buyer.order_limit_cents = None
    db.session.commit()
    login(client, world.a.buyer)
    assert "You have no per-order limit and no monthly budget." in limits_section(client)


def test_viewers_and_staff_have_no_limits_section(client, world):
    for person in (world.a.viewer, world.staff):
        login(client, person)
        assert 'id="limits"' not in client.get("/account/").get_data(as_text=True)
        client.post("/logout")


def test_the_carts_approval_notice_links_to_the_buyers_limits(client, world):
    from tests.factories import approval_over_limit, cart_with

    approval_over_limit(world.a.company)
    [line] = cart_with(world.a.buyer, (world.products["cement"], 20))  # 170 €, limit 1,000 €
    login(client, world.a.buyer)
    assert 'href="/account/#limits"' not in client.get("/cart/").get_data(as_text=True)
    line.quantity = 120  # 1,020 €: over the limit
    db.session.commit()
    page = client.get("/cart/").get_data(as_text=True)
    assert "Needs approval by" in page
    assert 'href="/account/#limits"' in page
