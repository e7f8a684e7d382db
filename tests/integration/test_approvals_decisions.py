"""Deciding approvals from the inbox and the detail page: approve, reject, trim, bulk."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalStatus,
    AuditEntry,
    Order,
    OrderEvent,
    OrderStatus,
    OutboxMessage,
    Role,
)
from portal.services.approvals.routing import send_reminders
from portal.services.orders.events import event_text
from tests import factories as f
from tests.conftest import htmx_headers, login


@pytest.fixture
def pending(world):
    """A 1,500 € order of the buyer of A, waiting for the branch approver."""
    f.rule(world.a.company, Role.APPROVER, (Role.COMPANY_ADMIN, 500_000),
           when_over_order_limit=True)
    order = f.order(world.a.buyer, [(world.products["cement"], 10, 15_000)],
                    jobsite=world.a.sites[0], route=True)
    return order, f.requests_of(order)[0]


def _reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _mails(to):
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == to)
                              .order_by(OutboxMessage.id)).all()


def test_the_approver_sees_what_waits_and_why_and_approves_from_the_inbox(client, world,
                                                                          pending):
    order, req = pending
    login(client, world.a.approver)
    page = client.get("/approvals/").get_data(as_text=True)
    assert order.number in page and "Site 1" in page and "1\u202f000\xa0€" in page
    response = client.post(f"/approvals/{req.id}/approve", data={"from": "inbox"},
                           headers=htmx_headers("inbox"))
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="inbox"') and order.number not in fragment
    assert _reload(order).status == OrderStatus.SUBMITTED
    assert _reload(req).status == ApprovalStatus.APPROVED
    assert _reload(req).decided_by_id == world.a.approver.id
    [mail] = _mails(world.a.buyer.email)
    assert order.number in mail.subject
    kinds = db.session.scalars(db.select(AuditEntry.action)).all()
    assert "approval.approve" in kinds


def test_approving_without_javascript_redirects_to_the_inbox(client, world, pending):
    order, req = pending
    login(client, world.a.approver)
    response = client.post(f"/approvals/{req.id}/approve")
    assert response.status_code == 303 and response.headers["Location"].endswith("/approvals/")
    assert _reload(order).status == OrderStatus.SUBMITTED


def test_a_big_order_goes_to_the_admin_after_the_approver(client, world):
    f.rule(world.a.company, Role.APPROVER, (Role.COMPANY_ADMIN, 500_000),
           when_over_order_limit=True)
    order = f.order(world.a.buyer, [(world.products["cement"], 1, 600_000)], route=True)
    first, second = f.requests_of(order)
    login(client, world.a.approver)
    assert client.post(f"/approvals/{first.id}/approve").status_code == 303
    assert _reload(order).status == OrderStatus.PENDING_APPROVAL
    assert _reload(second).status == ApprovalStatus.PENDING
    assert len(_mails(world.a.admin.email)) == 1
    # The approver cannot decide the admin's step.
    assert client.post(f"/approvals/{second.id}/approve").status_code == 404
    client.post("/logout")
    login(client, world.a.admin)
    assert order.number in client.get("/approvals/").get_data(as_text=True)
    assert client.post(f"/approvals/{second.id}/approve").status_code == 303
    assert _reload(order).status == OrderStatus.SUBMITTED


def test_rejecting_needs_a_comment_and_tells_the_buyer(client, world, pending):
    order, req = pending
    login(client, world.a.approver)
    empty = client.post(f"/approvals/{req.id}/reject", data={"comment": "  "})
    assert empty.status_code == 422
    assert _reload(req).status == ApprovalStatus.PENDING
    response = client.post(f"/approvals/{req.id}/reject", data={"comment": "Trop cher"})
    assert response.status_code == 303
    assert _reload(order).status == OrderStatus.REJECTED
    assert _reload(req).comment == "Trop cher"
    later = db.session.scalars(db.select(ApprovalRequest).where(
        ApprovalRequest.order_id == order.id, ApprovalRequest.id != req.id)).all()
    assert all(r.status == ApprovalStatus.SUPERSEDED for r in later)
    [mail] = _mails(world.a.buyer.email)
    assert "Trop cher" in mail.body_text
    with client.application.test_request_context():
        messages = [event_text(e) for e in db.session.scalars(db.select(OrderEvent).where(
            OrderEvent.order_id == order.id))]
    assert any("Trop cher" in m for m in messages)


def test_trimming_recomputes_from_frozen_prices_and_approves(client, world):
    f.rule(world.a.company, Role.APPROVER, when_over_order_limit=True)
    screws, cement = world.products["screws"], world.products["cement"]
    order = f.order(world.a.buyer, [(cement, 10, 15_000), (screws, 10, 80)], route=True)
    [req] = f.requests_of(order)
    cement_line, screw_line = order.lines
    login(client, world.a.approver)
    # The client cannot raise a quantity, nor send prices: only quantities are read.
    raised = client.post(f"/approvals/{req.id}/trim", data={f"qty-{cement_line.id}": "11"})
    assert raised.status_code == 422
    response = client.post(f"/approvals/{req.id}/trim", data={
        f"qty-{cement_line.id}": "6", f"qty-{screw_line.id}": "0",
        "unit_price_cents": "1", "subtotal_cents": "1"})
    assert response.status_code == 303
    order = _reload(order)
    assert [(line.sku, line.quantity, line.line_total_cents) for line in order.lines] == [
        (cement.sku, 6, 90_000)]
    assert order.subtotal_cents == order.total_cents == 90_000
    assert order.content_version == 2 and order.status == OrderStatus.SUBMITTED
    assert _reload(req).status == ApprovalStatus.APPROVED
    assert _reload(req).content_version == 2
    with client.application.test_request_context():
        trims = [event_text(e) for e in db.session.scalars(db.select(OrderEvent).where(
            OrderEvent.order_id == order.id, OrderEvent.kind == "trim"))]
    assert any("10" in m and "6" in m and cement.sku in m for m in trims)
    assert any(screws.sku in m for m in trims)
    [mail] = _mails(world.a.buyer.email)
    assert cement.sku in mail.body_text
    assert "approval.trim" in db.session.scalars(db.select(AuditEntry.action)).all()


def test_a_trim_at_step_two_asks_step_one_again_for_the_new_content(client, world):
    f.rule(world.a.company, Role.APPROVER, (Role.COMPANY_ADMIN, 500_000),
           when_over_order_limit=True)
    order = f.order(world.a.buyer, [(world.products["cement"], 10, 60_000)], route=True)
    first, second = f.requests_of(order)
    login(client, world.a.approver)
    client.post(f"/approvals/{first.id}/approve")
    client.post("/logout")
    login(client, world.a.admin)
    line = order.lines[0]
    assert client.post(f"/approvals/{second.id}/trim",
                       data={f"qty-{line.id}": "9"}).status_code == 303
    order = _reload(order)
    assert order.status == OrderStatus.PENDING_APPROVAL and order.content_version == 2
    rows = f.requests_of(order)
    assert _reload(first).status == ApprovalStatus.SUPERSEDED
    current = [(r.step, r.status) for r in rows if r.content_version == 2]
    assert current == [(1, ApprovalStatus.PENDING), (2, ApprovalStatus.APPROVED)]
    client.post("/logout")
    login(client, world.a.approver)
    again = next(r for r in rows if r.step == 1 and r.content_version == 2)
    assert client.post(f"/approvals/{again.id}/approve").status_code == 303
    assert _reload(order).status == OrderStatus.SUBMITTED


def test_bulk_approve_approves_the_ticked_orders(client, world):
    f.rule(world.a.company, Role.APPROVER, when_over_order_limit=True)
    orders = [f.order(world.a.buyer, [(world.products["cement"], 1, 150_000)], route=True)
              for _ in range(3)]
    ids = [f.requests_of(o)[0].id for o in orders]
    login(client, world.a.approver)
    response = client.post("/approvals/bulk", data={"request_id": [str(i) for i in ids[:2]]},
                           headers=htmx_headers("inbox"))
    assert response.status_code == 200
    assert [_reload(o).status for o in orders] == [
        OrderStatus.SUBMITTED, OrderStatus.SUBMITTED, OrderStatus.PENDING_APPROVAL]
    again = client.post("/approvals/bulk", data={"request_id": [str(ids[0]), str(ids[2])]})
    assert again.status_code == 303
    assert _reload(orders[2]).status == OrderStatus.SUBMITTED
    assert client.post("/approvals/bulk", data={}).status_code == 422


def test_a_second_decision_gets_already_decided_and_changes_nothing(client, world, pending):
    order, req = pending
    world.a.approver.name = "Sophie Durand"
    db.session.commit()
    login(client, world.a.approver)
    assert client.post(f"/approvals/{req.id}/approve").status_code == 303
    client.post("/logout")
    login(client, world.a.admin)
    for headers, data in (({}, {}), (htmx_headers("inbox"), {"from": "inbox"})):
        response = client.post(f"/approvals/{req.id}/reject",
                               data={"comment": "Non", **data}, headers=headers)
        assert response.status_code == 409
        assert "Sophie Durand" in response.get_data(as_text=True)
    assert _reload(order).status == OrderStatus.SUBMITTED
    assert _reload(req).status == ApprovalStatus.APPROVED


@pytest.mark.parametrize("path", ["approve", "reject", "trim"])
def test_a_buyer_cannot_decide_even_by_replaying_a_request(client, world, pending, path):
    order, req = pending
    login(client, world.a.buyer)
    for headers in ({}, htmx_headers()):
        response = client.post(f"/approvals/{req.id}/{path}", data={"comment": "ok"},
                               headers=headers)
        assert response.status_code == 403
    assert client.get(f"/approvals/{req.id}").status_code == 403
    assert client.get("/approvals/").status_code == 403
    assert _reload(order).status == OrderStatus.PENDING_APPROVAL
    assert _reload(req).status == ApprovalStatus.PENDING


def test_an_approver_outside_the_unit_gets_a_404_and_nothing_changes(client, world, pending):
    order, req = pending
    elsewhere = f.unit(world.a.company, "Autre agence")
    outsider = f.user(world.a.company, Role.APPROVER, unit_id=elsewhere.id)
    db.session.commit()
    login(client, outsider)
    assert client.get(f"/approvals/{req.id}").status_code == 404
    assert client.post(f"/approvals/{req.id}/approve").status_code == 404
    assert order.number not in client.get("/approvals/").get_data(as_text=True)
    assert _reload(req).status == ApprovalStatus.PENDING


def test_an_approver_who_placed_the_order_cannot_approve_it(client, world):
    f.rule(world.a.company, Role.APPROVER, when_over_order_limit=True)
    world.a.approver.order_limit_cents = 1_000
    db.session.commit()
    order = f.order(world.a.approver, [(world.products["cement"], 1, 5_000)], route=True)
    [req] = f.requests_of(order)
    login(client, world.a.approver)
    assert client.post(f"/approvals/{req.id}/approve").status_code == 404
    assert _reload(order).status == OrderStatus.PENDING_APPROVAL


@pytest.mark.parametrize("method, path", [
    ("get", ""), ("post", "/approve"), ("post", "/reject"), ("post", "/trim")])
def test_approvals_of_another_company_are_404_as_page_and_fragment(client, world, pending,
                                                                     method, path):
    order, req = pending
    for intruder in (world.b.approver, world.b.admin):
        login(client, intruder)
        for headers in ({}, htmx_headers()):
            response = getattr(client, method)(f"/approvals/{req.id}{path}",
                                               data={"comment": "x"}, headers=headers)
            assert response.status_code == 404
        assert client.post("/approvals/bulk", data={"request_id": str(req.id)}).status_code == 404
        client.post("/logout")
    assert _reload(req).status == ApprovalStatus.PENDING


def test_the_approval_link_of_the_email_brings_the_approver_back_after_sign_in(client, world,
                                                                             pending):
    _order, req = pending
    response = client.get(f"/approvals/{req.id}")
    assert response.status_code == 302 and f"next=/approvals/{req.id}" in response.headers[
        "Location"]
    signed_in = client.post("/login", data={"email": world.a.approver.email,
                                            "password": f.PASSWORD,
                                            "next": f"/approvals/{req.id}"})
    assert signed_in.headers["Location"] == f"/approvals/{req.id}"
    page = client.get(f"/approvals/{req.id}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    for name in ("Approve", "Reject"):
        assert f">{name}<" in page or f"> {name}<" in page


def test_the_home_page_counts_the_orders_waiting_for_me(client, world, pending):
    login(client, world.a.approver)
    assert "1 order waits for your approval" in client.get(
        "/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    client.post("/logout")
    login(client, world.a.buyer)
    assert "waits for your approval" not in client.get("/").get_data(as_text=True)


def test_reminders_go_to_approvers_of_old_pending_requests_once_per_delay(app, world, pending):
    _order, req = pending
    start = req.created_at
    assert send_reminders(start + timedelta(hours=23)) == 0
    assert send_reminders(start + timedelta(hours=25)) == 1
    db.session.commit()
    assert send_reminders(start + timedelta(hours=30)) == 0
    assert send_reminders(start + timedelta(hours=50)) == 1
    db.session.commit()
    subjects = [m.subject for m in _mails(world.a.approver.email)]
    assert len(subjects) == 3 and subjects[1] == subjects[2] != subjects[0]
    assert _reload(req).reminded_at == start + timedelta(hours=50)


def test_an_order_no_longer_pending_cannot_be_approved(client, world, pending):
    order, req = pending
    db.session.get(Order, order.id).status = OrderStatus.CANCELLED
    db.session.commit()
    login(client, world.a.approver)
    assert client.post(f"/approvals/{req.id}/approve").status_code == 409
    assert _reload(req).status == ApprovalStatus.PENDING


def _two_line_order(world):
    f.rule(world.a.company, Role.APPROVER, when_over_order_limit=True)
    screws, cement = world.products["screws"], world.products["cement"]
    order = f.order(world.a.buyer, [(cement, 10, 15_000), (screws, 10, 80)], route=True)
    [req] = f.requests_of(order)
    return order, req


def test_approve_applies_the_quantities_the_approver_edited_and_says_so(client, world):
    """No JavaScript: the one Approve button posts what the page shows, edits included."""
    order, req = _two_line_order(world)
    cement_line, screw_line = order.lines
    login(client, world.a.approver)
    response = client.post(f"/approvals/{req.id}/approve", data={
        f"qty-{cement_line.id}": "6", f"qty-{screw_line.id}": "10", "version": "1",
        "comment": "Six suffisent"}, headers={"Accept-Language": "en"})
    assert response.status_code == 303
    order = _reload(order)
    assert [(line.quantity, line.line_total_cents) for line in order.lines] == [
        (6, 90_000), (10, 800)]
    assert order.status == OrderStatus.SUBMITTED and order.subtotal_cents == 90_800
    assert _reload(req).comment == "Six suffisent"
    page = client.get("/approvals/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Order approved with your changes" in page and cement_line.sku in page
    assert "Order approved." not in page


def test_approve_with_the_quantities_unchanged_approves_as_is_with_an_optional_comment(
        client, world):
    order, req = _two_line_order(world)
    cement_line, screw_line = order.lines
    login(client, world.a.approver)
    response = client.post(f"/approvals/{req.id}/approve", data={
        f"qty-{cement_line.id}": "10", f"qty-{screw_line.id}": "10", "version": "1",
        "comment": "OK pour ce chantier"})
    assert response.status_code == 303
    order = _reload(order)
    assert order.status == OrderStatus.SUBMITTED and order.content_version == 1
    assert _reload(req).comment == "OK pour ce chantier"
    [entry] = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "approval.approve")).all()
    assert entry.detail["comment"] == "OK pour ce chantier"


@pytest.mark.parametrize("typed, words", [
    ("11", "not raise it"),
    ("6x", "enter a whole quantity"),
])
def test_a_refused_edit_names_its_line_and_keeps_what_was_typed(client, world, typed, words):
    order, req = _two_line_order(world)
    cement_line, screw_line = order.lines
    login(client, world.a.approver)
    response = client.post(f"/approvals/{req.id}/approve", data={
        f"qty-{cement_line.id}": "6", f"qty-{screw_line.id}": typed, "version": "1",
        "comment": "à revoir"}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    alert = page[page.index('role="alert"'):][:400]
    assert screw_line.sku in alert and words in alert and cement_line.sku not in alert
    assert f'value="{typed}"' in page and 'value="6"' in page and "à revoir" in page
    order = _reload(order)
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert [line.quantity for line in order.lines] == [10, 10]


def test_approving_a_page_older_than_the_order_is_refused(client, world):
    order, req = _two_line_order(world)
    cement_line, _screws = order.lines
    login(client, world.a.approver)
    response = client.post(f"/approvals/{req.id}/approve", data={
        f"qty-{cement_line.id}": "10", "version": "0"})
    assert response.status_code == 409
    assert _reload(order).status == OrderStatus.PENDING_APPROVAL
