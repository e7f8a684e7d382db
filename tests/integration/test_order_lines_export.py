"""Order exports carry the lines (what an accountant or an ERP needs), stay neutralized for
spreadsheets, are streamed, and a customer's export holds only the orders they may see."""

import csv
import io
from datetime import UTC, date, datetime

import pytest

from portal.extensions import db
from portal.models import OrderStatus
from portal.services.backoffice import csv_export
from tests.conftest import login
from tests.factories import order, shipment

HEADER = ["order_number", "order_date", "status", "po_number", "company", "sku", "name",
          "quantity", "unit_price", "line_total", "currency", "delivery_place",
          "delivery_address", "requested_date", "shipped_quantity", "first_shipped_date",
          "last_shipped_date", "placed_by", "placed_by_email"]


def read(answer) -> list[dict]:
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    text = answer.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def history(world):
    """A's order of two lines, shipped in two parcels (the second just after midnight in
    Paris on 1 November), to a jobsite; B's order of one line."""
    screws, cement = world.products["screws"], world.products["cement"]
    a = order(world.a.buyer, [(screws, 20, 80), (cement, 3, 850)], jobsite=world.a.sites[0],
              po="=HYPERLINK(\"x\")", status=OrderStatus.PARTIALLY_SHIPPED,
              placed_at=datetime(2026, 10, 29, 9, 0, tzinfo=UTC), number="A-0001")
    a.requested_date = date(2026, 11, 2)
    shipment(a, [(a.lines[0], 12)], at=datetime(2026, 10, 30, 14, 0, tzinfo=UTC))
    shipment(a, [(a.lines[0], 8)], at=datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    b = order(world.b.buyer, [(screws, 5, 95)], number="B-0001",
              placed_at=datetime(2026, 10, 29, 10, 0, tzinfo=UTC))
    db.session.commit()
    return a, b


def test_the_staff_export_has_one_row_per_order_line(client, world, history):
    login(client, world.staff)
    rows = read(client.get("/staff/imports/export/orders.csv"))
    assert [(r["order_number"], r["sku"]) for r in rows] == [
        ("A-0001", "VIS-440"), ("A-0001", "CIM-35"), ("B-0001", "VIS-440")]
    screws = rows[0]
    assert screws == {
        "order_number": "A-0001", "order_date": "2026-10-29", "status": "partially_shipped",
        "po_number": "'=HYPERLINK(\"x\")", "company": "Company A", "sku": "VIS-440",
        "name": world.products["screws"].name_fr, "quantity": "20", "unit_price": "0,80",
        "line_total": "16,00", "currency": "EUR", "delivery_place": "Site 1",
        "delivery_address": "1 rue du Test, 69002 Lyon", "requested_date": "2026-11-02",
        "shipped_quantity": "20", "first_shipped_date": "2026-10-30",
        "last_shipped_date": "2026-11-01", "placed_by": world.a.buyer.name,
        "placed_by_email": world.a.buyer.email}
    cement = rows[1]
    assert (cement["quantity"], cement["unit_price"], cement["line_total"]) == ("3", "8,50",
                                                                              "25,50")
    assert cement["shipped_quantity"] == "0" and cement["first_shipped_date"] == ""


@pytest.mark.parametrize("who", ["buyer", "viewer", "admin"])
def test_a_customer_exports_only_the_lines_of_orders_they_may_see(client, world, history,
                                                                  who):
    login(client, getattr(world.a, who))
    answer = client.get("/orders/export.csv")
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = read(answer)
    assert {r["order_number"] for r in rows} == {"A-0001"}
    assert len(rows) == 2
    assert rows[0]["po_number"].startswith("'=")


def test_the_orders_page_offers_the_export(client, world, history):
    login(client, world.a.buyer)
    page = client.get("/orders/").get_data(as_text=True)
    assert 'href="/orders/export.csv"' in page


def test_the_export_is_streamed_in_batches(app, world):
    screws = world.products["screws"]
    for n in range(3):
        order(world.a.buyer, [(screws, 1 + k, 80) for k in range(400)], number=f"BIG-{n}")
    db.session.commit()
    with app.test_request_context():
        rows = csv_export.order_rows()
        assert iter(rows) is rows  # a generator: rows are read as they are written
        parts = list(csv_export.stream(csv_export.ORDER_HEADER, rows))
    assert len(parts) >= 3  # 1,200 lines leave in batches of 500, never as one string
    assert sum(part.count("\r\n") for part in parts) == 1201
