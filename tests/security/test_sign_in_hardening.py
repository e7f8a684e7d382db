"""Findings of issue 12 on accounts: reset links voided by any password change, the same
hashing work for every failed sign-in, no lockout of the owner by a stranger, a throttled
current-password check. Each test prints what it measured."""

import argon2
import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, Role, TokenPurpose
from portal.services.accounts.signin import issue_token
from tests import factories as f
from tests.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)

NEW = {"password": "brand new secret 77", "confirm": "brand new secret 77"}


def _english(app, address="127.0.0.1"):
    client = app.test_client()
    client.environ_base.update(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address)
    return client


def test_using_a_reset_link_voids_every_older_one(figure, app, world):
    older = issue_token(world.a.buyer, TokenPurpose.RESET)
    invite = issue_token(world.a.buyer, TokenPurpose.INVITE)
    newer = issue_token(world.a.buyer, TokenPurpose.RESET)
    db.session.commit()
    assert _english(app).post(f"/password/set/{newer}", data=NEW).status_code == 303
    answers = [_english(app).get(f"/password/set/{token}").status_code
               for token in (older, invite)]
    late = _english(app).post(f"/password/set/{older}",
                              data={"password": "attacker chosen 99", "confirm":
                                    "attacker chosen 99"})
    figure(f"reset links: after the newest was used, {answers.count(410)} of 2 older links "
           f"answer 410")
    assert answers == [410, 410] and late.status_code == 410
    login(_english(app), world.a.buyer, NEW["password"])


def test_changing_the_password_voids_a_link_sent_before(app, world):
    token = issue_token(world.a.buyer, TokenPurpose.RESET)
    db.session.commit()
    client = _english(app)
    login(client, world.a.buyer)
    changed = client.post("/account/", data={"current": PASSWORD, **{
        "password": "changed on the page 5", "confirm": "changed on the page 5"}})
    assert changed.status_code == 303
    assert _english(app).get(f"/password/set/{token}").status_code == 410
    stale = _english(app).post(f"/password/set/{token}", data=NEW)
    assert stale.status_code == 410
    login(_english(app), world.a.buyer, "changed on the page 5")


def test_every_failed_sign_in_verifies_one_hash(figure, app, world, monkeypatch):
    """Timing as work done: a pending applicant or an invited user without a password must
    cost the same argon2 verification as a wrong password or an unknown email."""
    pending = f.user(f.company("Pending SARL"), Role.COMPANY_ADMIN, email="pending@test.example",
                     password=None)
    invited = f.user(world.a.company, Role.BUYER, email="invited@test.example", password=None)
    disabled = f.user(world.a.company, Role.BUYER, email="gone@test.example", disabled=True)
    db.session.commit()
    assert pending.password_hash == invited.password_hash == ""
    client = _english(app)
    client.post("/login", data={"email": "warm@test.example", "password": "warm up"})
    calls = []
    real_verify = argon2.PasswordHasher.verify

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting)
    work = {}
    for case, email in (("unknown email", "ghost@test.example"),
                        ("wrong password", world.a.buyer.email),
                        ("pending applicant", pending.email),
                        ("invited, not activated", invited.email),
                        ("disabled", disabled.email)):
        calls.clear()
        answer = client.post("/login", data={"email": email, "password": "not the password"})
        assert answer.status_code == 422, case
        work[case] = len(calls)
    figure("failed sign-ins, argon2 verifications each: "
           + ", ".join(f"{case} {n}" for case, n in work.items()))
    assert set(work.values()) == {1}, work


@pytest.mark.config(LOGIN_RATE_LIMIT="1000 per hour")
def test_a_hundred_failures_from_elsewhere_do_not_lock_the_owner_out(figure, app, world):
    """The account-wide cap (100 an hour) counts browsers that never signed in to the
    account: the owner's own phone still gets in; a new browser is offered a reset link."""
    email = world.a.buyer.email
    owner_phone = _english(app, "192.0.2.7")
    login(owner_phone, world.a.buyer)
    owner_phone.post("/logout")
    refused = 0
    for n in range(120):
        answer = _english(app, f"10.0.{n // 200}.{n % 200 + 1}").post(
            "/login", data={"email": email, "password": f"guess {n}"})
        refused += answer.status_code == 429
    owner = owner_phone.post("/login", data={"email": email, "password": PASSWORD})
    stranger_right = _english(app, "198.51.100.9").post(
        "/login", data={"email": email, "password": PASSWORD})
    figure(f"targeted lockout: 120 failed sign-ins from 120 addresses ({refused} refused by "
           f"the account cap), then the owner's right password on his own phone answered "
           f"{owner.status_code}, on a browser the account never used {stranger_right.status_code}")
    assert refused == 20
    assert owner.status_code == 303
    assert stranger_right.status_code == 429
    assert 'href="/password/forgot"' in stranger_right.get_data(as_text=True)


def test_a_known_device_cookie_of_another_account_does_not_lift_the_cap(app, world):
    app.config["ACCOUNT_LOGIN_RATE_LIMIT"] = "3 per hour"
    email = world.a.buyer.email
    browser = _english(app, "192.0.2.8")
    login(browser, world.a.admin)  # known to the admin's account, not the buyer's
    browser.post("/logout")
    answers = [_english(app, f"10.1.0.{n + 1}").post(
        "/login", data={"email": email, "password": f"guess {n}"}).status_code for n in range(3)]
    assert answers == [422] * 3
    assert browser.post("/login", data={"email": email, "password": PASSWORD}).status_code == 429
    browser.set_cookie("portal_device", "forged.value", domain="localhost")
    assert browser.post("/login", data={"email": email, "password": PASSWORD}).status_code == 429


def test_one_address_hammering_an_account_is_paused_and_offered_a_reset_link(app, world):
    email = world.a.buyer.email
    attacker = _english(app, "203.0.113.5")
    answers = [attacker.post("/login", data={"email": email, "password": f"guess {n}"})
               .status_code for n in range(6)]
    assert answers == [422] * 5 + [429]
    paused = attacker.post("/login", data={"email": email, "password": PASSWORD})
    page = paused.get_data(as_text=True)
    assert paused.status_code == 429 and int(paused.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins" in page and 'href="/password/forgot"' in page
    # The way in that the pause does not block: a reset link by email, from that address.
    asked = attacker.post("/password/forgot", data={"email": email})
    assert asked.status_code == 200
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "reset"))
    assert mail.to_address == email
    # The same account from another address, and another account from this one, still work.
    assert _english(app, "198.51.100.2").post(
        "/login", data={"email": email, "password": PASSWORD}).status_code == 303
    assert attacker.post("/login", data={"email": world.a.admin.email,
                                         "password": PASSWORD}).status_code == 303


def test_wrong_current_passwords_on_the_account_page_are_throttled(figure, app, world):
    client = _english(app)
    login(client, world.a.buyer)
    answers = [client.post("/account/", data={"current": f"wrong {n}", **NEW}).status_code
               for n in range(15)]
    paused = client.post("/account/", data={"current": PASSWORD, **NEW})
    figure(f"current-password check: 15 wrong in a row answered {answers.count(422)} x 422, "
           f"{answers.count(429)} x 429")
    assert answers == [422] * 5 + [429] * 10
    assert paused.status_code == 429
    assert "Too many wrong current passwords" in paused.get_data(as_text=True)
    # On another account, and with a fresh count, nothing is held against the buyer.
    other = _english(app)
    login(other, world.a.admin)
    assert other.post("/account/", data={"current": "wrong", **NEW}).status_code == 422


def test_a_refused_new_password_does_not_count_as_a_wrong_current_one(app, world):
    client = _english(app)
    login(client, world.a.buyer)
    for _ in range(8):
        answer = client.post("/account/", data={"current": PASSWORD, "password": "short",
                                                 "confirm": "short"})
        assert answer.status_code == 422
    assert client.post("/account/", data={"current": PASSWORD, **NEW}).status_code == 303
