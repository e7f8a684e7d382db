"""Warehouse staff move orders on: confirm, ship in parts, backorder, deliver, cancel."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalStatus,
    Order,
    OrderEvent,
    OrderStatus,
    OutboxMessage,
    Shipment,
    Stock,
)
from portal.services.orders.events import event_text
from tests.conftest import htmx_headers, login
from tests.factories import order

BASE = "/staff/fulfilment"


def fresh(o: Order) -> Order:
    db.session.expire_all()
    return db.session.get(Order, o.id)


def mails_to(address: str) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == address,
                                    OutboxMessage.kind == "order_status")
        .order_by(OutboxMessage.id)).all()


@pytest.fixture
def two_lines(world):
    return order(world.a.buyer, [(world.products["screws"], 10), (world.products["cement"], 4)],
                 commit=True)


def ship(client, o, quantities: dict, **fields):
    lines = {line.product_id: line.id for line in fresh(o).lines}
    data = {f"qty-{lines[pid]}": qty for pid, qty in quantities.items()}
    data.update(fields)
    return client.post(f"{BASE}/orders/{o.id}/ship", data=data)


def test_confirm_then_ship_in_two_parts_tells_the_buyer_at_each_step(client, world, two_lines):
    o = two_lines
    screws, cement = world.products["screws"], world.products["cement"]
    login(client, world.fulfilment)

    assert client.post(f"{BASE}/orders/{o.id}/confirm").status_code == 303
    assert fresh(o).status == OrderStatus.CONFIRMED

    first = ship(client, o, {screws.id: "6", cement.id: "0"}, carrier="DHL", tracking="JD0001",
                 warehouse=str(world.warehouse.id))
    assert first.status_code == 303
    o = fresh(o)
    assert o.status == OrderStatus.PARTIALLY_SHIPPED
    assert {line.sku: line.shipped_qty for line in o.lines} == {"VIS-440": 6, "CIM-35": 0}

    second = ship(client, o, {screws.id: "4", cement.id: "4"}, carrier="DHL", tracking="JD0002",
                  warehouse=str(world.warehouse.id))
    assert second.status_code == 303
    o = fresh(o)
    assert o.status == OrderStatus.SHIPPED
    shipments = db.session.scalars(select(Shipment).where(Shipment.order_id == o.id)
                                   .order_by(Shipment.id)).all()
    assert [(s.tracking_number, sorted(line.quantity for line in s.lines)) for s in shipments] == [
        ("JD0001", [6]), ("JD0002", [4, 4])]

    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == o.id)
                                .order_by(OrderEvent.id)).all()
    assert [(e.kind, e.status) for e in events] == [
        ("status", OrderStatus.CONFIRMED), ("shipment", OrderStatus.PARTIALLY_SHIPPED),
        ("shipment", OrderStatus.SHIPPED)]
    assert all(e.actor_id == world.fulfilment.id for e in events)
    with client.application.test_request_context():
        assert "JD0001" in event_text(events[1])

    mails = mails_to(world.a.buyer.email)
    assert len(mails) == 3
    assert "JD0002" in mails[2].body_text
    assert f"https://portal.test/orders/{o.id}" in mails[2].body_text
    # The buyer has no language of their own: the company's, French.
    assert "Commande" in mails[0].subject or o.number in mails[0].subject

    stock = db.session.get(Stock, (screws.id, world.warehouse.id))
    assert stock.quantity == 490


def test_delivered_after_shipped_and_then_nothing_more(client, world, two_lines):
    o = two_lines
    db.session.get(Order, o.id).status = OrderStatus.SHIPPED
    db.session.commit()
    login(client, world.staff)
    assert client.post(f"{BASE}/orders/{o.id}/deliver").status_code == 303
    assert fresh(o).status == OrderStatus.DELIVERED
    again = client.post(f"{BASE}/orders/{o.id}/deliver")
    assert again.status_code == 409


def test_an_illegal_transition_answers_409_and_changes_nothing(client, world, two_lines):
    o = two_lines
    login(client, world.fulfilment)
    before_mail = db.session.scalar(select(func.count(OutboxMessage.id)))

    answer = client.post(f"{BASE}/orders/{o.id}/deliver")
    assert answer.status_code == 409
    assert "Transmise" in answer.get_data(as_text=True)  # "Not possible in status Submitted"
    shipped = ship(client, o, {world.products["screws"].id: "1"})
    assert shipped.status_code == 409

    o = fresh(o)
    assert o.status == OrderStatus.SUBMITTED
    assert all(line.shipped_qty == 0 for line in o.lines)
    assert db.session.scalar(select(func.count(OrderEvent.id))) == 0
    assert db.session.scalar(select(func.count(Shipment.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == before_mail


def test_a_409_on_an_htmx_request_is_swapped_into_the_alerts(client, world, two_lines):
    login(client, world.fulfilment)
    answer = client.post(f"{BASE}/orders/{two_lines.id}/deliver", headers=htmx_headers())
    assert answer.status_code == 409
    assert answer.headers["HX-Retarget"] == "#alerts"


def test_the_second_of_two_confirmations_finds_the_order_already_confirmed(app, world,
                                                                          two_lines):
    from portal.services import fulfilment
    from portal.services.fulfilment.actions import Conflict

    stale = db.session.get(Order, two_lines.id)
    # Someone else confirms in between our read and our write.
    db.session.execute(Order.__table__.update().where(Order.id == stale.id)
                       .values(status=OrderStatus.CONFIRMED))
    with app.test_request_context(), pytest.raises(Conflict):
        fulfilment.confirm(stale, world.fulfilment, datetime.now(UTC))
    db.session.rollback()
    assert db.session.scalar(select(func.count(OrderEvent.id))) == 0


@pytest.mark.parametrize("who", ["buyer", "admin", "viewer", "rep"])
@pytest.mark.parametrize("path", ["/", "/orders/{id}", "/orders/{id}/cancel"])
def test_buyers_and_sales_reps_cannot_reach_fulfilment_pages(client, world, two_lines, who,
                                                              path):
    user = world.rep if who == "rep" else getattr(world.a, who)
    login(client, user)
    url = BASE + path.format(id=two_lines.id)
    assert client.get(url).status_code == 403
    assert client.get(url, headers=htmx_headers()).status_code == 403


@pytest.mark.parametrize("action", ["confirm", "ship", "deliver", "cancel",
                                    "lines/{line}/backorder"])
def test_buyers_and_sales_reps_cannot_post_transitions(client, world, two_lines, action):
    line = two_lines.lines[0].id
    for user in (world.a.buyer, world.a.admin, world.rep):
        client.post("/logout")
        login(client, user)
        url = f"{BASE}/orders/{two_lines.id}/" + action.format(line=line)
        assert client.post(url, data={"reason": "x", "quantity": "1"}).status_code == 403
    assert fresh(two_lines).status == OrderStatus.SUBMITTED


@pytest.mark.parametrize("path", ["/orders/99999", "/orders/99999/cancel"])
def test_an_unknown_order_is_a_404_as_page_and_fragment(client, world, path):
    login(client, world.fulfilment)
    assert client.get(BASE + path).status_code == 404
    assert client.get(BASE + path, headers=htmx_headers()).status_code == 404


@pytest.mark.parametrize("action", ["confirm", "ship", "deliver", "cancel"])
def test_an_action_on_an_unknown_order_is_a_404(client, world, action):
    login(client, world.staff)
    assert client.post(f"{BASE}/orders/99999/{action}", data={"reason": "x"}).status_code == 404


def test_a_line_of_another_order_is_a_404(client, world, two_lines):
    other = order(world.b.buyer, [(world.products["flour"], 10)], status=OrderStatus.CONFIRMED,
                  commit=True)
    db.session.get(Order, two_lines.id).status = OrderStatus.CONFIRMED
    db.session.commit()
    login(client, world.fulfilment)
    url = f"{BASE}/orders/{two_lines.id}/lines/{other.lines[0].id}/backorder"
    assert client.post(url, data={"quantity": "1", "expected": "2099-01-01"}).status_code == 404


def test_a_shipment_with_only_zeros_answers_422_with_the_form(client, world, two_lines):
    db.session.get(Order, two_lines.id).status = OrderStatus.CONFIRMED
    db.session.commit()
    login(client, world.fulfilment)
    screws, cement = world.products["screws"], world.products["cement"]
    answer = ship(client, two_lines, {screws.id: "0", cement.id: "0"}, carrier="UPS")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'value="UPS"' in page
    assert fresh(two_lines).status == OrderStatus.CONFIRMED


def test_a_quantity_over_what_is_left_is_marked_on_its_line(client, world, two_lines):
    db.session.get(Order, two_lines.id).status = OrderStatus.CONFIRMED
    db.session.commit()
    login(client, world.fulfilment)
    screws, cement = world.products["screws"], world.products["cement"]
    answer = ship(client, two_lines, {screws.id: "11", cement.id: "1"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    line_id = next(line.id for line in fresh(two_lines).lines if line.sku == "VIS-440")
    assert f'id="qty-{line_id}-error"' in page
    assert 'value="11"' in page
    assert all(line.shipped_qty == 0 for line in fresh(two_lines).lines)


def test_an_htmx_shipment_answers_the_order_panel(client, world, two_lines):
    db.session.get(Order, two_lines.id).status = OrderStatus.CONFIRMED
    db.session.commit()
    login(client, world.fulfilment)
    lines = {line.sku: line.id for line in fresh(two_lines).lines}
    answer = client.post(f"{BASE}/orders/{two_lines.id}/ship",
                         data={f"qty-{lines['VIS-440']}": "2", f"qty-{lines['CIM-35']}": "0"},
                         headers=htmx_headers("order"), follow_redirects=True)
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert body.lstrip().startswith("<div id=\"alerts\"") or 'id="order"' in body
    assert "<html" not in body
    assert 'hx-swap-oob="true"' in body


def test_a_backordered_line_shows_its_date_and_tells_the_buyer(client, world, two_lines):
    db.session.get(Order, two_lines.id).status = OrderStatus.CONFIRMED
    db.session.commit()
    login(client, world.fulfilment)
    line = next(line for line in fresh(two_lines).lines if line.sku == "CIM-35")
    when = (date.today() + timedelta(days=10)).isoformat()
    answer = client.post(f"{BASE}/orders/{two_lines.id}/lines/{line.id}/backorder",
                         data={"quantity": "3", "expected": when})
    assert answer.status_code == 303
    o = fresh(two_lines)
    saved = next(x for x in o.lines if x.id == line.id)
    assert (saved.backordered_qty, saved.backorder_date.isoformat()) == (3, when)
    assert o.status == OrderStatus.CONFIRMED
    event = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == o.id)).one()
    with client.application.test_request_context():
        assert "CIM-35" in event_text(event)
    assert (event.kind, event.status) == ("note", None)
    assert len(mails_to(world.a.buyer.email)) == 1

    bad = client.post(f"{BASE}/orders/{two_lines.id}/lines/{line.id}/backorder",
                      data={"quantity": "9", "expected": when})
    assert bad.status_code == 422


def test_shipping_a_backordered_line_reduces_its_backorder(client, world, two_lines):
    o = fresh(two_lines)
    o.status = OrderStatus.CONFIRMED
    line = next(x for x in o.lines if x.sku == "CIM-35")
    line.backordered_qty, line.backorder_date = 4, date.today() + timedelta(days=3)
    db.session.commit()
    login(client, world.fulfilment)
    screws, cement = world.products["screws"], world.products["cement"]
    assert ship(client, two_lines, {screws.id: "0", cement.id: "3"}).status_code == 303
    line = next(x for x in fresh(two_lines).lines if x.sku == "CIM-35")
    assert (line.shipped_qty, line.backordered_qty) == (3, 1)


def test_cancel_needs_a_reason_and_the_buyer_reads_it(client, world, two_lines):
    login(client, world.fulfilment)
    page = client.get(f"{BASE}/orders/{two_lines.id}/cancel")
    assert page.status_code == 200
    assert client.post(f"{BASE}/orders/{two_lines.id}/cancel",
                       data={"reason": "  "}).status_code == 422
    assert fresh(two_lines).status == OrderStatus.SUBMITTED
    done = client.post(f"{BASE}/orders/{two_lines.id}/cancel",
                       data={"reason": "Produit en rupture chez le fabricant"})
    assert done.status_code == 303
    assert fresh(two_lines).status == OrderStatus.CANCELLED
    assert "rupture chez le fabricant" in mails_to(world.a.buyer.email)[0].body_text


def test_only_a_staff_admin_may_cancel_an_order_waiting_for_approval(client, world):
    o = order(world.a.buyer, [(world.products["screws"], 10)],
              status=OrderStatus.PENDING_APPROVAL, commit=True)
    db.session.add(ApprovalRequest(order_id=o.id, company_id=o.company_id, step=1,
                                   status=ApprovalStatus.PENDING))
    db.session.commit()
    login(client, world.fulfilment)
    assert client.post(f"{BASE}/orders/{o.id}/cancel", data={"reason": "doublon"}
                       ).status_code == 403
    assert fresh(o).status == OrderStatus.PENDING_APPROVAL
    client.post("/logout")
    login(client, world.staff)
    assert client.post(f"{BASE}/orders/{o.id}/cancel", data={"reason": "doublon"}
                       ).status_code == 303
    assert fresh(o).status == OrderStatus.CANCELLED
    request = db.session.scalars(select(ApprovalRequest)).one()
    assert request.status == ApprovalStatus.SUPERSEDED


def test_a_shipped_order_cannot_be_cancelled(client, world, two_lines):
    db.session.get(Order, two_lines.id).status = OrderStatus.SHIPPED
    db.session.commit()
    login(client, world.staff)
    assert client.get(f"{BASE}/orders/{two_lines.id}/cancel").status_code == 409
    assert client.post(f"{BASE}/orders/{two_lines.id}/cancel",
                       data={"reason": "trop tard"}).status_code == 409
    assert fresh(two_lines).status == OrderStatus.SHIPPED


def test_the_queue_lists_open_orders_oldest_first(client, world):
    now = datetime.now(UTC)
    newer = order(world.a.buyer, [(world.products["screws"], 1)], placed_at=now, commit=True)
    older = order(world.b.buyer, [(world.products["flour"], 10)], status=OrderStatus.CONFIRMED,
                  placed_at=now - timedelta(days=2), commit=True)
    done = order(world.a.buyer, [(world.products["cement"], 1)], status=OrderStatus.DELIVERED,
                 commit=True)
    login(client, world.fulfilment)
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert page.index(older.number) < page.index(newer.number)
    assert done.number not in page
    delivered = client.get(f"{BASE}/?status=delivered", headers=htmx_headers("queue"))
    body = delivered.get_data(as_text=True)
    assert done.number in body and newer.number not in body and "<html" not in body


def test_the_queue_filters_by_warehouse_stock(client, world):
    from tests import factories as f

    other = f.warehouse("PAR")
    db.session.commit()
    gloves_only = order(world.a.buyer, [(world.products["gloves"], 12)], commit=True)
    screws = order(world.a.buyer, [(world.products["screws"], 10)], commit=True)
    login(client, world.fulfilment)
    page = client.get(f"{BASE}/?warehouse={world.warehouse.id}").get_data(as_text=True)
    assert screws.number in page and gloves_only.number not in page  # gloves: 0 in stock
    assert screws.number not in client.get(f"{BASE}/?warehouse={other.id}").get_data(
        as_text=True)


def test_the_queue_finds_an_order_by_its_number_po_or_sku_past_the_first_page(client, world):
    for _ in range(31):  # a full first page of older orders
        order(world.a.buyer, [(world.products["screws"], 1)], commit=True)
    wanted = order(world.b.buyer, [(world.products["flour"], 3)], po="PO-7781",
                   commit=True)
    login(client, world.fulfilment)
    assert wanted.number not in client.get(f"{BASE}/").get_data(as_text=True)
    for typed in (wanted.number, wanted.number.lower(), "po-7781", world.products["flour"].sku):
        page = client.get(f"{BASE}/", query_string={"q": f" {typed} "}).get_data(as_text=True)
        assert wanted.number in page, typed
    narrowed = client.get(f"{BASE}/", query_string={"q": wanted.number},
                          headers=htmx_headers("queue")).get_data(as_text=True)
    assert narrowed.count('class="bo-row"') == 1 and "<html" not in narrowed
    nothing = client.get(f"{BASE}/", query_string={"q": "%_zz"}).get_data(as_text=True)
    assert 'class="bo-row"' not in nothing and "Aucune commande ici." in nothing


def test_the_queue_reads_a_bounded_number_of_queries(client, world, app):
    from sqlalchemy import event

    for _ in range(15):
        order(world.a.buyer, [(world.products["screws"], 1), (world.products["cement"], 1)],
              commit=True)
    login(client, world.fulfilment)
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(f"{BASE}/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(seen) <= 8


def test_fulfilment_staff_see_a_home_card_with_the_queue(client, world, two_lines):
    login(client, world.fulfilment)
    page = client.get("/").get_data(as_text=True)
    assert "/staff/fulfilment/" in page
