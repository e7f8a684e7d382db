"""Company administration of users: list, invite, edit limits and roles, disable, enable."""

import pytest

from portal.extensions import db
from portal.models import AuditEntry, OutboxMessage, Role, User
from tests import factories as f
from tests.conftest import htmx_headers, login


def _reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _invite(client, world, **overrides):
    data = {"name": "Nina Roux", "email": "Nina.Roux@Example.test", "role": "buyer",
            "unit": str(world.a.branch.id), "order_limit": "1 000,50",
            "monthly_budget": "5000"}
    data.update(overrides)
    return client.post("/company/users/invite", data=data)


def test_the_admin_sees_every_user_of_the_company_and_only_those(client, world):
    login(client, world.a.admin)
    page = client.get("/company/").get_data(as_text=True)
    for user in (world.a.admin, world.a.approver, world.a.buyer, world.a.viewer):
        assert user.email in page
    assert world.b.buyer.email not in page
    assert "Agence" in page


@pytest.mark.parametrize("who", ["approver", "buyer", "viewer"])
def test_other_roles_cannot_reach_the_company_pages(client, world, who):
    login(client, getattr(world.a, who))
    for path in ("/company/", "/company/users/invite", "/company/units", "/company/rules"):
        assert client.get(path).status_code == 403


def test_inviting_creates_the_user_and_queues_a_set_password_link(client, world):
    login(client, world.a.admin)
    response = _invite(client, world)
    assert response.status_code == 303
    user = db.session.scalars(db.select(User).where(User.email == "nina.roux@example.test")).one()
    assert (user.company_id, user.role, user.unit_id, user.password_hash) == (
        world.a.company.id, Role.BUYER, world.a.branch.id, "")
    assert (user.order_limit_cents, user.monthly_budget_cents) == (100_050, 500_000)
    mail = db.session.scalars(db.select(OutboxMessage)).one()
    assert mail.to_address == "nina.roux@example.test"
    assert "https://portal.test/password/set/" in mail.body_text
    assert db.session.scalars(db.select(AuditEntry.action)).all() == ["user.invite"]


@pytest.mark.parametrize("field, value", [
    ("order_limit", "NaN"), ("order_limit", "sNaN"), ("order_limit", "Infinity"),
    ("order_limit", "1e3"), ("order_limit", "-5"), ("order_limit", "10,505"),
    ("monthly_budget", "10000000,01"), ("monthly_budget", "１０００"),
])
def test_bad_amounts_are_refused_next_to_the_field(client, world, field, value):
    login(client, world.a.admin)
    response = _invite(client, world, **{field: value})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id)).where(
        User.email == "nina.roux@example.test")) == 0
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


@pytest.mark.parametrize("overrides", [
    {"email": "admin-b@test.example"},           # already has an account
    {"email": "not-an-email"},
    {"role": "staff_admin"},                    # not a customer role
    {"unit": "999999"},                         # not a unit of the company
])
def test_an_invitation_with_a_bad_field_creates_nothing(client, world, overrides):
    login(client, world.a.admin)
    assert _invite(client, world, **overrides).status_code == 422
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_a_unit_of_another_company_cannot_be_given_to_a_user(client, world):
    login(client, world.a.admin)
    assert _invite(client, world, unit=str(world.b.branch.id)).status_code == 422
    response = client.post(f"/company/users/{world.a.buyer.id}", data={
        "name": "x", "role": "buyer", "unit": str(world.b.branch.id)})
    assert response.status_code == 422
    assert _reload(world.a.buyer).unit_id == world.a.branch.id


def test_the_admin_changes_role_unit_limit_and_budget(client, world):
    login(client, world.a.admin)
    form = client.get(f"/company/users/{world.a.buyer.id}").get_data(as_text=True)
    assert 'value="1000"' in form
    response = client.post(f"/company/users/{world.a.buyer.id}", data={
        "name": "Paul Buyer", "role": "approver", "unit": str(world.a.sites[0].id),
        "order_limit": "2500.5", "monthly_budget": ""})
    assert response.status_code == 303
    buyer = _reload(world.a.buyer)
    assert (buyer.name, buyer.role, buyer.unit_id, buyer.order_limit_cents,
            buyer.monthly_budget_cents) == ("Paul Buyer", Role.APPROVER, world.a.sites[0].id,
                                            250_050, None)
    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert entry.action == "user.update" and entry.actor_id == world.a.admin.id
    assert entry.detail["before"]["order_limit_cents"] == 100_000


def test_the_last_admin_cannot_be_demoted_or_disable_themselves(client, world):
    login(client, world.a.admin)
    demote = client.post(f"/company/users/{world.a.admin.id}", data={
        "name": "Admin", "role": "buyer", "unit": ""})
    assert demote.status_code == 422
    assert client.post(f"/company/users/{world.a.admin.id}/disable").status_code == 422
    admin = _reload(world.a.admin)
    assert admin.role == Role.COMPANY_ADMIN and not admin.disabled
    f.user(world.a.company, Role.COMPANY_ADMIN, email="admin2-a@test.example")
    db.session.commit()
    assert client.post(f"/company/users/{world.a.admin.id}", data={
        "name": "Admin", "role": "buyer", "unit": ""}).status_code == 303


def test_disabling_a_user_ends_their_open_sessions_at_once(app, client, world):
    victim = app.test_client()
    login(victim, world.a.buyer)
    assert victim.get("/account/").status_code == 200
    login(client, world.a.admin)
    confirm = client.get(f"/company/users/{world.a.buyer.id}/disable",
                         headers={"Accept-Language": "en"})
    assert confirm.status_code == 200 and ">Disable<" in confirm.get_data(as_text=True)
    assert client.post(f"/company/users/{world.a.buyer.id}/disable").status_code == 303
    assert _reload(world.a.buyer).disabled
    response = victim.get("/account/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(f"/company/users/{world.a.buyer.id}/enable").status_code == 303
    assert not _reload(world.a.buyer).disabled
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["user.disable", "user.enable"]


@pytest.mark.parametrize("method, path", [
    ("get", "/company/users/{id}"), ("post", "/company/users/{id}"),
    ("get", "/company/users/{id}/disable"), ("post", "/company/users/{id}/disable"),
    ("post", "/company/users/{id}/enable"),
])
def test_users_of_another_company_are_404_as_page_and_fragment(client, world, method, path):
    login(client, world.a.admin)
    target = world.b.buyer
    for headers in ({}, htmx_headers()):
        response = getattr(client, method)(path.format(id=target.id), headers=headers,
                                           data={"name": "x", "role": "viewer"})
        assert response.status_code == 404
    target = _reload(target)
    assert not target.disabled and target.role == Role.BUYER
