"""The approval email's one-decision link: opens that approval for that approver only, once,
until it expires, while the order and the approver's sessions stay as they were."""

import re
from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import ApprovalStatus, AuditEntry, OrderStatus, OutboxMessage, Role
from portal.services.approvals.routing import send_reminders
from tests import factories as f
from tests.conftest import login
from tests.factories.ordering import T0

CLOCK = "portal.blueprints.approvals.link._now"
LINK = re.compile(r"https://portal\.test(/approvals/(\d+)/link/[A-Za-z0-9_.\-]+)")


@pytest.fixture
def at(monkeypatch):
    """Set the clock the link pages read (links are issued as of the order's placed_at)."""
    def set_clock(moment):
        monkeypatch.setattr(CLOCK, lambda: moment)
    set_clock(T0 + timedelta(hours=1))
    return set_clock


def _rules(world):
    f.rule(world.a.company, Role.APPROVER, (Role.COMPANY_ADMIN, 500_000),
           when_over_order_limit=True)


@pytest.fixture
def pending(world, at):
    """A 1,500 € order of A's buyer, placed at T0, waiting for the branch approver."""
    _rules(world)
    order = f.order(world.a.buyer, [(world.products["cement"], 10, 15_000)],
                    jobsite=world.a.sites[0], placed_at=T0, route=True)
    return order, f.requests_of(order)[0]


def _link(to: str, nth: int = -1) -> str:
    mails = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == to)
                               .order_by(OutboxMessage.id)).all()
    return LINK.search(mails[nth].body_text).group(1)


def _reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _state(order):
    order = _reload(order)
    return (order.status, order.content_version, order.total_cents,
            [(r.status, r.decided_by_id) for r in f.requests_of(order)],
            [(line.sku, line.quantity) for line in order.lines])


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_link_in_the_email_opens_the_approval_without_signing_in(client, world, pending):
    order, req = pending
    link = _link(world.a.approver.email)
    assert f"/approvals/{req.id}/link/" in link
    page = client.get(link, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = _text(page)
    assert f"Order {order.number}" in text and "Site 1" in text and "CIM-35" in text
    assert f'action="{link}/approve"' in text and f'formaction="{link}/reject"' in text
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    # The email still offers the inbox, behind a sign-in.
    mail = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.to_address == world.a.approver.email)).one()
    assert f"https://portal.test/approvals/{req.id}\n" in mail.body_text
    assert "72" in mail.body_text


def test_approve_works_once_and_the_second_use_says_it_is_used(client, world, pending):
    order, req = pending
    link = _link(world.a.approver.email)
    posted = client.post(link + "/approve", data={"comment": "OK chantier"},
                         headers={"Accept-Language": "en"})
    assert posted.status_code == 303 and posted.headers["Location"] == link
    response = client.get(link, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Decision recorded" in _text(response) and "Order approved." in _text(response)
    assert _reload(order).status == OrderStatus.SUBMITTED
    req = _reload(req)
    assert req.status == ApprovalStatus.APPROVED and req.decided_by_id == world.a.approver.id
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert "approval.approve" in actions and "approval.by_link" in actions
    before = _state(order)
    for again in (client.get(link), client.post(link + "/approve"),
                  client.post(link + "/reject", data={"comment": "Non"})):
        assert again.status_code == 410
        text = _text(again)
        assert "déjà été utilisé" in text and "/login?next=" in text
    assert _state(order) == before


def test_reject_needs_a_reason_then_tells_the_buyer(client, world, pending):
    order, req = pending
    link = _link(world.a.approver.email)
    empty = client.post(link + "/reject", data={"comment": " "})
    assert empty.status_code == 422
    assert "Dites pourquoi" in _text(empty) or "acheteur" in _text(empty)
    assert _reload(req).status == ApprovalStatus.PENDING
    assert client.post(link + "/reject", data={"comment": "Trop cher"}).status_code == 303
    assert _reload(order).status == OrderStatus.REJECTED
    assert _reload(req).comment == "Trop cher"


def test_a_lowered_quantity_trims_and_approves_as_on_the_normal_page(client, world, at):
    _rules(world)
    screws, cement = world.products["screws"], world.products["cement"]
    order = f.order(world.a.buyer, [(cement, 10, 15_000), (screws, 10, 80)], placed_at=T0,
                    route=True)
    cement_line, _screw_line = order.lines
    link = _link(world.a.approver.email)
    raised = client.post(link + "/approve", data={f"qty-{cement_line.id}": "11"})
    assert raised.status_code == 422 and _reload(order).content_version == 1
    response = client.post(link + "/approve", data={f"qty-{cement_line.id}": "6",
                                                     "version": "1"}, follow_redirects=True)
    assert response.status_code == 200 and "CIM-35" in _text(response)
    order = _reload(order)
    assert order.status == OrderStatus.SUBMITTED and order.content_version == 2
    assert [(line.sku, line.quantity) for line in order.lines] == [
        (cement.sku, 6), (screws.sku, 10)]


def test_an_expired_link_is_refused_and_changes_nothing(client, world, pending, at):
    order, _req = pending
    link = _link(world.a.approver.email)
    at(T0 + timedelta(hours=71))
    assert client.get(link).status_code == 200
    at(T0 + timedelta(hours=72, seconds=1))
    before = _state(order)
    for response in (client.get(link), client.post(link + "/approve")):
        assert response.status_code == 410
        assert "a expiré" in _text(response) and "/login?next=" in _text(response)
    assert _state(order) == before


def test_the_expiry_follows_the_setting(app, client, world, at):
    app.config["APPROVAL_LINK_HOURS"] = 2
    _rules(world)
    f.order(world.a.buyer, [(world.products["cement"], 10, 15_000)], placed_at=T0, route=True)
    link = _link(world.a.approver.email)
    at(T0 + timedelta(hours=1))
    assert client.get(link).status_code == 200
    at(T0 + timedelta(hours=3))
    assert client.get(link).status_code == 410


def test_a_tampered_link_or_another_orders_id_is_not_valid(client, world, pending, at):
    order, req = pending
    other = f.order(world.a.buyer, [(world.products["cement"], 10, 16_000)], placed_at=T0,
                    route=True)
    other_req = f.requests_of(other)[0]
    link = _link(world.a.approver.email, nth=0)
    prefix, token = link.rsplit("/", 1)
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    before, before_other = _state(order), _state(other)
    tries = [f"{prefix}/{flipped}", f"{prefix}/{token[:40]}", f"{prefix}/x",
             f"/approvals/{other_req.id}/link/{token}", f"/approvals/99999999999/link/{token}",
             f"{prefix}/{token}{'A' * 500}", f"{prefix}/%C3%A9{token}"]
    for url in tries:
        for response in (client.get(url), client.post(url + "/approve"),
                         client.post(url + "/reject", data={"comment": "x"})):
            assert response.status_code == 404, url
            text = _text(response)
            # An id past the database's integers is the router's plain 404.
            assert "pas valide" in text or "99999999999" in url, url
            assert order.number not in text and other.number not in text
    assert (_state(order), _state(other)) == (before, before_other)


def test_a_change_of_the_order_after_the_email_kills_the_link(client, world, pending):
    order, _req = pending
    link = _link(world.a.approver.email)
    line = order.lines[0]
    line.quantity, line.line_total_cents = 12, 12 * line.unit_price_cents
    db.session.commit()
    before = _state(order)
    for response in (client.get(link), client.post(link + "/approve")):
        assert response.status_code == 410
        assert "La commande a changé" in _text(response)
    assert _state(order) == before


def test_a_trim_at_another_step_kills_the_first_link_and_the_next_email_brings_a_new_one(
        client, world, at):
    _rules(world)
    order = f.order(world.a.buyer, [(world.products["cement"], 10, 60_000)], placed_at=T0,
                    route=True)
    first, second = f.requests_of(order)
    step_one = _link(world.a.approver.email)
    assert client.post(step_one + "/approve").status_code == 303
    # The first step's link never reaches the second step.
    token = step_one.rsplit("/", 1)[1]
    assert client.get(f"/approvals/{second.id}/link/{token}").status_code == 404
    step_two = _link(world.a.admin.email)
    assert f"/approvals/{second.id}/link/" in step_two
    admin = client.application.test_client()
    login(admin, world.a.admin)
    line = order.lines[0]
    assert admin.post(f"/approvals/{second.id}/trim",
                      data={f"qty-{line.id}": "9"}).status_code == 303
    assert _reload(first).status == ApprovalStatus.SUPERSEDED
    for used in (step_one, step_two):
        assert client.get(used).status_code == 410
    assert "La commande a changé" in _text(client.get(step_one))
    asked_again = _link(world.a.approver.email)
    assert asked_again != step_one
    assert client.post(asked_again + "/approve").status_code == 303
    assert _reload(order).status == OrderStatus.SUBMITTED


def test_disabling_the_approver_revokes_the_link(client, world, pending):
    order, _req = pending
    link = _link(world.a.approver.email)
    world.a.approver.disabled = True
    db.session.commit()
    before = _state(order)
    for response in (client.get(link), client.post(link + "/approve")):
        assert response.status_code == 410 and "ne fonctionne plus" in _text(response)
    assert _state(order) == before


def test_signing_out_everywhere_revokes_the_link(app, client, world, pending):
    order, _req = pending
    link = _link(world.a.approver.email)
    elsewhere = app.test_client()
    login(elsewhere, world.a.approver)
    elsewhere.post("/logout")
    before = _state(order)
    for response in (client.get(link), client.post(link + "/approve")):
        assert response.status_code == 410 and "ne fonctionne plus" in _text(response)
    assert _state(order) == before


def test_the_link_opens_no_other_page(client, world, pending):
    order, req = pending
    link = _link(world.a.approver.email)
    assert client.get(link).status_code == 200
    others = ["/approvals/", f"/approvals/{req.id}", f"/orders/{order.id}", "/cart/",
              "/account/"]
    for url in others:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    assert client.post(f"/approvals/{req.id}/approve").status_code == 302
    assert client.post(link + "/approve", follow_redirects=True).status_code == 200
    for url in others:
        assert client.get(url).status_code == 302, url
    assert client.get_cookie("session") is None or "_user_id" not in _session(client)


def _session(client) -> dict:
    app = client.application
    with app.test_request_context():
        serializer = app.session_interface.get_signing_serializer(app)
        return serializer.loads(client.get_cookie("session").value)


def test_a_reminder_brings_a_fresh_link_that_works(app, client, world, pending, at):
    order, _req = pending
    send_reminders(T0 + timedelta(hours=25))
    db.session.commit()
    reminder = _link(world.a.approver.email)
    assert reminder != _link(world.a.approver.email, nth=0)
    at(T0 + timedelta(hours=90))  # the first link has expired, the reminder's has not
    assert client.get(_link(world.a.approver.email, nth=0)).status_code == 410
    assert client.post(reminder + "/approve").status_code == 303
    assert _reload(order).status == OrderStatus.SUBMITTED


def test_refused_links_meet_the_sign_in_rate_limit(app, client, world, pending):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    link = _link(world.a.approver.email)
    bad = link[:-2] + "zz"
    assert [client.get(bad).status_code for _ in range(4)] == [404, 404, 404, 429]
    assert client.get(link).status_code == 429  # the address is paused, whatever it tries


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_the_decision_form_needs_its_csrf_token(client, world, pending):
    order, _req = pending
    link = _link(world.a.approver.email)
    page = client.get(link).get_data(as_text=True)
    assert client.post(link + "/approve").status_code == 400
    assert _reload(order).status == OrderStatus.PENDING_APPROVAL
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(link + "/approve", data={"csrf_token": token}).status_code == 303
    assert _reload(order).status == OrderStatus.SUBMITTED


def test_an_approver_who_may_no_longer_decide_loses_the_link(client, world, pending):
    order, _req = pending
    link = _link(world.a.approver.email)
    world.a.approver.role = Role.BUYER
    db.session.commit()
    before = _state(order)
    for response in (client.get(link), client.post(link + "/approve")):
        assert response.status_code == 410 and "ne fonctionne plus" in _text(response)
    assert _state(order) == before
