"""Invoices the ERP issued (INVOICES_ISSUED_BY = "erp"), registered on their order: checked
against the order (its lines, what was ordered or shipped) and the portal's VAT rounding, then
an invoice like the portal's for the buyer, the statement, the credit exposure, Factur-X and
webhooks. With the portal issuing, the operation is refused (409)."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

import facturx
import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, Invoice, OrderStatus, OutboxMessage, WebhookDelivery
from portal.services import billing, integration
from portal.services.credit import exposure_cents
from tests import factories as f
from tests.api.conftest import assert_problem
from tests.conftest import login

TODAY = datetime.now(UTC).date()
ERP = pytest.mark.config(INVOICES_ISSUED_BY="erp")


@pytest.fixture
def erp(make_caller, world):
    caller = make_caller("fulfilment:write", "orders:read", name="ERP prod")
    o = f.order(world.a.buyer, [(world.products["flour"], 20, 120, {"tax_rate_bp": 550}),
                                (world.products["screws"], 10, 100, {"tax_rate_bp": 2000})],
                status=OrderStatus.CONFIRMED, tax_cents=332, commit=True)
    o.total_cents = o.subtotal_cents + o.tax_cents
    db.session.commit()
    caller.order, caller.url = o, f"/api/v1/orders/{o.id}/invoices"
    return caller


def body(erp, **changes) -> dict:
    """The ERP's invoice of the whole order: 24.00 at 5.5 % and 10.00 at 20 %, 37.32."""
    flour, screws = erp.order.lines
    found = {"number": "F2026-0042", "issued_on": str(TODAY - timedelta(days=1)),
             "due_on": str(TODAY + timedelta(days=29)),
             "lines": [{"line_id": flour.id, "quantity": 20, "unit_price_cents": 120,
                        "tax_rate_bp": 550},
                       {"sku": "VIS-440", "quantity": 10, "unit_price_cents": 100,
                        "tax_rate_bp": 2000}],
             "vat": [{"rate_bp": 2000, "base_cents": 1000, "tax_cents": 200},
                     {"rate_bp": 550, "base_cents": 2400, "tax_cents": 132}],
             "total_cents": 3732}
    found.update(changes)
    return found


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Invoice))


@ERP
def test_the_erp_invoice_is_an_invoice_like_the_portals(app, erp, world):
    integration.subscribe(erp.client, "https://erp.example/hooks", ["invoice.issued"],
                          datetime.now(UTC))
    db.session.commit()
    answer = erp.post(erp.url, body(erp))
    got = answer.get_json()
    assert answer.status_code == 201, got
    assert (got["number"], got["issued_by"], got["status"]) == ("F2026-0042", "erp", "open")
    assert got["issued_on"] == str(TODAY - timedelta(days=1))
    assert (got["total_cents"], got["outstanding_cents"]) == (3732, 3732)
    assert [line["name"] for line in got["lines"]] == [line.name for line in erp.order.lines]
    invoice = db.session.scalars(select(Invoice)).one()
    # The billing recipients (here the company admin) get the e-mail; the statement, the
    # credit exposure and the webhook see it.
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "invoice_issued")).one()
    assert "F2026-0042" in mail.subject and mail.to_address == world.a.admin.email
    assert [r.invoice.number for r in billing.statement(world.a.company, TODAY).rows] == \
        ["F2026-0042"]
    assert exposure_cents(world.a.company.id) == 3732
    [hook] = db.session.scalars(select(WebhookDelivery)).all()
    assert hook.event == "invoice.issued" and hook.payload["data"]["number"] == "F2026-0042"
    audit = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "invoice.registered")).one()
    assert audit.detail["api_client"] == "ERP prod"
    # The buyer downloads its Factur-X, valid against the EN 16931 schema.
    browser = app.test_client()
    login(browser, world.a.buyer)
    pdf = browser.get(f"/billing/invoices/{invoice.id}/factur-x.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    _name, xml = facturx.get_xml_from_pdf(BytesIO(pdf.data), check_xsd=False)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert b"F2026-0042" in xml and b"37.32" in xml


def test_when_the_portal_issues_invoices_the_erp_is_told_409(app, erp):
    problem = assert_problem(erp.post(erp.url, body(erp)), 409, "invoices_issued_by_portal")
    assert "portal" in problem["detail"]
    assert _count() == 0


@ERP
def test_a_reused_number_is_409_and_nothing_is_written(app, erp):
    assert erp.post(erp.url, body(erp, lines=body(erp)["lines"][:1], total_cents=2532,
                                  vat=[{"rate_bp": 550, "base_cents": 2400,
                                        "tax_cents": 132}])).status_code == 201
    second = body(erp, lines=body(erp)["lines"][1:], total_cents=1200,
                  vat=[{"rate_bp": 2000, "base_cents": 1000, "tax_cents": 200}])
    problem = assert_problem(erp.post(erp.url, second), 409, "invoice_number_taken")
    assert problem["errors"][0]["pointer"] == "/number"
    assert _count() == 1
    assert erp.post(erp.url, {**second, "number": "F2026-0043"}).status_code == 201


@ERP
@pytest.mark.parametrize(("changes", "pointer"), [
    ({"vat": [{"rate_bp": 2000, "base_cents": 1000, "tax_cents": 200},
              {"rate_bp": 550, "base_cents": 2400, "tax_cents": 133}]}, "/vat/1/tax_cents"),
    ({"vat": [{"rate_bp": 2000, "base_cents": 1000, "tax_cents": 200},
              {"rate_bp": 550, "base_cents": 2401, "tax_cents": 132}]}, "/vat/1/base_cents"),
    ({"vat": [{"rate_bp": 2000, "base_cents": 3400, "tax_cents": 680}]}, "/vat"),
    ({"total_cents": 3733}, "/total_cents"),
    ({"total_cents": 3732.0}, "/total_cents"),
    ({"number": "FA-2026-000001"}, "/number"),
    ({"number": "F/2026/1"}, "/number"),
    ({"issued_on": str(TODAY + timedelta(days=1))}, "/issued_on"),
    ({"due_on": str(TODAY - timedelta(days=2))}, "/due_on"),
    ({"lines": []}, "/lines"),
])
def test_an_invoice_that_does_not_add_up_is_422_at_its_field(app, erp, changes, pointer):
    problem = assert_problem(erp.post(erp.url, body(erp, **changes)), 422)
    assert pointer in [e.get("pointer") for e in problem["errors"]], problem
    assert _count() == 0


@ERP
@pytest.mark.parametrize(("line", "pointer"), [
    ({"line_id": 999999, "quantity": 1, "unit_price_cents": 100, "tax_rate_bp": 2000},
     "/lines/0/line_id"),
    ({"sku": "NOPE", "quantity": 1, "unit_price_cents": 100, "tax_rate_bp": 2000},
     "/lines/0/sku"),
    ({"sku": "VIS-440", "quantity": 11, "unit_price_cents": 100, "tax_rate_bp": 2000},
     "/lines/0/quantity"),
    ({"sku": "VIS-440", "quantity": -1, "unit_price_cents": 100, "tax_rate_bp": 2000},
     "/lines/0/quantity"),
    ({"sku": "VIS-440", "quantity": 1, "unit_price_cents": 99.5, "tax_rate_bp": 2000},
     "/lines/0/unit_price_cents"),
    ({"quantity": 1, "unit_price_cents": 100, "tax_rate_bp": 2000}, "/lines/0"),
])
def test_a_line_not_on_the_order_or_beyond_it_is_named(app, erp, line, pointer):
    one = body(erp, lines=[line], vat=[{"rate_bp": 2000, "base_cents": 100, "tax_cents": 20}],
               total_cents=120)
    problem = assert_problem(erp.post(erp.url, one), 422)
    assert pointer in [e.get("pointer") for e in problem["errors"]], problem
    assert _count() == 0


@ERP
def test_quantities_count_earlier_invoices_and_recorded_shipments(app, erp):
    flour, screws = erp.order.lines
    six = {"line_id": screws.id, "quantity": 6, "unit_price_cents": 100, "tax_rate_bp": 2000}
    vat6 = [{"rate_bp": 2000, "base_cents": 600, "tax_cents": 120}]
    assert erp.post(erp.url, body(erp, number="A1", lines=[six], vat=vat6,
                                  total_cents=720)).status_code == 201
    problem = assert_problem(erp.post(erp.url, body(erp, number="A2", lines=[six], vat=vat6,
                                                    total_cents=720),
                                      headers={"Accept-Language": "en"}), 422)
    assert "VIS-440" in problem["detail"] and "4" in problem["detail"]
    # Once the order's shipments are recorded, what left is the limit.
    erp.post(f"/api/v1/orders/{erp.order.id}/shipments",
             {"lines": [{"line_id": flour.id, "quantity": 5}]})
    flour6 = {"line_id": flour.id, "quantity": 6, "unit_price_cents": 120, "tax_rate_bp": 550}
    problem = assert_problem(erp.post(erp.url, body(
        erp, number="A3", lines=[flour6], total_cents=760,
        vat=[{"rate_bp": 550, "base_cents": 720, "tax_cents": 40}])), 422)
    assert problem["errors"][0]["pointer"] == "/lines/0/quantity"
    assert _count() == 1


@ERP
def test_a_retried_registration_with_its_key_writes_one_invoice(app, erp):
    key = {"Idempotency-Key": "inv-F2026-0042"}
    first = erp.post(erp.url, body(erp), headers=key)
    again = erp.post(erp.url, body(erp), headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count() == 1


@ERP
def test_an_order_waiting_for_approval_or_unknown_cannot_be_invoiced(app, erp, world):
    waiting = f.order(world.a.buyer, [(world.products["screws"], 10)],
                      status=OrderStatus.PENDING_APPROVAL, commit=True)
    problem = assert_problem(erp.post(f"/api/v1/orders/{waiting.id}/invoices", body(erp)),
                             409, "not_possible")
    assert problem["order_status"] == "pending_approval"
    assert_problem(erp.post("/api/v1/orders/999999/invoices", body(erp)), 404, "not_found")
    assert _count() == 0


@ERP
def test_a_payment_on_an_erp_invoice_follows_the_same_rule(app, erp, make_caller):
    erp.post(erp.url, body(erp))
    bank = make_caller("payments:write", "orders:read", name="Bank")
    url = "/api/v1/invoices/F2026-0042/payments"
    assert_problem(bank.post(url, {"amount_cents": 3733, "received_on": str(TODAY)}), 422)
    paid = bank.post(url, {"amount_cents": 3732, "received_on": str(TODAY)}).get_json()
    assert paid["status"] == "paid"
    assert exposure_cents(erp.order.company_id) == 0
