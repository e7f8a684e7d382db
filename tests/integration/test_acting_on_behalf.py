"""Ordering on behalf: a rep (or staff admin) becomes one of the customer's buyers for a while,
with a banner on every page, and comes back to their own identity with "Stop"."""

from datetime import UTC, datetime

import pytest
from flask import session
from flask_login import login_user
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, CompanyStatus, Order, User
from portal.services.backoffice.acting import acting_staff
from tests import factories as f
from tests.conftest import htmx_headers, login

EN = {"Accept-Language": "en"}


def _signed_in_id(client) -> int | None:
    with client.session_transaction() as s:
        raw = s.get("_user_id")
    return int(raw.split(":")[0]) if raw else None


def _act(client, world, user=None, company=None):
    company = company or world.a.company
    user = user or world.a.buyer
    return client.post(f"/staff/customers/{company.id}/act-as/{user.id}")


@pytest.fixture
def rep_of_a(world):
    f.assign(world.rep, world.a.company)
    world.a.buyer.name = "Julien Moreau"
    world.a.company.name = "Durand Bâtiment"
    db.session.commit()
    return world.rep


def test_a_rep_orders_as_the_customers_buyer_with_a_banner_on_every_page(client, world,
                                                                          rep_of_a):
    login(client, rep_of_a)
    response = _act(client, world)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/quick-order/") or \
        "quick" in response.headers["Location"]
    assert _signed_in_id(client) == world.a.buyer.id
    with client.session_transaction() as s:
        acting = s["acting_for"]
    assert acting["user_id"] == world.a.buyer.id and acting["staff_id"] == rep_of_a.id
    assert acting["company"] == "Durand Bâtiment" and acting["user"] == "Julien Moreau"
    page = client.get("/account/", headers=EN)
    assert page.status_code == 200
    assert "You are ordering for Durand Bâtiment as Julien Moreau" in page.text
    assert 'action="/staff/acting/stop"' in page.text and ">Stop<" in page.text
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "acting.started"))
    assert audit.actor_id == rep_of_a.id and audit.acting_staff_id == rep_of_a.id
    assert audit.object_id == world.a.buyer.id and audit.company_id == world.a.company.id


def test_an_order_placed_while_acting_records_the_rep_on_behalf(app, client, world, rep_of_a):
    ordering = pytest.importorskip("portal.services.ordering.checkout")
    from portal.services.ordering.cart import add_to_cart

    login(client, rep_of_a)
    _act(client, world)
    with client.session_transaction() as s:
        acting = dict(s["acting_for"])
    buyer = db.session.get(User, world.a.buyer.id)
    with app.test_request_context():
        session["acting_for"] = acting
        login_user(buyer)
        staff = acting_staff()
        assert staff is not None and staff.id == rep_of_a.id
        add_to_cart(buyer, world.products["cement"], 2)
        form = ordering.CheckoutForm(place=f"jobsite:{world.a.sites[0].id}",
                                     token=ordering.new_submit_token())
        placed = ordering.place_order(buyer, form, datetime.now(UTC), on_behalf_by=staff)
        db.session.commit()
    order = db.session.get(Order, placed.order.id)
    assert order.placed_by_id == world.a.buyer.id
    assert order.on_behalf_by_id == rep_of_a.id


def test_acting_staff_is_none_for_a_customer_signed_in_on_their_own(app, world):
    with app.test_request_context():
        login_user(db.session.get(User, world.a.buyer.id))
        assert acting_staff() is None
        # A forged or stale acting entry for another user does not count either.
        session["acting_for"] = {"user_id": world.b.buyer.id, "staff_id": world.staff.id,
                                 "staff_version": 1}
        assert acting_staff() is None


def test_stop_returns_to_the_staff_identity_without_ending_the_customers_sessions(
        client, world, rep_of_a):
    version = world.a.buyer.session_version
    login(client, rep_of_a)
    _act(client, world)
    response = client.post("/staff/acting/stop")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/staff/customers/{world.a.company.id}")
    assert _signed_in_id(client) == rep_of_a.id
    with client.session_transaction() as s:
        assert "acting_for" not in s
    page = client.get(f"/staff/customers/{world.a.company.id}", headers=EN)
    assert page.status_code == 200 and "You are ordering for" not in page.text
    db.session.expire_all()
    assert db.session.get(User, world.a.buyer.id).session_version == version
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "acting.stopped"))


def test_signing_out_while_acting_ends_the_staff_sessions_not_the_customers(
        client, world, rep_of_a):
    buyer_version, rep_version = world.a.buyer.session_version, rep_of_a.session_version
    login(client, rep_of_a)
    _act(client, world)
    response = client.post("/logout")
    assert response.status_code == 303 and "/login" in response.headers["Location"]
    assert _signed_in_id(client) is None
    db.session.expire_all()
    assert db.session.get(User, world.a.buyer.id).session_version == buyer_version
    assert db.session.get(User, rep_of_a.id).session_version == rep_version + 1


@pytest.mark.parametrize("who", ["approver", "admin", "viewer"])
def test_only_buyers_can_be_acted_as(client, world, rep_of_a, who):
    login(client, rep_of_a)
    response = _act(client, world, user=getattr(world.a, who))
    assert response.status_code == 404
    assert _signed_in_id(client) == rep_of_a.id


def test_a_disabled_buyer_or_a_buyer_of_another_company_is_a_404(client, world, rep_of_a):
    world.a.buyer.disabled = True
    db.session.commit()
    login(client, rep_of_a)
    assert _act(client, world).status_code == 404
    # B's buyer through A's page, and B's page itself (not assigned).
    assert _act(client, world, user=world.b.buyer).status_code == 404
    assert _act(client, world, user=world.b.buyer, company=world.b.company).status_code == 404
    assert _act(client, world, user=world.b.buyer, company=world.b.company).status_code == 404
    assert client.post(f"/staff/customers/{world.b.company.id}/act-as/{world.b.buyer.id}",
                       headers=htmx_headers()).status_code == 404
    assert _signed_in_id(client) == rep_of_a.id


def test_nobody_orders_for_a_suspended_customer(client, world, rep_of_a):
    world.a.company.status = CompanyStatus.SUSPENDED
    db.session.commit()
    login(client, rep_of_a)
    response = _act(client, world)
    assert response.status_code == 303
    assert _signed_in_id(client) == rep_of_a.id
    page = client.get(response.headers["Location"], headers=EN)
    assert "not active" in page.text


def test_a_staff_admin_may_act_for_any_customer_fulfilment_and_customers_may_not(app, world):
    client = app.test_client()
    login(client, world.staff)
    assert _act(client, world, user=world.b.buyer, company=world.b.company).status_code == 303
    assert _signed_in_id(client) == world.b.buyer.id
    for user in (world.fulfilment, world.a.admin, world.a.buyer):
        client = app.test_client()
        login(client, user)
        assert _act(client, world).status_code == 403


def test_unassigning_the_rep_ends_the_acting_session_at_the_next_request(client, world,
                                                                          rep_of_a):
    login(client, rep_of_a)
    _act(client, world)
    from portal.models import RepAssignment

    db.session.execute(RepAssignment.__table__.delete())
    db.session.commit()
    response = client.get("/account/")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    assert _signed_in_id(client) is None


def test_the_staff_idle_limit_applies_while_acting(client, world, rep_of_a):
    login(client, rep_of_a)
    _act(client, world)
    with client.session_transaction() as s:
        s["acting_seen"] = s["acting_seen"] - 31 * 60
    response = client.get("/account/")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_stop_without_acting_just_goes_home(client, world):
    login(client, world.a.buyer)
    response = client.post("/staff/acting/stop")
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    assert _signed_in_id(client) == world.a.buyer.id
