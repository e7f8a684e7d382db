"""Invoices through the API: read with lines, VAT per rate, status, what is left and payments
(a customer's token sees its company's only: another's is 404); payments recorded by the
billing service's own rule (never more than what is left, nothing written), audited with the
client's name, idempotent; webhooks invoice.issued and invoice.paid."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, Invoice, InvoicePayment, OrderStatus, WebhookDelivery
from portal.services import DomainError, billing, integration
from tests import factories as f
from tests.api.conftest import assert_problem

TODAY = datetime.now(UTC).date()


def shipped_invoice(caller, world, buyer=None) -> dict:
    """Flour at 5.5 % (24.00) and screws at 20 % (10.00), shipped by the ERP: 37.32."""
    o = f.order(buyer or world.a.buyer,
                [(world.products["flour"], 20, 120, {"tax_rate_bp": 550}),
                 (world.products["screws"], 10, 100, {"tax_rate_bp": 2000})],
                status=OrderStatus.CONFIRMED, tax_cents=332, commit=True)
    o.total_cents = o.subtotal_cents + o.tax_cents
    db.session.commit()
    answer = caller.post(f"/api/v1/orders/{o.id}/shipments", {
        "lines": [{"line_id": line.id, "quantity": line.quantity} for line in o.lines]})
    assert answer.status_code == 200, answer.get_json()
    page = caller.get("/api/v1/invoices").get_json()
    return next(i for i in page["data"] if i["order_id"] == o.id)


@pytest.fixture
def erp(make_caller):
    return make_caller("fulfilment:write", "orders:read", "payments:write", name="Bank sync")


def _payments() -> int:
    return db.session.scalar(select(func.count()).select_from(InvoicePayment))


def test_an_invoice_reads_with_lines_vat_per_rate_status_and_what_is_left(app, erp, world):
    invoice = shipped_invoice(erp, world)
    assert invoice["number"].startswith(f"FA-{TODAY.year}-")
    assert invoice["issued_by"] == "portal" and invoice["kind"] == "invoice"
    assert (invoice["subtotal_cents"], invoice["tax_cents"], invoice["total_cents"]) == \
        (3400, 332, 3732)
    assert invoice["vat"] == [{"rate_bp": 2000, "base_cents": 1000, "tax_cents": 200},
                              {"rate_bp": 550, "base_cents": 2400, "tax_cents": 132}]
    assert [(line["sku"], line["quantity"]) for line in invoice["lines"]] == \
        [("FAR-T55", 20), ("VIS-440", 10)]
    assert invoice["status"] == "open" and invoice["outstanding_cents"] == 3732
    one = erp.get(f"/api/v1/invoices/{invoice['number']}")
    assert one.status_code == 200 and one.get_json() == invoice


def test_a_payment_is_recorded_audited_with_the_client_and_lowers_what_is_left(app, erp, world):
    number = shipped_invoice(erp, world)["number"]
    answer = erp.post(f"/api/v1/invoices/{number}/payments", {
        "amount_cents": 1000, "received_on": TODAY.isoformat(), "reference": "VIR 2231"})
    body = answer.get_json()
    assert answer.status_code == 201, body
    assert body["status"] == "partly_paid" and body["outstanding_cents"] == 2732
    assert body["payments"] == [{"amount_cents": 1000, "received_on": TODAY.isoformat(),
                                 "reference": "VIR 2231"}]
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "invoice.payment")).all()
    assert entry.detail["api_client"] == "Bank sync" and entry.detail["left_cents"] == 2732
    # The statement (the billing page's own rows) says the same.
    paid = erp.post(f"/api/v1/invoices/{number}/payments", {
        "amount_cents": 2732, "received_on": TODAY.isoformat()}).get_json()
    assert paid["status"] == "paid" and paid["outstanding_cents"] == 0


@pytest.mark.parametrize(("body", "pointer"), [
    ({"amount_cents": 12.5, "received_on": str(TODAY)}, "/amount_cents"),
    ({"amount_cents": "1000", "received_on": str(TODAY)}, "/amount_cents"),
    ({"amount_cents": -5, "received_on": str(TODAY)}, "/amount_cents"),
    ({"amount_cents": 0, "received_on": str(TODAY)}, "/amount_cents"),
    ({"amount_cents": 3733, "received_on": str(TODAY)}, "/amount_cents"),
    ({"amount_cents": 100, "received_on": str(TODAY + timedelta(days=1))}, "/received_on"),
    ({"amount_cents": 100, "received_on": "demain"}, "/received_on"),
    ({"amount_cents": 100}, "/received_on"),
    ({"amount_cents": 100, "received_on": str(TODAY), "reference": "x" * 81}, "/reference"),
])
def test_a_bad_payment_is_422_at_its_field_and_nothing_is_written(app, erp, world, body,
                                                                  pointer):
    number = shipped_invoice(erp, world)["number"]
    problem = assert_problem(erp.post(f"/api/v1/invoices/{number}/payments", body), 422)
    assert pointer in [e.get("pointer") for e in problem["errors"]], problem
    assert _payments() == 0
    assert erp.get(f"/api/v1/invoices/{number}").get_json()["outstanding_cents"] == 3732


def test_more_than_what_is_left_names_the_amount_left(app, erp, world):
    number = shipped_invoice(erp, world)["number"]
    erp.post(f"/api/v1/invoices/{number}/payments",
             {"amount_cents": 3000, "received_on": str(TODAY)})
    problem = assert_problem(erp.post(f"/api/v1/invoices/{number}/payments", {
        "amount_cents": 733, "received_on": str(TODAY)}, headers={"Accept-Language": "en"}),
        422)
    assert "7.32" in problem["detail"] and problem["errors"][0]["pointer"] == "/amount_cents"
    assert _payments() == 1


def test_an_unknown_invoice_or_a_credit_note_is_404(app, erp, world):
    assert_problem(erp.post("/api/v1/invoices/FA-2020-999999/payments", {
        "amount_cents": 100, "received_on": str(TODAY)}), 404, "not_found")
    assert_problem(erp.get("/api/v1/invoices/FA-2020-999999"), 404, "not_found")
    number = shipped_invoice(erp, world)["number"]
    invoice_id = db.session.scalar(select(Invoice.id).where(Invoice.number == number))
    with app.test_request_context():
        note = billing.credit_note(world.staff, invoice_id, {1: "2"}, "Abîmés",
                                   datetime.now(UTC))
    db.session.commit()
    assert_problem(erp.post(f"/api/v1/invoices/{note.number}/payments", {
        "amount_cents": 100, "received_on": str(TODAY)}), 404, "not_found")
    assert _payments() == 0


def test_a_retried_payment_with_its_key_is_recorded_once(app, erp, world):
    number = shipped_invoice(erp, world)["number"]
    body = {"amount_cents": 500, "received_on": str(TODAY), "reference": "VIR 1"}
    key = {"Idempotency-Key": "pay-7f3a"}
    first = erp.post(f"/api/v1/invoices/{number}/payments", body, headers=key)
    again = erp.post(f"/api/v1/invoices/{number}/payments", body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert _payments() == 1
    other = erp.post(f"/api/v1/invoices/{number}/payments", {**body, "amount_cents": 600},
                     headers=key)
    assert_problem(other, 409, "idempotency_key_reused")
    assert _payments() == 1


def test_a_customer_token_reads_its_company_invoices_only(app, erp, make_caller, world):
    ours = shipped_invoice(erp, world)
    theirs = shipped_invoice(erp, world, buyer=world.b.buyer)
    customer = make_caller("orders:read", company=world.a.company, name="A's procurement")
    listed = customer.get("/api/v1/invoices").get_json()["data"]
    assert [i["number"] for i in listed] == [ours["number"]]
    assert customer.get(f"/api/v1/invoices/{ours['number']}").status_code == 200
    assert_problem(customer.get(f"/api/v1/invoices/{theirs['number']}"), 404, "not_found")
    # A customer's client cannot hold payments:write at all.
    with app.test_request_context(), pytest.raises(DomainError, match="payments:write"):
        make_caller("payments:write", company=world.a.company)
    db.session.rollback()


def test_the_feed_pages_by_cursor_and_a_payment_brings_an_invoice_back(app, erp, world):
    first = shipped_invoice(erp, world)
    second = shipped_invoice(erp, world)
    page = erp.get("/api/v1/invoices?limit=1").get_json()
    assert [i["number"] for i in page["data"]] == [first["number"]] and page["has_more"]
    page = erp.get(f"/api/v1/invoices?limit=1&cursor={page['next_cursor']}").get_json()
    assert [i["number"] for i in page["data"]] == [second["number"]]
    cursor = page["next_cursor"]
    assert erp.get(f"/api/v1/invoices?cursor={cursor}").get_json()["data"] == []
    erp.post(f"/api/v1/invoices/{first['number']}/payments",
             {"amount_cents": 100, "received_on": str(TODAY)})
    changed = erp.get(f"/api/v1/invoices?cursor={cursor}").get_json()
    assert [i["number"] for i in changed["data"]] == [first["number"]]
    # A credit note against the second brings it back, with the note itself.
    invoice_id = db.session.scalar(select(Invoice.id).where(
        Invoice.number == second["number"]))
    with app.test_request_context():
        billing.credit_note(world.staff, invoice_id, {1: "2"}, "Sacs abîmés", datetime.now(UTC))
    db.session.commit()
    later = erp.get(f"/api/v1/invoices?cursor={changed['next_cursor']}").get_json()["data"]
    assert sorted((i["kind"], i["credits"]) for i in later) == [
        ("credit_note", second["number"]), ("invoice", None)]
    assert next(i for i in later if i["kind"] == "invoice")["credited_cents"] == 253
    since = (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert erp.get("/api/v1/invoices", query_string={"updated_since": since}
                   ).get_json()["data"] == []
    assert_problem(erp.get("/api/v1/invoices?cursor=nonsense"), 400, "bad_parameter")


def test_webhooks_tell_an_invoice_issued_then_paid(app, erp, world):
    integration.subscribe(erp.client, "https://erp.example/hooks",
                          ["invoice.issued", "invoice.paid"], datetime.now(UTC))
    db.session.commit()
    invoice = shipped_invoice(erp, world)
    erp.post(f"/api/v1/invoices/{invoice['number']}/payments",
             {"amount_cents": 3000, "received_on": str(TODAY)})
    erp.post(f"/api/v1/invoices/{invoice['number']}/payments",
             {"amount_cents": 732, "received_on": str(TODAY)})
    rows = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    assert [r.event for r in rows] == ["invoice.issued", "invoice.paid"]
    assert rows[0].payload["data"]["number"] == invoice["number"]
    assert rows[0].payload["data"]["total_cents"] == 3732
    assert rows[1].payload["data"]["number"] == invoice["number"]


def test_received_on_defaults_nothing_and_dates_are_iso(app, erp, world):
    number = shipped_invoice(erp, world)["number"]
    answer = erp.post(f"/api/v1/invoices/{number}/payments", {
        "amount_cents": 100, "received_on": date(2026, 1, 2).isoformat()})
    assert answer.status_code == 201
    assert answer.get_json()["payments"][0]["received_on"] == "2026-01-02"
