"""Messages to people outside the browser: e-mail written to an outbox table in the same
transaction as the change it reports, and delivered later by `portal worker` (retries with
backoff, then a dead letter that staff may retry).

Front door: `queue_email`, `email_link` (the absolute link to a page, for a message; built
from BASE_URL, never from the request's Host), `send_pending` (one delivery pass),
`dead_emails`, `retry_email` and `outbox_backlog` (the jobs page and the metrics).
"""

from portal.services.messaging.delivery import (
    IN_DOUBT,
    dead_emails,
    outbox_backlog,
    retry_email,
    send_pending,
)
from portal.services.messaging.mail import email_link, queue_email

__all__ = [
    "IN_DOUBT", "dead_emails", "email_link", "outbox_backlog", "queue_email", "retry_email",
    "send_pending",
]
