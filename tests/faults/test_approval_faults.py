"""Faults: an exception at any step of an approval decision leaves nothing half-done, and a
retry of the same tap then decides exactly once (a second retry is told it is decided).

Each step is made to fail right after it ran, so its writes are in the transaction when the
fault hits: the conditional status update, the trim of the lines, the re-asking of earlier
approvals, the order event, the audit entry, the re-routing to the next step, the emails to
the next approvers and to the buyer.
"""

import importlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    ApprovalStatus,
    AuditEntry,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    OutboxMessage,
    Role,
)
from portal.services.approvals import decisions
from tests import factories as f
from tests.conftest import htmx_headers, login

CLAIM = ("portal.services.approvals.decisions", "_claim")
EVENT = ("portal.services.approvals.decisions", "_event")
AUDIT = ("portal.services.approvals.decisions", "record")
ADVANCE = ("portal.services.approvals.decisions", "_advance")
TRIM = ("portal.services.approvals.decisions", "_apply_trim")
REOPEN = ("portal.services.approvals.decisions", "_reopen")
NEXT_APPROVERS = ("portal.services.approvals.routing", "notify_approvers")
BUYER_EMAIL = ("portal.services.approvals.decisions", "queue_email")

# scenario: (steps, who decides, the request's step, the order's lines, the decision asked)
SCENARIOS = {
    "approve, last step": ([CLAIM, EVENT, AUDIT, ADVANCE, BUYER_EMAIL], "approver", 1,
                           [("cement", 10, 15_000)], "approve"),
    "approve, next step": ([CLAIM, EVENT, AUDIT, ADVANCE, NEXT_APPROVERS, BUYER_EMAIL],
                           "approver", 1, [("cement", 4, 150_000)], "approve"),
    "reject with comment": ([CLAIM, EVENT, AUDIT, BUYER_EMAIL], "approver", 1,
                            [("cement", 4, 150_000)], "reject"),
    "trim then approve": ([CLAIM, TRIM, REOPEN, EVENT, AUDIT, ADVANCE, NEXT_APPROVERS,
                           BUYER_EMAIL], "admin", 2,
                          [("cement", 4, 150_000), ("screws", 10, 80)], "trim"),
}


def _state(order_id: int) -> tuple:
    """Everything a decision may change, as plain values."""
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    lines = db.session.execute(
        select(OrderLine.id, OrderLine.quantity, OrderLine.line_total_cents)
        .where(OrderLine.order_id == order_id).order_by(OrderLine.id)).all()
    counts = tuple(db.session.scalar(select(func.count()).select_from(m))
                   for m in (OrderEvent, AuditEntry, OutboxMessage))
    return ((order.status, order.content_version, order.subtotal_cents, order.tax_cents,
             order.total_cents),
            tuple((r.id, r.status, r.content_version, r.decided_by_id, r.comment)
                  for r in f.requests_of(order)),
            tuple(tuple(line) for line in lines), counts)


def _waiting_order(app, world, lines, step: int):
    """A routed order whose request of `step` is pending (earlier steps approved)."""
    order = f.order(world.a.buyer, [(world.products[k], q, p) for k, q, p in lines], route=True)
    requests = f.requests_of(order)
    with app.test_request_context():
        for earlier in requests[:step - 1]:
            decisions.approve(world.a.approver, earlier, datetime.now(UTC))
        db.session.commit()
    req = f.requests_of(order)[step - 1]
    assert req.status == ApprovalStatus.PENDING and order.status == OrderStatus.PENDING_APPROVAL
    return order, req


def _tap(client, decision: str, req, order):
    """The user's tap: approve from the inbox (htmx), reject or trim from the detail page."""
    if decision == "approve":
        return client.post(f"/approvals/{req.id}/approve", data={"from": "inbox"},
                           headers=htmx_headers("inbox"))
    if decision == "reject":
        return client.post(f"/approvals/{req.id}/reject", data={"comment": "Trop cher"})
    cement = min(line.id for line in order.lines)
    return client.post(f"/approvals/{req.id}/trim",
                       data={f"qty-{cement}": "3", "comment": "Trois suffisent"})


def _fail_after(monkeypatch, module: str, name: str, hits: list):
    target = importlib.import_module(module)
    original = getattr(target, name)

    def broken(*args, **kwargs):
        original(*args, **kwargs)
        hits.append(name)
        raise RuntimeError(f"injected fault after {name}")

    monkeypatch.setattr(target, name, broken)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_fault_at_any_step_of_a_decision_changes_nothing_and_a_retry_decides_once(
        figure, app, client, world, monkeypatch, scenario):
    steps, decider, step, lines, decision = SCENARIOS[scenario]
    f.rule(world.a.company, Role.APPROVER, (Role.COMPANY_ADMIN, 500_000),
           when_over_order_limit=True)
    db.session.commit()
    login(client, getattr(world.a, decider))
    ok = 200 if decision == "approve" else 303
    half_done, retried_once = [], 0
    for module, name in steps:
        order, req = _waiting_order(app, world, lines, step)
        before = _state(order.id)
        hits: list = []
        with monkeypatch.context() as patch:
            _fail_after(patch, module, name, hits)
            failed = _tap(client, decision, req, order)
        assert hits == [name], f"{scenario}: {name} was not reached"
        assert failed.status_code == 500
        if decision == "approve":
            assert failed.headers["HX-Retarget"] == "#alerts"
        if _state(order.id) != before:
            half_done.append(name)
            continue
        retried = _tap(client, decision, req, order)
        after = _state(order.id)
        replayed = _tap(client, decision, req, order)
        decided = [r for r in after[1] if r[0] == req.id][0]
        if (retried.status_code == ok and replayed.status_code == 409
                and decided[1] != ApprovalStatus.PENDING and _state(order.id) == after
                and after[3][1] == before[3][1] + 1):  # one audit entry: one decision
            retried_once += 1
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    figure(f"approval faults, {scenario} [{backend}]: "
           f"{len(steps)} steps, {len(half_done)} half-done changes, "
           f"{retried_once} retries each decided once (a second retry: 409)")
    assert half_done == []
    assert retried_once == len(steps)
