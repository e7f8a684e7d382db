"""Several buyers of one unit (or of sibling units under one budgeted parent) submit at the
same instant under a rule "unit over its monthly budget": the orders that skip approval never
add up to more than the budget. Each order is counted under a lock on every budgeted unit
it draws on, so they are routed one after the other.

PostgreSQL only (on SQLite the order's insert already takes the one write lock, so routing
is serial there); prints the figures.
"""


import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Order, OrderStatus, Role, UnitKind
from portal.services.approvals.routing import route_new_order
from tests import factories as f
from tests.concurrency.bursts import decide_together

ROUNDS = 25
BUYERS = 4
BUDGET = 100_000
ORDER = BUDGET * 3 // 10  # three fit in the budget, the fourth must wait for approval


def _race(app, buyers, product, jobsites) -> tuple[int, list]:
    """One round: every buyer submits at once; returns the cents submitted without approval."""
    results = decide_together(app, [b.id for b in buyers], product.id, ORDER, route_new_order,
                              [site.id if site else None for site in jobsites])
    db.session.expire_all()
    ids = [buyer.id for buyer in buyers]
    unapproved = db.session.scalar(select(func.coalesce(func.sum(Order.subtotal_cents), 0)).where(
        Order.placed_by_id.in_(ids), Order.status == OrderStatus.SUBMITTED))
    placed = db.session.scalar(select(func.count(Order.id)).where(Order.placed_by_id.in_(ids)))
    assert placed == len(buyers), results
    return unapproved, results


def _run(figure, app, label, build):
    company = f.company(f"{label} Co")
    f.user(company, Role.COMPANY_ADMIN)
    product = f.product(f.category(label), f"{label[:3].upper()}-1")
    f.rule(company, Role.COMPANY_ADMIN, when_over_unit_budget=True)
    db.session.commit()
    overspent, worst, outcomes = 0, 0, []
    for n in range(ROUNDS):
        buyers, jobsites = build(company, n)
        db.session.commit()
        unapproved, results = _race(app, buyers, product, jobsites)
        outcomes.append(results)
        worst = max(worst, unapproved)
        overspent += unapproved > BUDGET
    figure(f"{label} budget race: {ROUNDS} rounds × {BUYERS} buyers of 0.3 X at once, "
           f"overspent in {overspent}, most spent without approval {worst / BUDGET:.1f} X")
    assert overspent == 0, outcomes[:3]


@pytest.mark.postgres
def test_buyers_of_one_unit_at_once_cannot_overspend_its_monthly_budget(figure, pg_app):
    def build(company, n):
        branch = f.unit(company, f"Agence {n}", budget_cents=BUDGET)
        jobsite = f.unit(company, f"Chantier {n}", UnitKind.JOBSITE, parent=branch)
        buyers = [f.user(company, Role.BUYER, unit_id=branch.id) for _ in range(BUYERS)]
        # Half of them deliver to the branch's jobsite: the same budget, another path to it.
        return buyers, [jobsite if i % 2 else None for i in range(BUYERS)]

    _run(figure, pg_app, "unit", build)


@pytest.mark.postgres
def test_buyers_of_sibling_units_at_once_cannot_overspend_their_parents_budget(figure, pg_app):
    def build(company, n):
        division = f.unit(company, f"Division {n}", UnitKind.DIVISION, budget_cents=BUDGET)
        branches = [f.unit(company, f"Agence {n}.{i}", parent=division) for i in range(2)]
        buyers = [f.user(company, Role.BUYER, unit_id=branches[i % 2].id)
                  for i in range(BUYERS)]
        return buyers, [None] * BUYERS

    _run(figure, pg_app, "parent-unit", build)
