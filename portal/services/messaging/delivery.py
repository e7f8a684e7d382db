"""Delivering the outbox over SMTP, one message at a time, safe against every failure we know.

The order of steps per message is what makes "never sent twice" hold:

1. A batch is claimed by pushing its `next_attempt_at` a lease ahead (committed): another
   worker skips it; if this one dies, the untouched messages come due again after the lease.
2. `sending_at` is committed just before the conversation about one message starts.
3. The server's "250 accepted" after DATA is answered by committing `sent_at` at once.

A crash between 2 and 3 leaves the message "sending": it may or may not have reached the
server, so it is never resent by itself: it goes to the dead letters with a note saying so,
and staff decide (retrying may send a second copy, with the same Message-ID). The same holds
when the connection breaks after the message's body was sent but before the server answered.
Everything else (connection refused, timeout, TLS or login refused, a 4xx/5xx answer) means
the server did not take the message: it is retried 1, 2, 4... minutes later, and after
WORKER_MAX_ATTEMPTS it is dead too, visible and retryable on the staff's jobs page.
"""

import logging
import re
import smtplib
import ssl
from datetime import UTC, datetime, timedelta
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.models import OutboxMessage

log = logging.getLogger("portal.mail")
# The note stored on a message a crash left in doubt (the jobs page shows it in words).
IN_DOUBT = "in-doubt"
# Seconds a claimed batch is kept from the other workers.
CLAIM_SECONDS = 300


class _ConnectionLost(Exception):
    """The conversation broke: the rest of the batch waits for the next pass."""


def _max_attempts() -> int:
    return current_app.config["WORKER_MAX_ATTEMPTS"]


def send_pending(limit: int = 100, now: datetime | None = None) -> int:
    """One pass over the due messages; returns how many the server accepted."""
    now = now or datetime.now(UTC)
    _bury_in_doubt(now)
    ids = _claim(limit, now)
    if not ids:
        return 0
    try:
        smtp = _connect()
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("SMTP server unusable, %d emails wait: %s", len(ids), _describe(exc))
        _release(ids, now, exc, count_attempt=True)
        return 0
    sent = 0
    try:
        for position, message_id in enumerate(ids):
            try:
                sent += _deliver(smtp, message_id, now)
            except _ConnectionLost:
                _release(ids[position + 1:], now, None, count_attempt=False)
                break
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    if sent:
        log.info("sent %d email%s", sent, "" if sent == 1 else "s")
    return sent


def _connect() -> smtplib.SMTP:
    cfg = current_app.config
    timeout = cfg["MAIL_TIMEOUT"]
    if cfg["MAIL_SSL"]:
        smtp = smtplib.SMTP_SSL(cfg["MAIL_HOST"], cfg["MAIL_PORT"], timeout=timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(cfg["MAIL_HOST"], cfg["MAIL_PORT"], timeout=timeout)
    try:
        if cfg["MAIL_USE_TLS"] and not cfg["MAIL_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


def _claim(limit: int, now: datetime) -> list[int]:
    due = (OutboxMessage.sent_at.is_(None), OutboxMessage.dead_at.is_(None),
           OutboxMessage.sending_at.is_(None), OutboxMessage.next_attempt_at <= now)
    ids = db.session.scalars(
        select(OutboxMessage.id).where(*due).order_by(OutboxMessage.id).limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claimed = []
    if ids:
        # Only the rows this UPDATE still found due are ours: a `portal send-mail` run beside
        # a worker (SQLite has no row locks) may have claimed some in between.
        table = OutboxMessage.__table__
        claimed = db.session.execute(
            update(table).where(table.c.id.in_(ids), *due)
            .values(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
            .returning(table.c.id)).scalars().all()
    db.session.commit()
    return sorted(claimed)


def _deliver(smtp: smtplib.SMTP, message_id: int, now: datetime) -> int:
    row = db.session.get(OutboxMessage, message_id)
    if (row is None or row.sent_at is not None or row.dead_at is not None
            or row.sending_at is not None):
        db.session.commit()
        return 0
    if not row.message_id:
        domain = urlsplit(current_app.config["BASE_URL"]).hostname or "portal.invalid"
        row.message_id = make_msgid(idstring=f"outbox{row.id}", domain=domain)
    row.sending_at = datetime.now(UTC)
    db.session.commit()
    email = _email(row)
    stage = ["envelope"]
    try:
        _hand_over(smtp, email, row.to_address, stage)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
            smtplib.SMTPDataError) as exc:
        # The server answered "no" to this message: it has not got it, the connection is fine.
        _failed(row, exc, now)
        return 0
    except (OSError, smtplib.SMTPException) as exc:
        # Silence or a hang-up after the body's final dot: the server may have taken it
        # (RFC 1047), so it is not sent again by itself. Anything earlier broke before the
        # server could accept the message.
        if stage[0] == "awaiting reply":
            _dead(row, IN_DOUBT + ": " + _describe(exc), now)
        else:
            _failed(row, exc, now)
        raise _ConnectionLost from exc
    row.sent_at = now
    row.attempts += 1
    db.session.commit()
    return 1


def _hand_over(smtp: smtplib.SMTP, email: EmailMessage, to: str, stage: list) -> None:
    """sendmail() in its steps, so a failure is known to be before or after the body
    reached the server (smtplib reports both as SMTPServerDisconnected)."""
    sender = email["From"]
    smtp.ehlo_or_helo_if_needed()
    code, answer = smtp.mail(sender)
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    code, answer = smtp.rcpt(to)
    if code not in (250, 251):
        _reset(smtp)
        raise smtplib.SMTPRecipientsRefused({to: (code, answer)})
    # smtplib's data(), in steps: after send() the whole message is with the server.
    smtp.putcmd("data")
    code, answer = smtp.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, answer)
    body = re.sub(rb"(?m)^\.", b"..", email.as_bytes().replace(b"\r\n", b"\n")
                  .replace(b"\n", b"\r\n"))
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body + b".\r\n")
    stage[0] = "awaiting reply"
    code, answer = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)


def _reset(smtp: smtplib.SMTP) -> None:
    try:
        smtp.rset()
    except (OSError, smtplib.SMTPException):
        pass


# A List-Unsubscribe URI must reach the mail client whole: a header longer than the default
# 78 characters would be folded into RFC 2047 encoded words, which clients do not decode as a
# URI. 998 is SMTP's own line limit.
_LONG_HEADERS = email_policy.default.clone(max_line_length=998)


def _email(row: OutboxMessage) -> EmailMessage:
    email = EmailMessage(policy=_LONG_HEADERS) if row.unsubscribe_url else EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = row.to_address
    email["Subject"] = row.subject
    email["Date"] = format_datetime(datetime.now(UTC))
    email["Message-ID"] = row.message_id
    if row.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(row.body_text)
    return email


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def _failed(row: OutboxMessage, exc: BaseException, now: datetime) -> None:
    row.attempts += 1
    row.sending_at = None
    row.last_error = _describe(exc)
    if row.attempts >= _max_attempts():
        row.dead_at = now
    else:
        row.next_attempt_at = now + timedelta(minutes=2 ** (row.attempts - 1))
    db.session.commit()


def _dead(row: OutboxMessage, note: str, now: datetime) -> None:
    row.attempts += 1
    row.dead_at = now
    row.last_error = note[:500]
    db.session.commit()


def _release(ids: list[int], now: datetime, exc: BaseException | None,
             count_attempt: bool) -> None:
    """The batch did not get its chance: due again now, or after a backoff if it failed."""
    for message_id in ids:
        row = db.session.get(OutboxMessage, message_id)
        if row is None or row.sent_at is not None or row.dead_at is not None:
            continue
        if count_attempt:
            row.attempts += 1
            row.last_error = _describe(exc)
            if row.attempts >= _max_attempts():
                row.dead_at = now
                continue
            row.next_attempt_at = now + timedelta(minutes=2 ** (row.attempts - 1))
        else:
            row.next_attempt_at = now
    db.session.commit()


def _bury_in_doubt(now: datetime) -> None:
    """Messages some worker started to send and never finished: it died in the middle."""
    horizon = now - timedelta(seconds=max(600.0, 5 * current_app.config["MAIL_TIMEOUT"]))
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.dead_at.is_(None),
               OutboxMessage.sending_at < horizon)
        .values(dead_at=now, last_error=IN_DOUBT + ": the worker stopped while sending")
        .execution_options(synchronize_session=False))
    db.session.commit()


def retry_email(message_id: int) -> bool:
    """Staff's retry of a dead message: due at once, with a fresh count of attempts."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None or row.dead_at is None or row.sent_at is not None:
        return False
    row.dead_at = row.sending_at = None
    row.attempts = 0
    row.next_attempt_at = datetime.now(UTC)
    db.session.info["outbox_queued"] = True
    return True


def dead_emails(limit: int = 200) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dead_at.is_not(None),
                                    OutboxMessage.sent_at.is_(None))
        .order_by(OutboxMessage.dead_at.desc()).limit(limit)).all()


def outbox_backlog() -> dict:
    """Pending and dead counts and the oldest pending message's creation time."""
    rows = db.session.execute(
        select(OutboxMessage.dead_at.is_(None), func.count(), func.min(OutboxMessage.created_at))
        .where(OutboxMessage.sent_at.is_(None))
        .group_by(OutboxMessage.dead_at.is_(None))).all()
    result = {"pending": 0, "dead": 0, "oldest": None}
    for alive, count, oldest in rows:
        result["pending" if alive else "dead"] += count
        if alive:
            result["oldest"] = oldest
    return result
