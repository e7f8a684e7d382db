"""Emails go through the outbox: queued in the caller's transaction, sent by a worker."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, request, url_for
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


def external_url(path: str, for_user=None) -> str:
    """Links in emails come from the configured base URL, never from the request's Host. A
    person of another storefront (a guest of the consumer shop, a crew member) gets its
    first host instead, with BASE_URL's scheme and port, and its path prefix if it has one:
    they sign in there only. `path` is the page's path in the portal, without any prefix."""
    base = current_app.config["BASE_URL"].rstrip("/")
    host, prefix = _storefront_place(for_user) if for_user is not None else (None, "")
    if host:
        parts = urlsplit(base)
        port = f":{parts.port}" if parts.port else ""
        base = f"{parts.scheme}://{host}{port}{parts.path.rstrip('/')}"
    return base + prefix + path


def _storefront_place(user) -> tuple[str | None, str]:
    from portal.services.storefronts import by_id, storefront_of

    front = by_id(storefront_of(user))
    if front.is_trade:
        return None, ""
    return (front.hosts[0] if front.hosts else None), front.path_prefix


def email_link(endpoint: str, *, for_user=None, **values) -> str:
    """The absolute link to a page, for a message: the one way every email builds its links
    (`for_user`: the recipient, whose storefront's host it is on). Outside a request (a
    command, the worker) the URL map is read in a simulated one."""
    if has_request_context():
        # Without the prefix of the storefront the request came on: the recipient's applies.
        path, root = url_for(endpoint, **values), request.script_root
        return external_url(path[len(root):] if root and path.startswith(root) else path,
                            for_user)
    with current_app.test_request_context():
        return external_url(url_for(endpoint, **values), for_user)
