"""Credit control at checkout: a company's exposure, and holding an order that would go over.

Exposure = the open orders on account (terms other than prepayment, not yet delivered,
cancelled or rejected, including orders already on credit hold), each for the part of its
total not yet invoiced, + unpaid invoices (`unpaid_invoices_cents`: each invoice's total less
its credit notes and payments). What has shipped thus counts once, through its invoice, until
it is paid; a delivered order counts only through its unpaid invoices.

Composition with approvals: approval first, then credit. An order that needs approval is
checked when its last approval makes it submitted (services/approvals/decisions.py calls
`hold_if_over`), never before: an order the approver rejects never takes credit.

Concurrency: `hold_if_over` locks the company row (FOR NO KEY UPDATE) before it reads the
exposure, in the transaction that places the order. Two checkouts of one company are thus
checked one after the other; the second sees the first's order (READ COMMITTED reads what
committed while it waited), so together they cannot pass the limit unreviewed. SQLite has one
writer at a time, which gives the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, case, func, select

from portal.extensions import db
from portal.models import Company, Invoice, InvoiceKind, Order, OrderStatus, PaymentTerms
from portal.services import DomainError
from portal.services.orders import new_event

OPEN_ON_ACCOUNT = (OrderStatus.SUBMITTED, OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_SHIPPED,
                   OrderStatus.SHIPPED, OrderStatus.CREDIT_HOLD)


def check_limit(cents: int | None, field: str = "credit_limit") -> int | None:
    """A credit limit as typed by staff: None (no limit) or more than zero; DomainError."""
    if cents is not None and cents <= 0:
        raise DomainError(_("A credit limit must be more than zero. Leave it empty for no "
                            "limit, or set the terms to prepayment."), field=field)
    return cents


def unpaid_invoices_cents(company_id: int) -> int:
    """Invoices issued and not yet paid (less their credit notes and payments)."""
    from portal.services.billing import owed_cents

    return owed_cents(company_id)


def _exposure_statement(excluding: bool):
    company = bindparam("company_id")
    invoiced = (select(Invoice.order_id, func.sum(Invoice.total_cents).label("cents"))
                .where(Invoice.company_id == company, Invoice.kind == InvoiceKind.INVOICE)
                .group_by(Invoice.order_id).subquery())
    left = Order.total_cents - func.coalesce(invoiced.c.cents, 0)
    stmt = (select(func.coalesce(func.sum(case((left > 0, left), else_=0)), 0))
            .outerjoin(invoiced, invoiced.c.order_id == Order.id)
            .where(Order.company_id == company, Order.status.in_(OPEN_ON_ACCOUNT),
                   Order.payment_terms != PaymentTerms.PREPAY))
    return stmt.where(Order.id != bindparam("excluding")) if excluding else stmt


# Every checkout page and every submit asks: built once (with and without the order being
# placed), the company bound at execution.
_EXPOSURE = {excluding: _exposure_statement(excluding) for excluding in (False, True)}


def exposure_cents(company_id: int, *, excluding: int | None = None) -> int:
    """What the company owes or has on order on account now (see the module docstring)."""
    params = {"company_id": company_id}
    if excluding is not None:
        params["excluding"] = excluding
    return int(db.session.scalar(_EXPOSURE[excluding is not None], params)) \
        + unpaid_invoices_cents(company_id)


@dataclass(frozen=True)
class CreditView:
    """The credit of a company against one amount: what is left, and whether it is enough."""

    limit_cents: int
    exposure_cents: int
    amount_cents: int

    @property
    def available_cents(self) -> int:
        return max(0, self.limit_cents - self.exposure_cents)

    @property
    def over(self) -> bool:
        return self.exposure_cents + self.amount_cents > self.limit_cents


def on_account(company: Company, terms: PaymentTerms | None = None) -> bool:
    return (terms or company.payment_terms) != PaymentTerms.PREPAY


def preview(company: Company | None, amount_cents: int) -> CreditView | None:
    """What the buyer is told before submitting: None when credit does not apply (no limit,
    prepayment terms); otherwise the view, whose `over` says the order will be held."""
    if company is None or company.credit_limit_cents is None or not on_account(company):
        return None
    return CreditView(company.credit_limit_cents, exposure_cents(company.id), amount_cents)


def _lock_company(company_id: int) -> Company:
    # FOR NO KEY UPDATE: the order rows each checkout has just inserted hold a KEY SHARE lock
    # on their company (the foreign key); a plain FOR UPDATE would deadlock two checkouts.
    return db.session.scalars(select(Company).where(Company.id == company_id)
                              .with_for_update(key_share=True)
                              .execution_options(populate_existing=True)).one()


def after_approval(order: Order, actor, now: datetime) -> None:
    """What a submitted order waits for before the warehouse, once approvals are done: its
    payment (prepayment terms), or the credit check (on account)."""
    from portal.services.credit.payment import await_payment

    if not await_payment(order, actor, now):
        hold_if_over(order, actor, now)


def hold_if_over(order: Order, actor, now: datetime) -> bool:
    """A submitted order on account that takes the exposure over the limit goes on credit
    hold instead of to the warehouse (with its timeline entry). True when held."""
    if order.status != OrderStatus.SUBMITTED or order.payment_terms == PaymentTerms.PREPAY:
        return False
    company = _lock_company(order.company_id)
    if company.credit_limit_cents is None:
        return False
    view = CreditView(company.credit_limit_cents, exposure_cents(company.id, excluding=order.id),
                      order.total_cents)
    if not view.over:
        return False
    order.status = OrderStatus.CREDIT_HOLD
    db.session.add(new_event(order.id, "credit_hold",
                             {"available": view.available_cents, "currency": order.currency},
                             kind="status", status=OrderStatus.CREDIT_HOLD,
                             actor_id=getattr(actor, "id", None), at=now))
    return True
