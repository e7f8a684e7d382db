"""The scenarios the README promises for each demo sign-in hold whatever day the demo is built.

The demo's history is laid out backwards from `now`; the weekday, the hour and the day of the
month used to decide which order got which status (a dealer whose latest order had no
shipment on some days). Each date below is seeded and every documented scenario checked.
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.demo.seed import seed_demo
from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalStatus,
    AuditEntry,
    Claim,
    ClaimStatus,
    Order,
    OrderEvent,
    OrderStatus,
    Role,
    Shipment,
    Stock,
    User,
)

DATES = [
    # A whole week, Monday to Sunday, at the start of a working day.
    *(datetime(2026, 3, d, 9, 30, tzinfo=UTC) for d in range(2, 9)),
    datetime(2026, 1, 1, 0, 5, tzinfo=UTC),     # New Year, just after midnight
    datetime(2026, 3, 1, 6, 0, tzinfo=UTC),     # a Sunday, first of the month, before work
    datetime(2026, 6, 1, 0, 30, tzinfo=UTC),    # a Monday, first of the month, at night
    datetime(2026, 2, 28, 23, 55, tzinfo=UTC),  # end of February
    datetime(2026, 8, 31, 17, 45, tzinfo=UTC),  # end of a month, end of the day
    datetime(2028, 2, 29, 12, 0, tzinfo=UTC),   # a leap day
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
]
SENT = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _newest(*where) -> Order:
    return db.session.scalars(select(Order).where(*where)
                              .order_by(Order.placed_at.desc(), Order.id.desc())).first()


def _dealer_sees_tracking_of_his_latest_order(now):
    paul = _user("dealer@demo.test")
    latest = _newest(Order.placed_by_id == paul.id)
    assert latest.status in SENT, latest.status
    tracking = db.session.scalars(select(Shipment.tracking_number)
                                  .where(Shipment.order_id == latest.id)).all()
    assert tracking and all(tracking)
    assert (now - latest.placed_at).days <= 7
    split = db.session.scalar(
        select(func.count()).select_from(
            select(Shipment.order_id).join(Order).where(Order.company_id == paul.company_id)
            .group_by(Shipment.order_id).having(func.count() >= 2).subquery()))
    assert split >= 1, "no dealer order in two shipments"


def _buyer_repeats_his_last_order_to_the_jobsite(now):
    julien = _user("buyer@demo.test")
    last = _newest(Order.placed_by_id == julien.id)
    assert last.jobsite_id == julien.last_jobsite_id
    assert last.status in SENT and 6 <= len(last.lines) <= 10
    assert last.subtotal_cents <= julien.order_limit_cents
    products = [line.product for line in last.lines]
    assert any(p.discontinued and p.replacement_id for p in products)
    stock = dict(db.session.execute(
        select(Stock.product_id, func.sum(Stock.quantity)).group_by(Stock.product_id)
        .where(Stock.product_id.in_([p.id for p in products]))).all())
    assert any(stock[p.id] == 0 and not p.discontinued for p in products)
    assert (now - last.placed_at).days <= 7


def _approvals_wait_for_the_manager_and_the_admin(now):
    sophie = _user("manager@demo.test")
    waiting = db.session.scalars(select(ApprovalRequest).where(
        ApprovalRequest.status == ApprovalStatus.PENDING,
        ApprovalRequest.approver_role == Role.APPROVER,
        ApprovalRequest.approver_unit_id == sophie.unit_id)).all()
    assert len(waiting) >= 4
    orders = [db.session.get(Order, r.order_id) for r in waiting]
    assert all(o.status == OrderStatus.PENDING_APPROVAL and o.placed_by_id != sophie.id
               for o in orders)
    second = db.session.scalars(select(ApprovalRequest).where(
        ApprovalRequest.status == ApprovalStatus.WAITING,
        ApprovalRequest.approver_role == Role.COMPANY_ADMIN)).all()
    assert {r.order_id for r in second} & {o.id for o in orders}


def _the_admin_journal_shows_past_decisions(now):
    marc = _user("admin@demo.test")
    decided = db.session.execute(
        select(AuditEntry.action, AuditEntry.at, AuditEntry.actor_id)
        .where(AuditEntry.company_id == marc.company_id)).all()
    assert {"approval.approve", "approval.reject"} <= {action for action, _at, _who in decided}
    assert all(at <= now and who for _action, at, who in decided)
    steps = set(db.session.scalars(select(ApprovalRequest.step).distinct()))
    assert steps == {1, 2}, steps  # numbered from 1, as the portal numbers them


def _warehouse_has_orders_to_confirm_and_to_ship(now):
    statuses = set(db.session.scalars(select(Order.status).distinct()))
    assert {OrderStatus.SUBMITTED, OrderStatus.CONFIRMED} <= statuses
    assert statuses == set(OrderStatus), set(OrderStatus) - statuses


def _nothing_happens_after_now(now):
    assert db.session.scalar(select(func.max(Order.placed_at))) <= now
    assert db.session.scalar(select(func.max(OrderEvent.at))) <= now
    assert db.session.scalar(select(func.max(Shipment.shipped_at))) <= now
    assert (db.session.scalar(select(func.max(ApprovalRequest.decided_at))) or now) <= now
    assert db.session.scalar(select(func.max(Shipment.delivered_at))) <= now
    assert db.session.scalar(select(func.max(Claim.reported_at))) <= now


def _the_accountant_has_an_overdue_invoice_on_the_statement(now):
    from portal.models import User
    from portal.services import billing

    accountant = db.session.scalar(select(User).where(User.email == "compta@demo.test"))
    assert billing.is_billing_contact(accountant)
    found = billing.statement(accountant.company, now.date())
    statuses = {row.status for row in found.rows}
    assert found.overdue_count == 1, found.overdue_count
    assert {"paid", "open", "partly_paid"} <= statuses, statuses
    assert all(row.invoice.issued_at <= now for row in found.rows)


def _staff_see_an_open_claim_on_the_buyers_delivered_order(now):
    from portal.services import claims

    julien = _user("buyer@demo.test")
    (claim,) = claims.queue(ClaimStatus.OPEN)
    assert claim.order.placed_by_id == julien.id and claim.photo_key
    delivered = [s for s in claim.order.shipments if s.delivered_at and s.proof_key]
    assert delivered and all(s.delivered_at <= claim.reported_at <= now for s in delivered)


def _the_hotel_buyer_has_products_to_replace(now):
    from portal.services.ordering.service_due import service_due_for

    due = {item.product.sku[:8]: item.months
           for item in service_due_for(_user("contact@terrasses-vieux-port.demo.test"), now)}
    assert due.get("CHS-CUI-") == 12 and due.get("MNT-FMF-") == 6, due


SCENARIOS = [_the_hotel_buyer_has_products_to_replace,
             _staff_see_an_open_claim_on_the_buyers_delivered_order,
             _dealer_sees_tracking_of_his_latest_order,
             _buyer_repeats_his_last_order_to_the_jobsite,
             _approvals_wait_for_the_manager_and_the_admin,
             _the_admin_journal_shows_past_decisions,
             _warehouse_has_orders_to_confirm_and_to_ship, _nothing_happens_after_now,
             _the_accountant_has_an_overdue_invoice_on_the_statement]


@pytest.mark.parametrize("now", DATES, ids=lambda d: d.strftime("%a-%Y-%m-%d-%H%M"))
def test_every_documented_demo_scenario_holds_on_this_date(now):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8})
    with app.app_context():
        db.create_all()
        seed_demo(now)
        failed = []
        for check in SCENARIOS:
            try:
                check(now)
            except AssertionError as exc:
                failed.append(f"{check.__name__}: {exc}")
        db.session.remove()
    assert not failed, "\n".join(failed)
