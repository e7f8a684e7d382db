"""A buyer with X left in the monthly budget submits two orders of 0.6 X at the same instant:
at most one goes through without approval (the buyer's row is locked while routing).

PostgreSQL only; prints the figure.
"""

import pytest

from portal.extensions import db
from portal.models import Order, OrderStatus, Role
from portal.services.approvals.routing import route_new_order
from tests import factories as f
from tests.concurrency.bursts import decide_together

ROUNDS = 50
BUDGET = 100_000


@pytest.mark.postgres
def test_two_orders_at_once_cannot_both_slip_under_the_monthly_budget(figure, pg_app):
    company = f.company("Budget Co")
    branch = f.unit(company, "Agence")
    f.user(company, Role.APPROVER, unit_id=branch.id)
    product = f.product(f.category("Budget"), "BUD-1")
    f.rule(company, Role.APPROVER, when_over_user_budget=True)
    db.session.commit()
    safe, outcomes = 0, []
    for _ in range(ROUNDS):
        buyer = f.user(company, Role.BUYER, unit_id=branch.id, monthly_budget_cents=BUDGET)
        db.session.commit()
        outcomes.append(decide_together(pg_app, [buyer.id, buyer.id], product.id,
                                        BUDGET * 6 // 10, route_new_order))
        submitted = db.session.scalar(db.select(db.func.count(Order.id)).where(
            Order.placed_by_id == buyer.id, Order.status == OrderStatus.SUBMITTED))
        placed = db.session.scalar(db.select(db.func.count(Order.id)).where(
            Order.placed_by_id == buyer.id))
        if placed == 2 and submitted <= 1:
            safe += 1
    figure(f"budget race: {ROUNDS} rounds of two orders of 0.6 X, "
          f"at most one without approval in {safe}")
    assert safe == ROUNDS, outcomes[:5]
