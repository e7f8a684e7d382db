"""The seller's credit queue: orders on credit hold, and what staff decide for each.

Release (the order goes to the warehouse as it is), raise the company's limit (then the order
goes too, if the new limit covers it), or ask for prepayment (the order switches to prepayment
terms and waits for its transfer; staff record the payment, then it goes). Each decision
locks the order, is audited and tells the buyer by e-mail; a decision on an order no longer
waiting for it is a conflict (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.formatting import money
from portal.models import Order, OrderStatus, PaymentTerms, Role
from portal.services import DomainError, NotAllowed, NotFound, accounts
from portal.services.credit.control import CreditView, _lock_company, check_limit, exposure_cents
from portal.services.credit.payment import payment_details
from portal.services.messaging import email_link, queue_email
from portal.services.orders import new_event


class Conflict(DomainError):
    status = 409


@dataclass(frozen=True)
class HeldOrder:
    order: Order
    credit: CreditView  # exposure without this order, against its total


def may_decide(user) -> bool:
    """Credit decisions move money at risk: staff admins only."""
    return user is not None and user.role == Role.STAFF_ADMIN


def held_orders() -> list[HeldOrder]:
    """Orders on credit hold, oldest first, with their company's credit now."""
    orders = db.session.scalars(
        select(Order).options(joinedload(Order.company), joinedload(Order.placed_by))
        .where(Order.status == OrderStatus.CREDIT_HOLD)
        .order_by(Order.placed_at, Order.id)).all()
    return [HeldOrder(o, CreditView(o.company.credit_limit_cents or 0,
                                    exposure_cents(o.company_id, excluding=o.id), o.total_cents))
            for o in orders]


def _held(user, order_id: int, status: OrderStatus = OrderStatus.CREDIT_HOLD) -> Order:
    if not may_decide(user):
        raise NotAllowed()
    return _locked(order_id, status)


def _locked(order_id: int, status: OrderStatus) -> Order:
    order = db.session.scalars(select(Order).where(Order.id == order_id)
                               .with_for_update().execution_options(populate_existing=True)
                               ).one_or_none()
    if order is None:
        raise NotFound()
    if order.status != status:
        if status == OrderStatus.AWAITING_PAYMENT:
            raise Conflict(_("Order %(number)s is no longer waiting for its payment.",
                             number=order.number))
        raise Conflict(_("Order %(number)s is no longer waiting for a credit check.",
                         number=order.number))
    return order


def _decided(order: Order, staff, now: datetime, code: str, params: dict, *,
             status: OrderStatus | None, action: str, detail: dict) -> None:
    db.session.add(new_event(order.id, code, params, kind="status" if status else "note",
                             status=status, actor_id=getattr(staff, "id", None), at=now))
    accounts.record(staff, action, order, {"order": order.number, **detail},
                    company_id=order.company_id)
    buyer = order.placed_by
    queue_email(f"credit_{code}", buyer.email, buyer.language or order.company.language,
                "credit_decided", order=order, buyer=buyer, code=code, params=params,
                money=money, link=email_link("orders.detail", for_user=buyer, order_id=order.id),
                pay=payment_details(order))


def release(staff, order_id: int, now: datetime) -> Order:
    """The order goes to the warehouse as it is."""
    order = _held(staff, order_id)
    order.status = OrderStatus.SUBMITTED
    _decided(order, staff, now, "credit_released", {}, status=OrderStatus.SUBMITTED,
             action="credit.release", detail={})
    return order


def raise_limit(staff, order_id: int, new_limit_cents: int | None, now: datetime) -> Order:
    """Raise the company's limit so that the order fits, and release it."""
    order = _held(staff, order_id)
    if new_limit_cents is None:
        raise DomainError(_("Enter the new credit limit."), field="limit")
    check_limit(new_limit_cents, field="limit")
    company = _lock_company(order.company_id)
    needed = exposure_cents(company.id, excluding=order.id) + order.total_cents
    if new_limit_cents < needed:
        raise DomainError(_("With this limit the order still goes over: the limit must be at "
                            "least %(needed)s.", needed=money(needed, order.currency)),
                          field="limit")
    old = company.credit_limit_cents
    company.credit_limit_cents = new_limit_cents
    order.status = OrderStatus.SUBMITTED
    params = {"limit": new_limit_cents, "currency": order.currency}
    _decided(order, staff, now, "credit_limit_raised", params, status=OrderStatus.SUBMITTED,
             action="credit.raise_limit", detail={"credit_limit_cents": [old, new_limit_cents]})
    return order


def ask_prepayment(staff, order_id: int, now: datetime) -> Order:
    """The order switches to prepayment terms and waits for its transfer (its proforma)."""
    order = _held(staff, order_id)
    old = order.payment_terms
    order.payment_terms = PaymentTerms.PREPAY
    order.status = OrderStatus.AWAITING_PAYMENT
    params = {"amount": order.total_cents, "currency": order.currency}
    _decided(order, staff, now, "prepayment_asked", params,
             status=OrderStatus.AWAITING_PAYMENT, action="credit.ask_prepayment",
             detail={"payment_terms": [str(old), "prepay"]})
    return order


def record_payment(staff, order_id: int, now: datetime) -> Order:
    """The transfer is in: the order goes to the warehouse."""
    return _paid(_held(staff, order_id, OrderStatus.AWAITING_PAYMENT), staff, now, {})


def record_provider_payment(order_id: int, now: datetime, via: dict) -> Order:
    """A payment provider says the order is paid (its signed notice checked by the caller,
    services/card_payments): the same as staff recording the transfer, with no person behind
    it. `via` (the provider, its payment's reference) goes on the timeline and the audit row."""
    return _paid(_locked(order_id, OrderStatus.AWAITING_PAYMENT), None, now, via)


def _paid(order: Order, staff, now: datetime, via: dict) -> Order:
    params = {"amount": order.total_cents, "currency": order.currency, **via}
    order.status = OrderStatus.SUBMITTED
    _decided(order, staff, now, "payment_received", params, status=OrderStatus.SUBMITTED,
             action="payment.record", detail={"amount_cents": order.total_cents, **via})
    return order
