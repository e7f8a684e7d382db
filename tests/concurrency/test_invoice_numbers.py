"""Shipments recorded at the same instant on PostgreSQL: every invoice gets its own number and
the numbers of the year run without a gap (the counter row is locked FOR UPDATE while a
number is taken; the first number of a year is created once, ON CONFLICT DO NOTHING).

PostgreSQL only; prints the figure.
"""

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Invoice, Order, OrderStatus, Role, User
from portal.services import fulfilment
from tests import factories as f

ROUNDS = 3
AT_ONCE = 8


def _ship(app, order_id, staff_id, barrier, results, index):
    with app.app_context(), app.test_request_context():
        try:
            order = db.session.get(Order, order_id)
            staff = db.session.get(User, staff_id)
            quantities = {line.id: str(line.quantity) for line in order.lines}
            barrier.wait()
            fulfilment.record_shipment(order, staff, quantities, "", "", None,
                                       datetime(2031, 3, 1, 9, tzinfo=UTC))
            db.session.commit()
            results[index] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            db.session.rollback()
            results[index] = repr(exc)
        finally:
            db.session.remove()


@pytest.mark.postgres
def test_shipments_at_once_get_consecutive_invoice_numbers(figure, pg_app):
    product = f.product(f.category("Factures"), "FAC-1")
    company = f.company("Numbering Co")
    buyer = f.user(company, Role.BUYER)
    staff = f.user(None, Role.FULFILMENT)
    db.session.commit()
    outcomes = []
    for _round in range(ROUNDS):
        orders = [f.order(buyer, [(product, 2, 500)], status=OrderStatus.CONFIRMED)
                  for _ in range(AT_ONCE)]
        db.session.commit()
        barrier = threading.Barrier(AT_ONCE)
        results = [None] * AT_ONCE
        threads = [threading.Thread(target=_ship, args=(
            pg_app, orders[i].id, staff.id, barrier, results, i)) for i in range(AT_ONCE)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        outcomes.extend(results)
    db.session.expire_all()
    numbers = db.session.scalars(select(Invoice.number).order_by(Invoice.sequence)).all()
    expected = [f"FA-2031-{n:06d}" for n in range(1, ROUNDS * AT_ONCE + 1)]
    figure(f"invoice numbers: {ROUNDS} rounds of {AT_ONCE} shipments at once, "
           f"{len(numbers)} invoices, {len(set(numbers))} distinct numbers, "
           f"gaps {len(set(expected) - set(numbers))}")
    assert outcomes == ["ok"] * (ROUNDS * AT_ONCE), outcomes
    assert numbers == expected
