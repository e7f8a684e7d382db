"""One approval link used twice at the same instant (a double tap, a forwarded copy), and a
link racing the inbox: exactly one decision, the other told the link is used.

PostgreSQL only (SQLite has no row locks); a barrier releases the two threads together.
"""

import threading
from datetime import UTC, datetime

import pytest

from portal.extensions import db
from portal.models import ApprovalRequest, ApprovalStatus, Order, OrderStatus, Role, User
from portal.services import DomainError, approvals
from portal.services.approvals import links
from tests import factories as f

ROUNDS = 100  # × 2 kinds of race
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _setup():
    company = f.company("Link Race Co")
    branch = f.unit(company, "Agence")
    approver = f.user(company, Role.APPROVER, unit_id=branch.id)
    other = f.user(company, Role.APPROVER, unit_id=branch.id)
    buyer = f.user(company, Role.BUYER, unit_id=branch.id, order_limit_cents=1_000)
    product = f.product(f.category("Race"), "RACE-L1")
    f.rule(company, Role.APPROVER, when_over_order_limit=True)
    db.session.commit()
    return approver, other, buyer, product


def _use(app, how, request_id, token, other_id, barrier, results, index):
    with app.app_context(), app.test_request_context():
        try:
            barrier.wait()
            if how == "link":
                approvals.approve_by_link(request_id, token, {}, NOW)
            else:
                approvals.reject(db.session.get(User, other_id),
                                 db.session.get(ApprovalRequest, request_id), "Non", NOW)
            db.session.commit()
            results[index] = "won"
        except DomainError:
            db.session.rollback()
            results[index] = "refused"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            db.session.rollback()
            results[index] = repr(exc)
        finally:
            db.session.remove()


@pytest.mark.postgres
@pytest.mark.parametrize("race", [("link", "link"), ("link", "inbox")])
def test_a_link_used_twice_at_once_makes_exactly_one_decision(figure, pg_app, race):
    approver, other, buyer, product = _setup()
    exactly_one, failures = 0, []
    for _ in range(ROUNDS):
        order = f.order(buyer, [(product, 1, 5_000)], placed_at=NOW, route=True)
        [req] = f.requests_of(order)
        with pg_app.test_request_context():
            token = links.issue_token(req, approver, order, NOW)
        db.session.commit()
        barrier = threading.Barrier(2)
        results = [None, None]
        threads = [threading.Thread(target=_use, args=(
            pg_app, race[i], req.id, token, other.id, barrier, results, i)) for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        db.session.expire_all()
        decided = db.session.get(ApprovalRequest, req.id)
        status = db.session.get(Order, order.id).status
        if sorted(results) == ["refused", "won"] and (decided.status, status) in (
                (ApprovalStatus.APPROVED, OrderStatus.SUBMITTED),
                (ApprovalStatus.REJECTED, OrderStatus.REJECTED)):
            exactly_one += 1
        else:
            failures.append((results, decided.status, status))
    figure(f"approval link {'/'.join(race)}: {ROUNDS} rounds, exactly one decision in "
           f"{exactly_one}")
    assert exactly_one == ROUNDS, failures[:5]
