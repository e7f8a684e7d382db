"""Prepayment: an order on prepayment terms waits for its bank transfer before the warehouse.

Its proforma (the order page and the order e-mail) gives the amount, the seller's bank
details (SELLER_NAME, SELLER_IBAN, SELLER_BIC in the settings) and the payment reference: the
order number, which the seller's bank statement shows against the transfer. Staff record the
payment in the back office; only then does the order go to the warehouse. Unpaid, it is
reminded after PROFORMA_REMINDER_DAYS and cancelled PROFORMA_EXPIRY_DAYS after waiting began
(`remind_and_expire`, hourly in `portal worker`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Order, OrderEvent, OrderStatus, PaymentTerms
from portal.services import delivery
from portal.services.orders import new_event


@dataclass(frozen=True)
class PaymentDetails:
    """What the buyer needs to pay a proforma by bank transfer."""

    amount_cents: int
    currency: str
    beneficiary: str
    iban: str
    bic: str
    reference: str


def payment_details(order: Order) -> PaymentDetails:
    config = current_app.config
    return PaymentDetails(order.total_cents, order.currency, config.get("SELLER_NAME", ""),
                          config.get("SELLER_IBAN", ""), config.get("SELLER_BIC", ""),
                          order.number)


def await_payment(order: Order, actor, now: datetime) -> bool:
    """A submitted order on prepayment terms waits for its payment. True when it does."""
    if order.status != OrderStatus.SUBMITTED or order.payment_terms != PaymentTerms.PREPAY:
        return False
    if order.pay_at_collection:
        return False  # paid at the branch's counter when collected: prepared at once
    order.status = OrderStatus.AWAITING_PAYMENT
    db.session.add(new_event(order.id, "awaiting_payment",
                             {"amount": order.total_cents, "currency": order.currency,
                              "reference": order.number},
                             kind="status", status=OrderStatus.AWAITING_PAYMENT,
                             actor_id=getattr(actor, "id", None), at=now))
    return True


def awaiting_payment() -> list[Order]:
    """Orders waiting for their transfer, oldest first (the staff's list)."""
    return list(db.session.scalars(
        select(Order).options(joinedload(Order.company), joinedload(Order.placed_by))
        .where(Order.status == OrderStatus.AWAITING_PAYMENT)
        .order_by(Order.placed_at, Order.id)))


def _waiting_since(order_ids: list[int]) -> dict[int, datetime]:
    """When each order started waiting for its payment (its last such timeline entry)."""
    rows = db.session.execute(
        select(OrderEvent.order_id, func.max(OrderEvent.at))
        .where(OrderEvent.order_id.in_(order_ids),
               OrderEvent.status == OrderStatus.AWAITING_PAYMENT)
        .group_by(OrderEvent.order_id)).all()
    return dict(rows)


def _reminded(order_ids: list[int]) -> set[int]:
    return set(db.session.scalars(select(OrderEvent.order_id).where(
        OrderEvent.order_id.in_(order_ids), OrderEvent.code == "payment_reminder")))


def remind_and_expire(now: datetime) -> int:
    """Unpaid proformas: a reminder after PROFORMA_REMINDER_DAYS, then, once reminded,
    cancelled after PROFORMA_EXPIRY_DAYS (the buyer is told each time). Returns how many
    orders were touched; the caller commits."""
    from portal.services.messaging import email_link, queue_email

    config = current_app.config
    remind_after = timedelta(days=config.get("PROFORMA_REMINDER_DAYS", 3))
    expire_after = timedelta(days=config.get("PROFORMA_EXPIRY_DAYS", 7))
    orders = awaiting_payment()
    since = _waiting_since([o.id for o in orders])
    reminded = _reminded([o.id for o in orders])
    touched = 0
    for order in orders:
        waited = now - since.get(order.id, order.placed_at)
        if order.id in reminded and waited >= expire_after:
            order.status = OrderStatus.CANCELLED
            delivery.release_order(order)
            code, status = "proforma_expired", OrderStatus.CANCELLED
        elif order.id not in reminded and waited >= remind_after:
            code, status = "payment_reminder", None
        else:
            continue
        params = {"amount": order.total_cents, "currency": order.currency,
                  "reference": order.number}
        db.session.add(new_event(order.id, code, params, kind="status" if status else "note",
                                 status=status, actor_id=None, at=now))
        buyer = order.placed_by
        queue_email(f"credit_{code}", buyer.email, buyer.language or order.company.language,
                    "credit_decided", order=order, buyer=buyer, code=code, params=params,
                    money=_money, pay=payment_details(order),
                    link=email_link("orders.detail", for_user=buyer, order_id=order.id))
        touched += 1
    return touched


def _money(cents, currency="EUR") -> str:
    from portal.formatting import money

    return money(cents, currency)
