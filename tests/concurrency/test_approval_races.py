"""Two approvers decide the same step at the same instant: exactly one decision wins.

PostgreSQL only (SQLite has no row locks): each thread has its own app context, session and
transaction; a barrier releases them together. Prints the figure.
"""

import threading
from datetime import UTC, datetime

import pytest

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalStatus,
    Order,
    OrderEvent,
    OrderStatus,
    Role,
    User,
)
from portal.services.approvals import decisions
from tests import factories as f

ROUNDS = 500  # × 2 pairs of actions = 1,000 races


def _setup():
    company = f.company("Race Co")
    branch = f.unit(company, "Agence")
    approvers = [f.user(company, Role.APPROVER, unit_id=branch.id) for _ in range(2)]
    f.user(company, Role.COMPANY_ADMIN)
    buyer = f.user(company, Role.BUYER, unit_id=branch.id, order_limit_cents=1_000)
    product = f.product(f.category("Race"), "RACE-1")
    f.rule(company, Role.APPROVER, when_over_order_limit=True)
    db.session.commit()
    return approvers, buyer, product


def _decide(app, user_id, request_id, action, barrier, results, index):
    with app.app_context(), app.test_request_context():
        try:
            user = db.session.get(User, user_id)
            req = db.session.get(ApprovalRequest, request_id)
            barrier.wait()
            now = datetime.now(UTC)
            if action == "approve":
                decisions.approve(user, req, now)
            else:
                decisions.reject(user, req, "Non", now)
            db.session.commit()
            results[index] = "won"
        except decisions.AlreadyDecided:
            db.session.rollback()
            results[index] = "already"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            db.session.rollback()
            results[index] = repr(exc)
        finally:
            db.session.remove()


@pytest.mark.postgres
@pytest.mark.parametrize("actions", [("approve", "approve"), ("approve", "reject")])
def test_two_approvers_deciding_at_once_make_exactly_one_decision(figure, pg_app, actions):
    approvers, buyer, product = _setup()
    exactly_one, failures = 0, []
    for _ in range(ROUNDS):
        order = f.order(buyer, [(product, 1, 5_000)], route=True)
        [req] = f.requests_of(order)
        barrier = threading.Barrier(2)
        results = [None, None]
        threads = [threading.Thread(target=_decide, args=(
            pg_app, approvers[i].id, req.id, actions[i], barrier, results, i)) for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        db.session.expire_all()
        decided = db.session.get(ApprovalRequest, req.id)
        events = db.session.scalar(db.select(db.func.count(OrderEvent.id)).where(
            OrderEvent.order_id == order.id, OrderEvent.actor_id.in_(
                [a.id for a in approvers]), OrderEvent.kind == "approval"))
        status = db.session.get(Order, order.id).status
        expected = {ApprovalStatus.APPROVED: OrderStatus.SUBMITTED,
                    ApprovalStatus.REJECTED: OrderStatus.REJECTED}
        if (sorted(results) == ["already", "won"] and events == 1
                and expected.get(decided.status) == status):
            exactly_one += 1
        else:
            failures.append((results, decided.status, status, events))
    figure(f"{'/'.join(actions)}: {ROUNDS} rounds, exactly one decision in {exactly_one}")
    assert exactly_one == ROUNDS, failures[:5]
