"""Two checkouts of one company at the same instant, each within the credit left but together
over it: at most one goes to the warehouse unreviewed, the other waits on credit hold (the
company row is locked while the exposure is read).

PostgreSQL only; prints the figure.
"""

import pytest

from portal.extensions import db
from portal.models import Order, OrderStatus, Role
from portal.services.credit import hold_if_over
from tests import factories as f
from tests.concurrency.bursts import decide_together

ROUNDS = 30
LIMIT = 100_000


@pytest.mark.postgres
def test_two_checkouts_at_once_cannot_both_pass_the_credit_limit(figure, pg_app):
    product = f.product(f.category("Crédit"), "CRE-1")
    db.session.commit()
    safe, outcomes = 0, []
    for n in range(ROUNDS):
        company = f.company(f"Credit Co {n}", credit_limit_cents=LIMIT)
        buyers = [f.user(company, Role.BUYER) for _ in (0, 1)]
        db.session.commit()
        outcomes.append(decide_together(pg_app, [b.id for b in buyers], product.id,
                                        LIMIT * 6 // 10, hold_if_over))
        statuses = sorted(db.session.scalars(db.select(Order.status).where(
            Order.company_id == company.id)))
        if statuses == sorted([OrderStatus.SUBMITTED, OrderStatus.CREDIT_HOLD]):
            safe += 1
    figure(f"credit race: {ROUNDS} rounds of two checkouts of 0.6 × the limit at once, "
           f"one submitted and one on credit hold in {safe}")
    assert safe == ROUNDS, outcomes[:5]


TRIALS = 8


def test_two_buyers_check_out_at_once_through_the_pages(figure, app, world):
    """The real checkout, both databases: two buyers of one company, each cart within the
    credit left, together over it; every trial ends with one order submitted and one held,
    no error page, no deadlock."""
    from sqlalchemy import func, select

    from portal.models import Company
    from tests.concurrency.bursts import post_together
    from tests.conftest import login
    from tests.factories import cart_with, checkout_token

    buyers = [world.a.buyer, f.user(world.a.company, Role.BUYER, unit_id=world.a.branch.id,
                                    order_limit_cents=100_000)]
    db.session.commit()
    clients = [app.test_client() for _ in buyers]
    for client, buyer in zip(clients, buyers, strict=True):
        login(client, buyer)
    site = world.a.sites[0]
    wrong = []
    for trial in range(TRIALS):
        # Each cart: 6 × 8.50 = 51.00 + 20 % = 61.20; 100 € left on the account.
        company = db.session.get(Company, world.a.company.id)
        open_now = db.session.scalar(select(func.coalesce(func.sum(Order.total_cents), 0))
                                     .where(Order.company_id == company.id,
                                            Order.status == OrderStatus.SUBMITTED))
        company.credit_limit_cents = open_now + 10_000
        db.session.commit()
        for buyer in buyers:
            cart_with(buyer, (world.products["cement"], 6))
        before = db.session.scalar(select(func.max(Order.id))) or 0
        forms = [{"token": checkout_token(c), "place": f"jobsite:{site.id}"} for c in clients]
        answers = post_together(app, clients, "/checkout/", forms)
        db.session.expire_all()
        statuses = sorted(db.session.scalars(select(Order.status).where(Order.id > before)))
        codes = [a.status_code for a in answers]
        if codes != [303, 303] or statuses != sorted([OrderStatus.SUBMITTED,
                                                      OrderStatus.CREDIT_HOLD]):
            wrong.append((trial, codes, statuses))
        # The held order is released so the next trial starts from a clean exposure.
        for order in db.session.scalars(select(Order).where(
                Order.status == OrderStatus.CREDIT_HOLD)):
            order.status = OrderStatus.CANCELLED
        db.session.commit()
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    figure(f"credit race through checkout ({backend}): {TRIALS} trials of two buyers at once, "
           f"{len(wrong)} wrong")
    assert wrong == [], wrong[:3]
