"""Stripe, through its own library: the only module that imports `stripe`.

A Checkout Session is created with a `StripeClient` of this app's keys (STRIPE_API_BASE, when
set, points it at a stand-in on loopback); a notice is read only after
`stripe.Webhook.construct_event` has checked its signature against STRIPE_WEBHOOK_SECRET
(HMAC-SHA256 of "timestamp.payload", five minutes of tolerance). Fields are read by key, which
every supported version of the library answers (16 no longer lets its objects act as dicts).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import stripe
from flask import current_app

# The hosted page's origin when the API is Stripe's own: forms that go there need it in CSP.
CHECKOUT_ORIGIN = "https://checkout.stripe.com"
COMPLETED = "checkout.session.completed"


class Unreachable(Exception):  # noqa: N818 - the provider did not answer as it should
    pass


class BadNotice(Exception):  # noqa: N818 - a notice whose signature does not check
    pass


@dataclass(frozen=True)
class PaidSession:
    """What a completed Checkout Session says about the payment."""

    session_id: str
    paid: bool
    amount_cents: int | None
    currency: str
    order_id: str
    order_number: str


def configured() -> bool:
    config = current_app.config
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_WEBHOOK_SECRET"))


def checkout_origin() -> str:
    base = current_app.config.get("STRIPE_API_BASE") or ""
    if not base:
        return CHECKOUT_ORIGIN
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


def _client() -> stripe.StripeClient:
    config = current_app.config
    base = config.get("STRIPE_API_BASE") or ""
    return stripe.StripeClient(config["STRIPE_SECRET_KEY"],
                               base_addresses={"api": base} if base else {},
                               max_network_retries=1)


def create_session(params: dict) -> tuple[str, str]:
    """A Checkout Session in payment mode: its id and the hosted page's URL."""
    try:
        session = _client().v1.checkout.sessions.create(params=params)
        return session["id"], session["url"]
    except (stripe.StripeError, KeyError) as problem:
        raise Unreachable(str(problem)) from problem


def _field(obj, *keys, default=None):
    for key in keys:
        try:
            obj = obj[key]
        except (KeyError, TypeError, IndexError):
            return default
        if obj is None:
            return default
    return obj


def verified(payload: bytes, signature: str):
    """The event the notice carries, once its signature checks; BadNotice otherwise."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET") or ""
    if not secret or not signature:
        raise BadNotice("no secret or no signature")
    try:
        return stripe.Webhook.construct_event(payload, signature, secret)
    except (stripe.SignatureVerificationError, ValueError) as problem:
        raise BadNotice(str(problem)) from problem


def completed_session(event) -> PaidSession | None:
    """The session of a checkout.session.completed event; None for any other event."""
    if _field(event, "type") != COMPLETED:
        return None
    session = _field(event, "data", "object", default={})
    amount = _field(session, "amount_total")
    return PaidSession(
        session_id=str(_field(session, "id", default="")),
        paid=_field(session, "payment_status") == "paid",
        amount_cents=amount if isinstance(amount, int) else None,
        currency=str(_field(session, "currency", default="")).upper(),
        order_id=str(_field(session, "metadata", "order_id", default="")
                     or _field(session, "client_reference_id", default="")),
        order_number=str(_field(session, "metadata", "order_number", default="")))
