"""Webhook subscriptions of the calling client, their delivery log and "send again"."""

from flask import current_app, g, jsonify

from portal.blueprints.api import bp
from portal.blueprints.api.operations import now, operation
from portal.blueprints.api.problems import ApiProblem
from portal.blueprints.api.schemas import (
    DeliveryList,
    DeliveryOut,
    Empty,
    IdempotencyHeader,
    SubscriptionIn,
    SubscriptionList,
    SubscriptionOut,
)
from portal.services import integration

SCOPE = "webhooks:manage"


def _iso(value):
    return value.isoformat() if value is not None else None


def _subscription(sub, secret: bool = False) -> dict:
    return {"id": sub.id, "url": sub.url, "events": sub.events, "created_at": _iso(sub.created_at),
            "secret": sub.secret if secret else None}


def _delivery(d) -> dict:
    return {"id": d.id, "message_id": d.message_id, "event": d.event, "state": d.state,
            "attempts": d.attempts, "last_status": d.last_status, "last_error": d.last_error,
            "next_attempt_at": _iso(d.next_attempt_at), "created_at": _iso(d.created_at),
            "sent_at": _iso(d.sent_at)}


def _own_or_404(subscription_id: int):
    found = integration.subscription_of(g.api_client.id, subscription_id)
    if found is None:
        raise ApiProblem(404, code="not_found")
    return found


@bp.get("/webhooks")
@operation(SCOPE, resp={"HTTP_200": SubscriptionList}, tags=["webhooks"])
def list_webhooks():
    """This client's live subscriptions (secrets are never shown again)."""
    return jsonify(data=[_subscription(s) for s in integration.subscriptions_of(g.api_client.id)])


@bp.post("/webhooks")
@operation(SCOPE, headers=IdempotencyHeader, json=SubscriptionIn, tags=["webhooks"],
           resp={"HTTP_201": SubscriptionOut}, status_codes=("HTTP_400", "HTTP_415"))
def create_webhook(json: SubscriptionIn):
    """Subscribe a URL to events; the answer holds the signing secret, this once."""
    sub = integration.subscribe(g.api_client, json.url, json.events, now(),
                                allow_http=current_app.config.get("WEBHOOKS_ALLOW_HTTP", False))
    return jsonify(_subscription(sub, secret=True)), 201


@bp.delete("/webhooks/<int:subscription_id>")
@operation(SCOPE, tags=["webhooks"], resp={"HTTP_204": None}, status_codes=("HTTP_404",))
def delete_webhook(subscription_id: int):
    """Stop this subscription; deliveries not yet sent are dropped with it."""
    integration.unsubscribe(_own_or_404(subscription_id), g.api_client, now())
    return "", 204


@bp.get("/webhooks/<int:subscription_id>/deliveries")
@operation(SCOPE, resp={"HTTP_200": DeliveryList}, tags=["webhooks"], status_codes=("HTTP_404",))
def list_deliveries(subscription_id: int):
    """The last 100 deliveries: state, tries, the receiver's last answer."""
    sub = _own_or_404(subscription_id)
    return jsonify(data=[_delivery(d) for d in integration.deliveries_of(sub)])


@bp.post("/webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/resend")
@operation(SCOPE, headers=IdempotencyHeader, json=Empty, tags=["webhooks"],
           resp={"HTTP_200": DeliveryOut}, status_codes=("HTTP_404", "HTTP_400", "HTTP_415"))
def resend_delivery(subscription_id: int, delivery_id: int, json: Empty):
    """Send this delivery again at the worker's next pass (a dead one too)."""
    delivery = integration.delivery_of(g.api_client.id, delivery_id, subscription_id)
    if delivery is None:
        raise ApiProblem(404, code="not_found")
    integration.send_again(delivery, now())
    return jsonify(_delivery(delivery))
