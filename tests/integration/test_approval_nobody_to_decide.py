"""An approval step nobody but the requester could decide is never a silent dead end.

A sole company admin's own large order under a "company admin" step is refused at submit,
saying why and what to do, with the cart and the typed form kept; the cart says the same
before submit. An order already waiting whose last possible approver left is told to the
seller's staff by the reminders command once it is older than the reminder delay.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    ApprovalStatus,
    CartLine,
    Order,
    OrderStatus,
    OutboxMessage,
    RepAssignment,
    Role,
)
from portal.services.approvals.routing import send_reminders
from tests import factories as f
from tests.conftest import login
from tests.factories import cart_with, checkout_token

EN = {"Accept-Language": "en"}
SOLE = "needs the approval of another company admin, and you are the only one"


@pytest.fixture
def big_orders_need_an_admin(world):
    """Orders over 5,000 EUR need a company admin; company A has one admin."""
    return f.rule(world.a.company, Role.COMPANY_ADMIN, min_total_cents=500_000)


def _mails(to):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to)
                              .order_by(OutboxMessage.id)).all()


def test_the_sole_admins_own_large_order_is_refused_at_submit_saying_why(
        client, world, big_orders_need_an_admin):
    admin = world.a.admin
    cart_with(admin, (world.products["cement"], 700))  # 5,950 EUR excl. VAT
    login(client, admin)
    cart = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "Cannot be placed as it is:" in cart and SOLE in cart  # told before submit
    data = {"token": checkout_token(client), "place": f"jobsite:{world.a.sites[0].id}",
            "po_number": "PO-77"}
    answer = client.post("/checkout/", data=data, headers=EN)
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert SOLE in page and "Add a second company admin or change the approval rule" in page
    assert 'value="PO-77"' in page  # what was typed stays
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert db.session.scalar(select(func.count(CartLine.id))) == 1  # the cart is kept


def test_with_a_second_admin_the_same_order_waits_for_that_admin(
        client, world, big_orders_need_an_admin):
    other = f.user(world.a.company, Role.COMPANY_ADMIN, email="admin2-a@test.example")
    db.session.commit()
    cart_with(world.a.admin, (world.products["cement"], 700))
    login(client, world.a.admin)
    assert SOLE not in client.get("/cart/", headers=EN).get_data(as_text=True)
    client.post("/checkout/", data={"token": checkout_token(client),
                                    "place": f"jobsite:{world.a.sites[0].id}"})
    order = db.session.scalars(select(Order)).one()
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage)).all()
            if "approval" in m.kind] == [other.email]


def test_a_buyers_order_in_a_company_without_an_active_admin_is_refused(
        client, world, big_orders_need_an_admin):
    world.a.admin.disabled = True
    db.session.commit()
    cart_with(world.a.buyer, (world.products["cement"], 700))
    login(client, world.a.buyer)
    answer = client.post("/checkout/", headers=EN, data={
        "token": checkout_token(client), "place": f"jobsite:{world.a.sites[0].id}"})
    assert answer.status_code == 409
    assert "it has no active company admin" in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_an_order_left_with_nobody_to_decide_it_is_told_to_the_sellers_staff(
        app, world, big_orders_need_an_admin):
    other = f.user(world.a.company, Role.COMPANY_ADMIN, email="admin2-a@test.example")
    db.session.add(RepAssignment(rep_id=world.rep.id, company_id=world.a.company.id))
    db.session.commit()
    order = f.order(world.a.admin, [(world.products["cement"], 700, 850)], route=True)
    [req] = f.requests_of(order)
    assert req.status == ApprovalStatus.PENDING
    other.disabled = True  # the only other admin leaves after the order was routed
    db.session.commit()
    start = req.created_at
    assert send_reminders(start + timedelta(hours=23)) == 0
    db.session.commit()
    assert _mails(world.staff.email) == []
    assert send_reminders(start + timedelta(hours=25)) == 1
    db.session.commit()
    [mail] = _mails(world.staff.email)
    assert order.number in mail.subject and world.a.company.name in mail.subject
    assert f"https://portal.test/staff/customers/{world.a.company.id}" in mail.body_text
    assert len(_mails(world.rep.email)) == 1  # the customer's own sales rep too
    assert _mails(world.fulfilment.email) == []
    assert send_reminders(start + timedelta(hours=30)) == 0  # once per reminder delay
