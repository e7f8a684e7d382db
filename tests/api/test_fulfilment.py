"""The ERP moves orders on through the same rules as the staff: same timeline, same email,
audited with the client's name; a refused move changes nothing."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, OrderEvent, OrderStatus, OutboxMessage, Shipment
from tests import factories as f
from tests.api.conftest import assert_problem


@pytest.fixture
def erp(make_caller, world):
    caller = make_caller("fulfilment:write", "orders:read", name="ERP prod")
    caller.order = f.order(world.a.buyer, [(world.products["cement"], 4),
                                          (world.products["screws"], 10)], commit=True)
    caller.base = f"/api/v1/orders/{caller.order.id}"
    return caller


def _emails(order) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_confirm_ship_deliver_write_the_same_timeline_and_emails_as_staff(app, erp):
    order = erp.order
    assert erp.post(f"{erp.base}/confirm", {}).get_json()["status"] == "confirmed"
    first, second = order.lines
    shipped = erp.post(f"{erp.base}/shipments", {
        "lines": [{"line_id": first.id, "quantity": 4}], "carrier": "Geodis",
        "tracking_number": "GEO42"})
    body = shipped.get_json()
    assert shipped.status_code == 200, body
    assert body["status"] == "partially_shipped"
    assert body["shipments"][0]["tracking_number"] == "GEO42"
    assert body["shipments"][0]["lines"] == {str(first.id): 4}
    erp.post(f"{erp.base}/shipments", {"lines": [{"line_id": second.id, "quantity": 10}]})
    assert erp.post(f"{erp.base}/deliver", {}).get_json()["status"] == "delivered"
    codes = db.session.scalars(select(OrderEvent.code).where(OrderEvent.order_id == order.id)
                               .order_by(OrderEvent.id)).all()
    assert codes == ["confirmed", "shipped", "shipped", "delivered"]
    # The buyer hears of each move, as when staff make it; the company admin (no billing
    # contact) gets the invoice of each shipment.
    assert _emails(order) == 4 + 2
    audited = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.detail["api_client"].as_string() == "ERP prod")).all()
    assert sorted(audited) == ["order.confirmed", "order.delivered", "order.shipped",
                               "order.shipped"]


def test_a_move_not_possible_from_the_status_is_409_and_changes_nothing(app, erp):
    body = assert_problem(erp.post(f"{erp.base}/deliver", {}), 409, "not_possible")
    assert body["order_status"] == "submitted"
    db.session.expire_all()
    assert erp.order.status == OrderStatus.SUBMITTED
    assert _emails(erp.order) == 0


@pytest.mark.parametrize(("body", "pointer"), [
    ({"lines": [{"line_id": 1, "quantity": 1.5}]}, "/lines/0/quantity"),
    ({"lines": [{"line_id": 1, "quantity": -2}]}, "/lines/0/quantity"),
    ({"lines": [{"line_id": 1, "quantity": "2"}]}, "/lines/0/quantity"),
    ({"lines": []}, "/lines"),
    ({"lines": [{"line_id": 1, "quantity": 1}], "carrier": "x" * 81}, "/carrier"),
])
def test_bad_shipments_name_the_field_and_ship_nothing(app, erp, body, pointer):
    problem = assert_problem(erp.post(f"{erp.base}/shipments", body), 422, "invalid_fields")
    assert pointer in [e["pointer"] for e in problem["errors"]], problem
    assert db.session.scalar(select(func.count()).select_from(Shipment)) == 0


def test_shipping_a_line_of_another_order_or_too_much_is_refused(app, erp, world):
    other = f.order(world.a.buyer, [(world.products["cement"], 1)], commit=True)
    erp.post(f"{erp.base}/confirm", {})
    problem = assert_problem(erp.post(f"{erp.base}/shipments", {
        "lines": [{"line_id": other.lines[0].id, "quantity": 1}]}), 422, "invalid_shipment")
    assert problem["errors"][0]["pointer"] == f"/lines/{other.lines[0].id}"
    assert_problem(erp.post(f"{erp.base}/shipments", {
        "lines": [{"line_id": erp.order.lines[0].id, "quantity": 99}]}), 422, "invalid_shipment")
    assert db.session.scalar(select(func.count()).select_from(Shipment)) == 0


def test_backorder_and_cancel_with_reasons(app, erp):
    line = erp.order.lines[0]
    erp.post(f"{erp.base}/confirm", {})
    answer = erp.post(f"{erp.base}/backorders", {"line_id": line.id, "quantity": 2,
                                                 "expected_date": "2099-01-01"})
    assert answer.status_code == 422  # more than a year ahead: the staff's own rule
    answer = erp.post(f"{erp.base}/backorders", {"line_id": line.id, "quantity": 0})
    assert answer.status_code == 200, answer.data
    assert_problem(erp.post(f"{erp.base}/cancel", {}), 422, "invalid_fields")
    body = erp.post(f"{erp.base}/cancel", {"reason": "Out of stock at the supplier"}).get_json()
    assert body["status"] == "cancelled"


def test_a_customer_token_cannot_drive_fulfilment(app, make_caller, world, erp):
    customer = make_caller("orders:read", company=world.a.company)
    assert_problem(customer.post(f"{erp.base}/confirm", {}), 403, "insufficient_scope")


def test_a_shipment_through_the_api_is_invoiced_as_in_the_back_office(app, erp):
    from portal.models import Invoice

    first, second = erp.order.lines
    erp.post(f"{erp.base}/confirm", {})
    shipped = erp.post(f"{erp.base}/shipments", {"lines": [{"line_id": first.id, "quantity": 4}]})
    assert shipped.status_code == 200, shipped.get_json()
    [invoice] = db.session.scalars(select(Invoice).where(Invoice.order_id == erp.order.id)).all()
    assert invoice.number.startswith("FA-") and invoice.number.endswith("-000001")
    assert [(line.sku, line.quantity, line.unit_price_cents) for line in invoice.lines] == [
        (first.sku, 4, first.unit_price_cents)]
    assert invoice.total_cents == 4 * first.unit_price_cents * 12 // 10  # 20 % VAT
