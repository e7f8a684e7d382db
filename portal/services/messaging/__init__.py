"""Messages to people outside the browser: e-mail written to an outbox table in the same
transaction as the change it reports, and sent later by `flask send-mail` (retries, backoff).

Front door: `queue_email`, `email_link` (the absolute link to a page, for a message; built
from BASE_URL, never from the request's Host), `send_pending` (the sender).
"""

from portal.services.messaging.mail import (
    MAX_ATTEMPTS,
    email_link,
    queue_email,
    send_pending,
)

__all__ = [
    "MAX_ATTEMPTS", "email_link", "queue_email", "send_pending",
]
