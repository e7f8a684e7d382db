"""Routing orders to approval: who is asked, why, and what the cart announces."""

from datetime import UTC, datetime, timedelta

from portal.extensions import db
from portal.models import (
    ApprovalStatus,
    AuditEntry,
    OrderEvent,
    OrderStatus,
    OutboxMessage,
    Role,
)
from portal.services.approvals.routing import needs_for_cart
from tests import factories as f

NOW = datetime(2025, 6, 16, 9, 0, tzinfo=UTC)


def _limit_rule(world, *steps):
    return f.rule(world.a.company, *(steps or (Role.APPROVER,)), when_over_order_limit=True)


def _routed(buyer, lines, jobsite=None, at=NOW):
    """An order placed at `at` and routed as checkout routes it."""
    return f.order(buyer, lines, jobsite=jobsite, placed_at=at, route=True)


def _outbox(to=None):
    rows = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [m for m in rows if to is None or m.to_address == to]


def test_an_order_over_the_buyer_limit_waits_for_the_unit_approver(world):
    _limit_rule(world)
    order = _routed(world.a.buyer, [(world.products["cement"], 1, 150_000)],
                    jobsite=world.a.sites[0])
    assert order.status == OrderStatus.PENDING_APPROVAL
    [req] = f.requests_of(order)
    assert (req.step, req.status, req.approver_role, req.approver_unit_id) == (
        1, ApprovalStatus.PENDING, Role.APPROVER, world.a.branch.id)
    assert req.content_version == order.content_version and req.company_id == order.company_id
    assert "1\u202f000\xa0€" in req.reason
    [mail] = _outbox(world.a.approver.email)
    assert order.number in mail.subject
    assert f"https://portal.test/approvals/{req.id}" in mail.body_text
    event = db.session.scalars(db.select(OrderEvent).where(OrderEvent.order_id == order.id)).one()
    assert event.kind == "approval" and event.status == OrderStatus.PENDING_APPROVAL


def test_an_order_within_the_limit_is_submitted_at_once(world):
    _limit_rule(world)
    order = _routed(world.a.buyer, [(world.products["cement"], 1, 90_000)])
    assert order.status == OrderStatus.SUBMITTED
    assert f.requests_of(order) == [] and _outbox() == []


def test_a_6000_euro_order_needs_the_approver_then_the_company_admin(world):
    _limit_rule(world, Role.APPROVER, (Role.COMPANY_ADMIN, 500_000))
    big = _routed(world.a.buyer, [(world.products["cement"], 1, 600_000)])
    steps = f.requests_of(big)
    assert [(r.step, r.status, r.approver_role) for r in steps] == [
        (1, ApprovalStatus.PENDING, Role.APPROVER), (2, ApprovalStatus.WAITING, Role.COMPANY_ADMIN)]
    assert [m.to_address for m in _outbox()] == [world.a.approver.email]  # step 1 only
    small = _routed(world.a.buyer, [(world.products["cement"], 1, 150_000)])
    assert [r.approver_role for r in f.requests_of(small)] == [Role.APPROVER]


def test_the_cart_says_who_must_approve_and_why_before_submit(app, world):
    _limit_rule(world, Role.APPROVER, (Role.COMPANY_ADMIN, 500_000))
    world.a.approver.name = "Sophie Durand"
    world.a.admin.name = "Jean Martin"
    db.session.commit()
    lines = [(world.products["cement"].id, world.products["cement"].category_id, 1, 600_000)]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        needs = needs_for_cart(world.a.buyer, 600_000, lines, world.a.sites[0].id, NOW)
    assert [(n.step, n.approver_label) for n in needs] == [
        (1, "Sophie Durand (purchasing manager)"), (2, "Jean Martin (company admin)")]
    assert needs[0].reason == "over your €1,000 per-order limit"
    assert needs[1].reason == "over your €1,000 per-order limit; above €5,000"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert needs_for_cart(world.a.buyer, 90_000, lines, None, NOW) == []


def test_the_requester_never_approves_their_own_order(world):
    _limit_rule(world)
    world.a.approver.order_limit_cents = 100_000
    db.session.commit()
    order = _routed(world.a.approver, [(world.products["cement"], 1, 150_000)])
    [req] = f.requests_of(order)
    # The only approver of the branch is the requester: the company admins decide.
    assert req.approver_role == Role.COMPANY_ADMIN
    assert [m.to_address for m in _outbox()] == [world.a.admin.email]


def test_an_admin_ordering_over_their_limit_is_approved_by_another_admin(world):
    _limit_rule(world, Role.COMPANY_ADMIN)
    other = f.user(world.a.company, Role.COMPANY_ADMIN, email="admin2-a@test.example")
    world.a.admin.order_limit_cents = 1_000
    db.session.commit()
    order = _routed(world.a.admin, [(world.products["cement"], 1, 5_000)])
    assert [m.to_address for m in _outbox()] == [other.email]
    assert f.requests_of(order)[0].approver_role == Role.COMPANY_ADMIN


def test_the_monthly_budget_counts_every_order_of_the_month(world):
    f.rule(world.a.company, Role.APPROVER, when_over_user_budget=True)
    world.a.buyer.monthly_budget_cents = 200_000
    world.a.buyer.order_limit_cents = None
    db.session.commit()
    cement = world.products["cement"]
    last_month = _routed(world.a.buyer, [(cement, 1, 150_000)], at=NOW - timedelta(days=20))
    first = _routed(world.a.buyer, [(cement, 1, 150_000)])
    second = _routed(world.a.buyer, [(cement, 1, 40_000)])
    third = _routed(world.a.buyer, [(cement, 1, 20_000)])
    assert [o.status for o in (last_month, first, second, third)] == [
        OrderStatus.SUBMITTED, OrderStatus.SUBMITTED, OrderStatus.SUBMITTED,
        OrderStatus.PENDING_APPROVAL]
    # Cancelled and rejected orders do not count.
    second.status = OrderStatus.CANCELLED
    db.session.commit()
    assert _routed(world.a.buyer, [(cement, 1, 20_000)]).status == OrderStatus.SUBMITTED


def test_a_unit_budget_counts_the_orders_of_the_units_below_it(world):
    f.rule(world.a.company, Role.COMPANY_ADMIN, when_over_unit_budget=True)
    world.a.branch.budget_cents = 300_000
    world.a.buyer.order_limit_cents = None
    db.session.commit()
    cement = world.products["cement"]
    other_buyer = f.user(world.a.company, Role.BUYER, unit_id=world.a.sites[1].id)
    assert _routed(other_buyer, [(cement, 1, 200_000)],
                   jobsite=world.a.sites[1]).status == OrderStatus.SUBMITTED
    over = _routed(world.a.buyer, [(cement, 1, 150_000)], jobsite=world.a.sites[0])
    assert over.status == OrderStatus.PENDING_APPROVAL
    assert "Agence" in f.requests_of(over)[0].reason


def test_category_and_jobsite_rules_look_at_the_lines_and_the_delivery(world):
    f.rule(world.a.company, Role.APPROVER, category_id=world.categories["food"].id)
    f.rule(world.a.company, Role.COMPANY_ADMIN, jobsite_id=world.a.sites[1].id)
    flour, cement = world.products["flour"], world.products["cement"]
    assert _routed(world.a.buyer, [(cement, 1, 100)],
                   jobsite=world.a.sites[0]).status == OrderStatus.SUBMITTED
    food = _routed(world.a.buyer, [(cement, 1, 100), (flour, 10, 120)])
    assert [r.approver_role for r in f.requests_of(food)] == [Role.APPROVER]
    site2 = _routed(world.a.buyer, [(cement, 1, 100)], jobsite=world.a.sites[1])
    assert [r.approver_role for r in f.requests_of(site2)] == [Role.COMPANY_ADMIN]


def test_rules_of_another_company_or_inactive_rules_never_apply(world):
    f.rule(world.b.company, Role.APPROVER, when_over_order_limit=True)
    inactive = _limit_rule(world)
    inactive.active = False
    db.session.commit()
    order = _routed(world.a.buyer, [(world.products["cement"], 1, 150_000)])
    assert order.status == OrderStatus.SUBMITTED
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0
