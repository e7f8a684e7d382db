"""Messages to people outside the browser: e-mail written to an outbox table in the same
transaction as the change it reports, and sent later by `flask send-mail` (retries, backoff).

Front door: `queue_email`, `external_url` (links in a message), `send_pending` (the sender).
"""

from portal.services.messaging.mail import MAX_ATTEMPTS, external_url, queue_email, send_pending

__all__ = [
    "MAX_ATTEMPTS", "external_url", "queue_email", "send_pending",
]
