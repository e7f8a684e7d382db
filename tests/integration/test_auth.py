"""Sign-in, sessions that end everywhere, password reset links, rate limits."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import OutboxMessage, TokenPurpose, UserToken
from portal.services.accounts.signin import issue_token
from tests.conftest import htmx_headers, login


@pytest.fixture
def client(app):
    """These tests read English messages: the browser asks for English."""
    english = app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return english


def test_wrong_password_and_unknown_email_get_the_same_answer(client, world):
    wrong = client.post("/login", data={"email": world.a.buyer.email, "password": "nope nope"})
    unknown = client.post("/login", data={"email": "ghost@test.example", "password": "nope nope"})
    assert wrong.status_code == unknown.status_code == 422
    assert "Wrong email or password." in wrong.get_data(as_text=True)
    assert wrong.get_data(as_text=True).count("Wrong email") == unknown.get_data(
        as_text=True).count("Wrong email")


def test_signed_in_buyer_lands_on_home_with_company_in_header(client, world):
    response = login(client, world.a.buyer)
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Company A" in page


def test_sign_in_does_not_redirect_to_another_site(client, world):
    response = client.post("/login", data={"email": world.a.buyer.email,
                                           "password": "correct horse battery",
                                           "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"


def test_sign_out_ends_every_session_of_the_user(app, world):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, world.a.buyer)
    login(laptop, world.a.buyer)
    assert laptop.get("/account/").status_code == 200
    phone.post("/logout")
    assert laptop.get("/account/").status_code == 302


def test_disabling_a_user_ends_their_open_session(app, client, world):
    login(client, world.a.buyer)
    world.a.buyer.disabled = True
    db.session.commit()
    response = client.get("/account/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_password_change_signs_out_other_devices_but_not_this_one(app, world):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, world.a.buyer)
    login(laptop, world.a.buyer)
    response = phone.post("/account/", data={"current": "correct horse battery",
                                              "password": "new long password 42",
                                              "confirm": "new long password 42"})
    assert response.status_code == 303
    assert phone.get("/account/").status_code == 200
    assert laptop.get("/account/").status_code == 302


def test_a_too_short_or_common_password_is_refused_with_a_message(client, world):
    login(client, world.a.buyer)
    for bad, message in (("short", "at least 12"), ("motdepasse123", "too common")):
        response = client.post("/account/", data={"current": "correct horse battery",
                                                  "password": bad, "confirm": bad})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)


def test_expired_login_during_an_htmx_swap_redirects_the_browser(client, world):
    response = client.get("/account/", headers=htmx_headers())
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=")


@pytest.mark.config(LOGIN_RATE_LIMIT="3 per minute")
def test_too_many_failed_sign_ins_get_a_429_that_says_when_to_retry(client, world):
    for _ in range(3):
        client.post("/login", data={"email": world.a.buyer.email, "password": "wrong wrong"})
    response = client.post("/login", data={"email": world.a.buyer.email, "password": "x"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "try again in" in response.get_data(as_text=True)


def test_reset_email_is_queued_with_a_link_on_the_configured_host(client, world):
    response = client.post("/password/forgot", data={"email": world.a.buyer.email},
                           headers={"Host": "attacker.example"})
    assert response.status_code == 200
    message = db.session.scalar(select(OutboxMessage))
    assert message.to_address == world.a.buyer.email
    assert "https://portal.test/password/set/" in message.body_text
    assert "attacker.example" not in message.body_text


def test_reset_for_an_unknown_email_answers_the_same_and_sends_nothing(client, world):
    response = client.post("/password/forgot", data={"email": "ghost@test.example"})
    assert response.status_code == 200
    assert "If an account exists" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_reset_link_works_once(client, world):
    token = issue_token(world.a.buyer, TokenPurpose.RESET)
    db.session.commit()
    data = {"password": "brand new secret 77", "confirm": "brand new secret 77"}
    assert client.post(f"/password/set/{token}", data=data).status_code == 303
    again = client.post(f"/password/set/{token}", data=data)
    assert again.status_code == 410
    assert "Ask for a new link" in again.get_data(as_text=True)
    client.post("/logout")
    login(client, world.a.buyer, "brand new secret 77")


def test_expired_reset_link_gets_a_clear_page(client, world):
    token = issue_token(world.a.buyer, TokenPurpose.RESET,
                        now=datetime.now(UTC) - timedelta(hours=2))
    db.session.commit()
    response = client.get(f"/password/set/{token}")
    assert response.status_code == 410
    assert "This link no longer works" in response.get_data(as_text=True)
    assert db.session.scalar(select(UserToken)).used_at is None


def test_stored_language_wins_over_the_browser(client, world):
    world.a.buyer.language = "fr"
    db.session.commit()
    login(client, world.a.buyer)
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Commande rapide" in page


def test_language_switch_is_stored_on_the_account(client, world):
    login(client, world.a.buyer)
    client.post("/language", data={"lang": "en", "next": "/"})
    db.session.refresh(world.a.buyer)
    assert world.a.buyer.language == "en"
    assert "Quick order" in client.get("/", headers={"Accept-Language": "fr"}).get_data(
        as_text=True)
