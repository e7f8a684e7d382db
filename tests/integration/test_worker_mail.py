"""The worker's email duty against SMTP servers that fail the ways real ones do."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage
from portal.services.messaging import IN_DOUBT, retry_email, send_pending
from tests.integration.smtp_servers import SilentServer, SmtpServer, free_port

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _queue(count: int) -> list[int]:
    rows = [OutboxMessage(kind="reset", to_address=f"u{n}@client.test", subject=f"Message {n}",
                          body_text="Bonjour\n", created_at=T0, next_attempt_at=T0)
            for n in range(count)]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def _rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.mark.config(MAIL_TIMEOUT=0.5, MAIL_USERNAME="portal", MAIL_PASSWORD="right")
def test_timeout_then_refused_login_then_accepted_delivers_each_message_once(app):
    _queue(5)
    silent = SilentServer()
    app.config["MAIL_PORT"] = silent.port
    assert send_pending(now=T0) == 0  # the greeting never comes
    silent.close()
    assert {r.attempts for r in _rows()} == {1}
    assert all("timed out" in r.last_error for r in _rows())

    app.config["MAIL_PORT"] = free_port()  # nobody listens: connection refused
    assert send_pending(now=T0) == 0  # not due yet: backoff
    assert send_pending(now=T0 + timedelta(minutes=1)) == 0
    assert {r.attempts for r in _rows()} == {2}

    server = SmtpServer(password="right")
    try:
        app.config.update(MAIL_PORT=server.port, MAIL_PASSWORD="wrong")
        assert send_pending(now=T0 + timedelta(minutes=3)) == 0
        assert all("SMTPAuthenticationError" in r.last_error for r in _rows())

        app.config["MAIL_PASSWORD"] = "right"
        # The server takes message 2, then stays silent past our timeout: it may have it.
        server.recorder.stall_on_subject, server.recorder.stall_seconds = "Message 2", 1.5
        assert send_pending(now=T0 + timedelta(minutes=7)) == 2
        rows = _rows()
        assert [r.sent_at is not None for r in rows] == [True, True, False, False, False]
        assert rows[2].dead_at is not None and rows[2].last_error.startswith(IN_DOUBT)
        # The rest of the batch was not tried: due again at once, on a new connection.
        assert send_pending(now=T0 + timedelta(minutes=7)) == 2
        assert send_pending(now=T0 + timedelta(hours=5)) == 0  # nothing resent, ever

        ids = server.recorder.ids()
        assert sorted(ids) == sorted(r.message_id for r in _rows())  # all 5, each once
        assert len(set(ids)) == 5
        for message in server.recorder.messages:
            assert message["Date"] and message["Message-ID"].endswith("@portal.test>")
    finally:
        server.stop()


@pytest.mark.config(MAIL_TIMEOUT=0.5, WORKER_MAX_ATTEMPTS=2)
def test_after_the_last_attempt_a_message_is_dead_and_staff_may_retry_it(app):
    (message_id,) = _queue(1)
    app.config["MAIL_PORT"] = free_port()
    send_pending(now=T0)
    send_pending(now=T0 + timedelta(minutes=1))
    (row,) = _rows()
    assert row.dead_at is not None and row.attempts == 2
    assert send_pending(now=T0 + timedelta(days=1)) == 0  # dead: never tried again alone

    server = SmtpServer()
    try:
        app.config["MAIL_PORT"] = server.port
        assert retry_email(message_id)
        db.session.commit()
        assert send_pending() == 1
        assert len(server.recorder.messages) == 1
    finally:
        server.stop()


def test_a_message_a_crashed_worker_was_sending_is_never_resent_by_itself(app):
    (message_id,) = _queue(1)
    row = db.session.get(OutboxMessage, message_id)
    row.sending_at = T0  # a worker died between "sending" and "sent"
    db.session.commit()
    server = SmtpServer()
    try:
        app.config["MAIL_PORT"] = server.port
        assert send_pending(now=T0 + timedelta(minutes=30)) == 0
        (row,) = _rows()
        assert row.dead_at is not None and row.last_error.startswith(IN_DOUBT)
        assert server.recorder.messages == []
    finally:
        server.stop()


def test_two_senders_at_once_deliver_each_message_once(app):
    """`portal send-mail` run beside a worker (on SQLite too, which has no row locks)."""
    import threading

    _queue(40)
    server = SmtpServer()
    app.config["MAIL_PORT"] = server.port
    barrier, sent = threading.Barrier(3), []

    def sender():
        with app.app_context():
            barrier.wait()
            sent.append(send_pending(limit=15, now=T0))
            sent.append(send_pending(limit=15, now=T0))
            db.session.remove()

    try:
        threads = [threading.Thread(target=sender) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    ids = server.recorder.ids()
    assert sum(sent) == 40 and len(ids) == 40 and len(set(ids)) == 40
