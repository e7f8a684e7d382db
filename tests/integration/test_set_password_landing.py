"""After choosing a password from an invitation or a reset link, the person is signed in
on a fresh session and lands on their home page, not on the sign-in form."""

import pytest

from portal.extensions import db
from portal.models import TokenPurpose
from portal.services.accounts.signin import issue_token
from tests.conftest import login

NEW = {"password": "brand new secret 77", "confirm": "brand new secret 77"}


@pytest.fixture
def client(app):
    english = app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return english


@pytest.mark.parametrize("purpose", [TokenPurpose.INVITE, TokenPurpose.RESET])
def test_setting_a_password_signs_in_and_lands_on_home(client, world, purpose):
    token = issue_token(world.a.buyer, purpose)
    db.session.commit()
    with client.session_transaction() as before:
        before["planted"] = "left over from before"  # must not survive into the new session
    answer = client.post(f"/password/set/{token}", data=NEW)
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/"
    home = client.get("/")
    text = home.get_data(as_text=True)
    assert home.status_code == 200
    assert "Your password is set" in text
    assert 'class="bottom-nav"' in text  # signed in: the bar of a signed-in buyer
    assert client.get("/account/").status_code == 200
    with client.session_transaction() as after:
        assert "planted" not in after


def test_other_sessions_of_that_person_end_when_a_reset_sets_the_password(app, client, world):
    elsewhere = app.test_client()
    login(elsewhere, world.a.buyer)
    token = issue_token(world.a.buyer, TokenPurpose.RESET)
    db.session.commit()
    client.post(f"/password/set/{token}", data=NEW)
    assert client.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 302  # the old device signs in again


def test_a_refused_password_keeps_the_person_signed_out(client, world):
    token = issue_token(world.a.buyer, TokenPurpose.INVITE)
    db.session.commit()
    answer = client.post(f"/password/set/{token}", data={"password": "short", "confirm": "short"})
    assert answer.status_code == 422
    assert client.get("/account/").status_code == 302
