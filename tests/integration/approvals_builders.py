"""Builders for the approvals and company tests: rules, steps and routed orders.

Orders are built directly (lines with frozen prices) and routed with the same
`route_new_order` checkout calls, so these tests do not depend on the checkout pages.
"""

import itertools
from datetime import UTC, datetime

from flask import current_app

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalRule,
    ApprovalStep,
    Order,
    OrderLine,
    OrderStatus,
    PaymentTerms,
    Role,
)
from portal.services.approvals.routing import route_new_order

_seq = itertools.count(1)


def rule(company, *steps, name=None, position=None, **conditions) -> ApprovalRule:
    """A rule; each step is a Role, a User, or a (Role | User, min_total_cents) pair."""
    r = ApprovalRule(company_id=company.id, name=name or f"Rule {next(_seq)}", active=True,
                     position=position if position is not None else next(_seq), **conditions)
    for n, step in enumerate(steps, start=1):
        who, minimum = step if isinstance(step, tuple) else (step, None)
        s = ApprovalStep(position=n, min_total_cents=minimum)
        if isinstance(who, Role):
            s.approver_role = who
        else:
            s.approver_user_id = who.id
        r.steps.append(s)
    db.session.add(r)
    db.session.flush()
    return r


def order(buyer, lines, *, jobsite=None, now=None, route=True, commit=True) -> Order:
    """An order of `lines` = [(product, quantity, unit_price_cents)], routed like checkout."""
    now = now or datetime.now(UTC)
    o = Order(number=f"T-{next(_seq):05d}", company_id=buyer.company_id, unit_id=buyer.unit_id,
              jobsite_id=jobsite.id if jobsite else None, placed_by_id=buyer.id,
              payment_terms=PaymentTerms.NET30, currency="EUR", placed_at=now,
              content_version=1, status=OrderStatus.SUBMITTED)  # as checkout flushes it
    for position, (product, quantity, price) in enumerate(lines):
        o.lines.append(OrderLine(position=position, product_id=product.id, sku=product.sku,
                                 name=product.name_fr, quantity=quantity, unit_price_cents=price,
                                 line_total_cents=quantity * price))
    o.subtotal_cents = o.total_cents = sum(line.line_total_cents for line in o.lines)
    db.session.add(o)
    if route:
        with current_app.test_request_context():
            route_new_order(o, buyer, now)
    if commit:
        db.session.commit()
    return o


def requests_of(order_obj) -> list[ApprovalRequest]:
    return list(db.session.scalars(
        db.select(ApprovalRequest).where(ApprovalRequest.order_id == order_obj.id)
        .order_by(ApprovalRequest.step, ApprovalRequest.id)))
