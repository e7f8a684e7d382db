"""The provider's notices (its webhook): a paid Checkout Session settles its order.

Nothing is read before `stripe.Webhook.construct_event` has checked the signature (a bad one
is a 400 and changes nothing). A completed, paid session settles the order it names exactly
as staff recording the transfer do (`credit.record_provider_payment`: the order goes to the
warehouse, the buyer is e-mailed, an audit row), provided the order still waits for its
payment and the session paid exactly its amount in its currency. The provider delivers a
notice more than once: the same session never settles twice, and a session that cannot
settle (another amount or currency, an order already paid or cancelled) leaves one note on
the order's timeline for staff and a warning in the log, once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Order, OrderEvent, OrderStatus
from portal.services import DomainError, credit
from portal.services.card_payments import provider
from portal.services.orders import new_event

log = logging.getLogger(__name__)

PROVIDER = "stripe"
MISMATCH, UNEXPECTED = "card_payment_mismatch", "card_payment_unexpected"


class BadNotice(DomainError):
    status = 400


def receive(payload: bytes, signature: str, now: datetime) -> str:
    """Handle one notice; returns what came of it (settled, already, mismatch, unexpected,
    unknown, ignored). Raises BadNotice when its signature does not check."""
    try:
        event = provider.verified(payload, signature)
    except provider.BadNotice as problem:
        log.warning("card payment notice refused: %s", problem)
        raise BadNotice(_("This notice's signature does not check.")) from None
    paid = provider.completed_session(event)
    if paid is None or not paid.paid:
        return "ignored"
    order = _order(paid)
    if order is None:
        log.warning("card payment notice: session %s names no order of this portal (%s, %s)",
                    paid.session_id, paid.order_id, paid.order_number)
        return "unknown"
    seen = _seen(order, paid.session_id)
    if seen:
        return "already"
    params = {"amount": paid.amount_cents, "currency": paid.currency,
              "expected": order.total_cents, "expected_currency": order.currency,
              "provider": PROVIDER, "reference": paid.session_id}
    if order.status != OrderStatus.AWAITING_PAYMENT:
        return _note(order, UNEXPECTED, params, now)
    if paid.amount_cents != order.total_cents or paid.currency != order.currency.upper():
        return _note(order, MISMATCH, params, now)
    credit.record_provider_payment(order.id, now, {"provider": PROVIDER,
                                                   "reference": paid.session_id})
    log.info("order %s paid by card (session %s)", order.number, paid.session_id)
    return "settled"


def _order(paid: provider.PaidSession) -> Order | None:
    if not paid.order_id.isdigit() or len(paid.order_id) > 12:
        return None
    order = db.session.scalars(select(Order).where(Order.id == int(paid.order_id))
                               .with_for_update().execution_options(populate_existing=True)
                               ).one_or_none()
    if order is None or order.number != paid.order_number:
        return None
    return order


def _seen(order: Order, session_id: str) -> bool:
    """Whether a notice of this session already did something to the order."""
    params = db.session.scalars(select(OrderEvent.params).where(
        OrderEvent.order_id == order.id,
        OrderEvent.code.in_(("payment_received", MISMATCH, UNEXPECTED)))).all()
    return any((p or {}).get("reference") == session_id for p in params)


def _note(order: Order, code: str, params: dict, now: datetime) -> str:
    db.session.add(new_event(order.id, code, params, kind="note", status=None, actor_id=None,
                             at=now))
    log.warning("card payment of order %s not settled (%s): session %s paid %s %s, the order "
                "owes %s %s in status %s", order.number, code, params["reference"],
                params["amount"], params["currency"], order.total_cents, order.currency,
                order.status)
    return "mismatch" if code == MISMATCH else "unexpected"
