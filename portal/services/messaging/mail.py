"""Emails go through the outbox: queued in the caller's transaction, sent by a worker."""

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale

from portal.extensions import db
from portal.models import OutboxMessage


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
    # Read after the commit: the worker is woken at once instead of at its next sweep.
    db.session.info["outbox_queued"] = True
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
