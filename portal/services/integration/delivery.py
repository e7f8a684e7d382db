"""Posting webhook deliveries: signed per Standard Webhooks, retried with exponential backoff,
dead after the last try. Called by the background worker only, never from a request.

Rows are claimed first (their next attempt pushed past the post's timeout, committed), then
posted with no transaction open, so a slow receiver holds no lock and two workers never post
the same row at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import WebhookDelivery, WebhookSubscription

log = logging.getLogger("portal.webhooks")
CLAIM_SECONDS = 120


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: v1, then HMAC-SHA256 of "id.timestamp.body", base64."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failed try: 30 s, 1 min, 2 min, ... capped at 6 h."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def _settings() -> tuple[int, float]:
    cfg = current_app.config
    return int(cfg.get("WEBHOOK_MAX_ATTEMPTS", 10)), float(cfg.get("WEBHOOK_TIMEOUT", 10.0))


def _claim(limit: int, now: datetime) -> list[int]:
    due = (WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= now)
    ids = db.session.scalars(
        select(WebhookDelivery.id).where(*due).order_by(WebhookDelivery.next_attempt_at,
                                                         WebhookDelivery.id)
        .limit(limit).with_for_update(skip_locked=True)).all()
    if ids:
        db.session.execute(
            update(WebhookDelivery).where(WebhookDelivery.id.in_(ids), *due)
            .values(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
            .execution_options(synchronize_session=False))
    db.session.commit()
    return list(ids)


def _post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 - http(s) only, checked when subscribed
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return answer.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return None, type(exc).__name__ + ": " + str(exc)[:300]


def _attempt(delivery_id: int, now: datetime, max_attempts: int, timeout: float) -> bool:
    delivery = db.session.get(WebhookDelivery, delivery_id)
    subscription = db.session.get(WebhookSubscription, delivery.subscription_id)
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    url, secret, message_id = subscription.url, subscription.secret, delivery.message_id
    db.session.commit()  # no transaction stays open while the receiver thinks
    timestamp = int(now.timestamp())
    status, error = _post(url, body, {
        "Content-Type": "application/json", "User-Agent": "portal-webhooks/1",
        "webhook-id": message_id, "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body)}, timeout)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    delivery.attempts += 1
    delivery.last_status, delivery.last_error = status, error
    ok = status is not None and 200 <= status < 300
    if ok:
        delivery.state, delivery.sent_at = "sent", now
    elif delivery.attempts >= max_attempts:
        delivery.state = "dead"
        log.warning("webhook %s dead after %d tries: %s", message_id, delivery.attempts,
                    error or status)
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    db.session.commit()
    return ok


def deliver_due_webhooks(now: datetime | None = None, limit: int = 100) -> int:
    """One pass over the due deliveries; returns how many receivers accepted theirs."""
    now = now or datetime.now(UTC)
    max_attempts, timeout = _settings()
    sent = 0
    for delivery_id in _claim(limit, now):
        sent += _attempt(delivery_id, now, max_attempts, timeout)
    if sent:
        log.info("delivered %d webhook%s", sent, "" if sent == 1 else "s")
    return sent
