"""Paying an order waiting for its payment by card, on the provider's hosted page.

The session asks for exactly what the order owes (the proforma's amount and currency, integer
cents) as one line "Commande n° …", names the order (client_reference_id and metadata), and
brings the payer back to the order's page on the host they are signed in on, the host their
e-mails link to: `?card=paid` once paid (the page then says the payment is being confirmed
until the provider's notice settles it), `?card=cancelled` when they turn back.
"""

from __future__ import annotations

import logging

from flask_babel import force_locale
from flask_babel import gettext as _

from portal.models import OrderStatus
from portal.services import DomainError, NotFound, credit, orders
from portal.services.card_payments import provider
from portal.services.messaging import email_link

log = logging.getLogger(__name__)


class NoLongerWaiting(DomainError):
    status = 409


class ProviderDown(DomainError):
    status = 503


def offered() -> bool:
    """Card payment is offered only when the provider's keys are both configured."""
    return provider.configured()


def start(user, order_id: int) -> str:
    """A Checkout Session for what the order owes: the URL of the provider's page."""
    order = orders.find_order(user, order_id)
    if order is None or not offered():
        raise NotFound()
    if order.status != OrderStatus.AWAITING_PAYMENT:
        raise NoLongerWaiting(_("Order %(number)s is no longer waiting for its payment.",
                                number=order.number))
    due = credit.payment_details(order)
    with force_locale(order.company.language or "fr"):
        line = _("Order no. %(number)s", number=order.number)
    params = {
        "mode": "payment",
        "payment_method_types": ["card"],
        "client_reference_id": str(order.id),
        "metadata": {"order_id": str(order.id), "order_number": order.number},
        "line_items": [{"quantity": 1, "price_data": {
            "currency": due.currency.lower(), "unit_amount": due.amount_cents,
            "product_data": {"name": str(line)}}}],
        "success_url": email_link("orders.detail", for_user=user, order_id=order.id,
                                  card="paid"),
        "cancel_url": email_link("orders.detail", for_user=user, order_id=order.id,
                                 card="cancelled"),
    }
    if user.email and "@" in user.email and not user.email.startswith("guest-"):
        params["customer_email"] = user.email
    try:
        session_id, url = provider.create_session(params)
    except provider.Unreachable as problem:
        log.warning("card payment of order %s: the provider refused or did not answer (%s)",
                    order.number, problem)
        raise ProviderDown(_("Card payment is not available right now: try again in a moment, "
                             "or pay by bank transfer.")) from None
    log.info("card payment of order %s: checkout session %s", order.number, session_id)
    return url
