"""What the buyer sees of a transition: a timeline entry and an email, in their language."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale

from portal.extensions import db
from portal.models import Order, OrderEvent, OrderStatus, User
from portal.models.labels import order_status_label
from portal.services import orders
from portal.services.messaging import email_link, queue_email


def buyer_language(order: Order) -> str:
    buyer = order.placed_by
    return (buyer.language if buyer else None) or order.company.language or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def record(order: Order, actor: User, kind: str, status: OrderStatus | None, code: str,
           params: dict | None, now: datetime) -> OrderEvent:
    """Add one timeline entry and queue the buyer's email, both in this transaction.

    `status` is the status the order moved to, or None for a note (a backorder) that leaves
    the status as it was. The entry stores `code` and `params` (see services/orders/events.py);
    the email says them in the buyer's language.
    """
    event = orders.new_event(order.id, code, params, kind=kind, status=status,
                                   actor_id=actor.id, at=now)
    db.session.add(event)
    buyer = order.placed_by
    if buyer is not None and not buyer.disabled:
        language = buyer_language(order)
        with force_locale(language):
            label = order_status_label(status or order.status)
            message = orders.describe(code, params)
        queue_email("order_status", buyer.email, language, "order_status", order=order,
                    buyer=buyer, status_text=label, message=message,
                    link=email_link("orders.detail", for_user=buyer, order_id=order.id))
    return event
