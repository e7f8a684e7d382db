"""The weekly e-mail of what is due to reorder: asked for on the account page, sent on Monday
from 6 a.m. (Paris) once a week to a buyer with something due, through a real SMTP server on
loopback with a one-click unsubscribe (RFC 8058) that needs no password."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, User
from portal.services import ordering
from portal.services.messaging import send_pending
from tests.conftest import login
from tests.factories import order
from tests.integration.smtp_servers import SmtpServer

MONDAY_7AM = datetime(2026, 12, 14, 6, 0, tzinfo=UTC)  # 07:00 in Paris


@pytest.fixture
def habit(world):
    """Screws every 14 days, last ordered 12 days before MONDAY_7AM: due."""
    for days_ago in (40, 26, 12):
        order(world.a.buyer, [(world.products["screws"], 30)],
              placed_at=MONDAY_7AM - timedelta(days=days_ago))
    db.session.commit()
    return world.a.buyer


def _mails() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "due_digest").order_by(OutboxMessage.id)))


def test_the_buyer_asks_for_it_on_the_account_page_and_gets_it_on_monday(
        app, client, world, habit):
    login(client, habit)
    assert "Chaque lundi" in client.get("/account/").get_data(as_text=True)
    answer = client.post("/orders/due/digest", data={"due_digest": "1"})
    assert answer.status_code == 303
    assert db.session.get(User, habit.id).due_digest is True
    page = client.get("/account/").get_data(as_text=True)
    assert re.search(r'name="due_digest" value="1" checked', page)

    assert ordering.send_due_digests(MONDAY_7AM) == 1
    (mail,) = _mails()
    assert mail.to_address == habit.email
    assert mail.subject == "1 produit à recommander"
    assert world.products["screws"].name_fr in mail.body_text
    assert "environ toutes les 2 semaines" in mail.body_text and "30 à ajouter" in mail.body_text
    assert mail.unsubscribe_url in mail.body_text
    assert "/orders/due/digest/stop/" in mail.unsubscribe_url

    server = SmtpServer()
    try:
        app.config["MAIL_PORT"] = server.port
        assert send_pending(now=MONDAY_7AM) == 1
        (sent,) = server.recorder.messages
        assert sent["List-Unsubscribe"] == f"<{mail.unsubscribe_url}>"
        assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    finally:
        server.stop()


def test_once_a_week_from_six_on_monday_and_only_to_those_who_asked(world, habit):
    other = world.a.admin
    order(other, [(world.products["cement"], 5)], placed_at=MONDAY_7AM - timedelta(days=3))
    other.due_digest = True  # asked, but nothing of theirs is due
    habit.due_digest = True
    db.session.commit()
    assert ordering.send_due_digests(MONDAY_7AM - timedelta(hours=2)) == 0  # 05:00 in Paris
    assert ordering.send_due_digests(MONDAY_7AM) == 1
    assert ordering.send_due_digests(MONDAY_7AM + timedelta(hours=5)) == 0  # same week
    assert ordering.send_due_digests(MONDAY_7AM + timedelta(days=3)) == 0
    assert ordering.send_due_digests(MONDAY_7AM + timedelta(days=7)) == 1  # next week
    assert [m.to_address for m in _mails()] == [habit.email, habit.email]
    habit.due_digest = False
    db.session.commit()
    assert ordering.send_due_digests(MONDAY_7AM + timedelta(days=14)) == 0


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_the_link_stops_it_without_a_password_and_only_on_a_post(app, world, habit):
    habit.due_digest = True
    db.session.commit()
    ordering.send_due_digests(MONDAY_7AM)
    link = _mails()[0].unsubscribe_url
    path = link[link.index("/orders/"):]
    stranger = app.test_client()  # not signed in
    asked = stranger.get(path)
    assert asked.status_code == 200
    assert "Arrêter cet e-mail" in asked.get_data(as_text=True)
    assert db.session.get(User, habit.id).due_digest is True  # a mail scanner's GET stops nothing
    # The mail client's one-click unsubscribe: a POST with no CSRF token.
    done = stranger.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "ne recevra plus cet e-mail" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, habit.id).due_digest is False


def test_a_tampered_link_is_a_404_and_stops_nothing(client, world, habit):
    habit.due_digest = True
    db.session.commit()
    token = ordering.send_due_digests(MONDAY_7AM) and _mails()[0].unsubscribe_url.rsplit("/", 1)[1]
    assert client.post(f"/orders/due/digest/stop/{token[:-2]}xx").status_code == 404
    assert client.get("/orders/due/digest/stop/not-a-token").status_code == 404
    assert db.session.get(User, habit.id).due_digest is True
