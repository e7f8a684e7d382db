"""Emails go through the outbox: queued in the caller's transaction, sent by a worker."""

import logging
import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage

log = logging.getLogger("portal.mail")
MAX_ATTEMPTS = 8


def queue_email(kind: str, to: str, language: str, template: str, **context) -> OutboxMessage:
    """Render `emails/<template>.txt` in the recipient's language; its first line is the subject.

    Adds the row to the session; the caller's commit makes it real, together with the change.
    """
    with force_locale(language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"emails/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    message = OutboxMessage(kind=kind, to_address=to, subject=subject.strip(),
                            body_text=body.strip() + "\n")
    db.session.add(message)
    return message


def external_url(path: str) -> str:
    """Links in emails come from the configured base URL, never from the request's Host."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def email_link(endpoint: str, **values) -> str:
    """The absolute link to a page, for a message: the one way every email builds its links.
    Outside a request (a command, the worker) the URL map is read in a simulated one."""
    if has_request_context():
        return external_url(url_for(endpoint, **values))
    with current_app.test_request_context():
        return external_url(url_for(endpoint, **values))


def send_pending(limit: int = 100, now: datetime | None = None) -> int:
    """Send due messages over SMTP; failures are retried later with a growing delay."""
    now = now or datetime.now(UTC)
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now,
               OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not rows:
        return 0
    cfg = current_app.config
    sent = 0
    try:
        smtp = smtplib.SMTP(cfg["MAIL_HOST"], cfg["MAIL_PORT"], timeout=20)
    except OSError as exc:
        for row in rows:
            _failed(row, exc, now)
        db.session.commit()
        log.warning("SMTP server unreachable: %s", exc)
        return 0
    with smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        for row in rows:
            msg = EmailMessage()
            msg["From"] = cfg["MAIL_FROM"]
            msg["To"] = row.to_address
            msg["Subject"] = row.subject
            msg["Message-ID"] = f"<outbox-{row.id}@portal>"
            msg.set_content(row.body_text)
            try:
                smtp.send_message(msg)
            except smtplib.SMTPException as exc:
                _failed(row, exc, now)
                continue
            row.sent_at = now
            row.attempts += 1
            sent += 1
    db.session.commit()
    return sent


def _failed(row: OutboxMessage, exc: Exception, now: datetime) -> None:
    row.attempts += 1
    row.last_error = str(exc)[:500]
    row.next_attempt_at = now + timedelta(minutes=2 ** row.attempts)
