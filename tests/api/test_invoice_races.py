"""Races on PostgreSQL through the API: payments sent at once never pay more than the invoice
(billing locks the invoice row), and one ERP number registered at once gives one invoice."""

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Invoice, InvoicePayment, OrderStatus
from portal.services import integration
from tests import factories as f

TODAY = datetime.now(UTC).date()


def _at_once(app, n, request):
    """Run request(i) from n threads released together; their answers."""
    barrier, answers = threading.Barrier(n), [None] * n

    def send(i):
        with app.app_context():
            try:
                barrier.wait()
                answers[i] = request(app.test_client(), i)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def _erp_invoice(number: str, line_id: int, quantity: int) -> dict:
    base = quantity * 100
    return {"number": number, "issued_on": str(TODAY), "due_on": str(TODAY),
            "lines": [{"line_id": line_id, "quantity": quantity, "unit_price_cents": 100,
                       "tax_rate_bp": 2000}],
            "vat": [{"rate_bp": 2000, "base_cents": base, "tax_cents": base // 5}],
            "total_cents": base + base // 5}


def test_payments_and_registrations_at_once_on_postgresql(pg_app, figure):
    pg_app.config["INVOICES_ISSUED_BY"] = "erp"
    buyer = f.user(f.company(), email="buyer@race.test")
    product = f.product(f.category(), "RACE-INV", tiers={1: 100})
    order = f.order(buyer, [(product, 50)], status=OrderStatus.CONFIRMED, commit=True)
    line_id = order.lines[0].id
    _client, token = integration.create_client(
        "ERP race", ["fulfilment:write", "payments:write"], now=datetime.now(UTC))
    db.session.commit()
    auth = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/orders/{order.id}/invoices"

    registered = _at_once(pg_app, 8, lambda http, i: http.post(
        url, json=_erp_invoice("RACE-0001", line_id, 1 + i), headers=auth))
    created = [a for a in registered if a.status_code == 201]
    assert len(created) == 1, [a.status_code for a in registered]
    assert {a.status_code for a in registered} - {201} == {409}
    total = created[0].get_json()["total_cents"]

    # Payments of just over a third of the total: a third one would pay more than the invoice.
    part = total // 3 + 1
    paid = _at_once(pg_app, 8, lambda http, i: http.post(
        "/api/v1/invoices/RACE-0001/payments",
        json={"amount_cents": part, "received_on": str(TODAY), "reference": f"VIR {i}"},
        headers=auth))
    db.session.expire_all()
    statuses = sorted(a.status_code for a in paid)
    recorded = db.session.scalar(select(func.coalesce(func.sum(InvoicePayment.amount_cents), 0)))
    invoices = db.session.scalar(select(func.count()).select_from(Invoice))
    figure(f"invoice races (PostgreSQL): 8 registrations of one number -> {invoices} invoice; "
           f"8 payments of {part} on {total} -> {statuses.count(201)} recorded "
           f"({recorded} cents), the rest {sorted(set(statuses) - {201})}")
    assert invoices == 1
    assert statuses.count(201) == 2 and set(statuses) == {201, 422}
    assert recorded == 2 * part <= total
