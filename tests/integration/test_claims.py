"""Proof of delivery and claims from the phone: the warehouse records who received a shipment
(with a photo), the buyer sees it on the order and reports a short, damaged or wrong line;
staff settle it by reshipping or crediting. Every step is on the timeline, e-mailed to the
buyer and sent to the ERP's webhooks; bad input changes nothing."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Claim,
    ClaimStatus,
    Invoice,
    InvoiceKind,
    Order,
    OrderEvent,
    OrderStatus,
    OutboxMessage,
    Shipment,
    Stock,
    WebhookDelivery,
)
from portal.services import integration
from tests import factories as f
from tests.conftest import login
from tests.factories.files import jpeg, multipart, pdf

STAFF = "/staff/fulfilment"


def fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def mails_to(address: str) -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.body_text)
                                   .where(OutboxMessage.to_address == address)
                                   .order_by(OutboxMessage.id)))


def with_photo(fields: dict, data: bytes, name="photo.jpg", ctype="image/jpeg") -> dict:
    return {**fields, "photo": (io.BytesIO(data), name, ctype)}


@pytest.fixture
def shipped(app, world):
    """Order of 10 screws and 4 cement bags, shipped whole by the warehouse (invoiced)."""
    o = f.order(world.a.buyer, [(world.products["screws"], 10, 90),
                                (world.products["cement"], 4, 850)],
                status=OrderStatus.CONFIRMED, commit=True)
    staff = app.test_client()
    login(staff, world.fulfilment)
    lines = {line.sku: line.id for line in o.lines}
    answer = staff.post(f"{STAFF}/orders/{o.id}/ship",
                        data={f"qty-{lines['VIS-440']}": "10", f"qty-{lines['CIM-35']}": "4",
                              "carrier": "Geodis", "tracking": "GEO1"})
    assert answer.status_code == 303
    o = fresh(Order, o.id)
    return o, o.shipments[0], staff


def deliver(staff, order, shipment, **fields):
    data = {"received_by": "Paul Martin", **fields}
    return staff.post(f"{STAFF}/orders/{order.id}/shipments/{shipment.id}/delivery", data=data,
                      content_type="multipart/form-data")


@pytest.fixture
def delivered(shipped):
    o, shipment, staff = shipped
    assert deliver(staff, o, shipment, photo=(io.BytesIO(jpeg()), "pod.jpg", "image/jpeg")
                   ).status_code == 303
    return fresh(Order, o.id), staff


def report(client, order, sku, **fields):
    line = next(x for x in order.lines if x.sku == sku)
    return client.post(f"/orders/{order.id}/lines/{line.id}/claim", data=fields,
                       content_type="multipart/form-data")


def test_a_delivery_with_its_photo_is_shown_on_the_buyers_order(app, client, world, shipped):
    o, shipment, staff = shipped
    form = staff.get(f"{STAFF}/orders/{o.id}/shipments/{shipment.id}/delivery")
    assert 'name="received_by"' in form.get_data(as_text=True)
    answer = deliver(staff, o, shipment, photo=(io.BytesIO(jpeg()), "pod.jpg", "image/jpeg"))
    assert answer.status_code == 303
    shipment = fresh(Shipment, shipment.id)
    assert shipment.received_by == "Paul Martin" and shipment.delivered_at is not None
    assert fresh(Order, o.id).status == OrderStatus.DELIVERED
    login(client, world.a.buyer)
    page = client.get(f"/orders/{o.id}").get_data(as_text=True)
    assert "reçue par Paul Martin" in page
    photo = client.get(f"/orders/{o.id}/shipments/{shipment.id}/proof")
    assert photo.status_code == 200 and photo.content_type == "image/jpeg"
    assert "no-store" in photo.headers["Cache-Control"]
    assert "Paul Martin" in mails_to(world.a.buyer.email)[-1]
    # The viewer sees it too, but may not report a problem.
    viewer = app.test_client()
    login(viewer, world.a.viewer)
    seen = viewer.get(f"/orders/{o.id}").get_data(as_text=True)
    assert "Paul Martin" in seen and "Signaler un problème" not in seen


def test_a_delivery_needs_the_receivers_name_and_a_real_photo(app, world, shipped):
    o, shipment, staff = shipped
    no_name = deliver(staff, o, shipment, received_by="  ")
    assert no_name.status_code == 422 and 'id="received_by-error"' in no_name.get_data(True)
    not_a_photo = deliver(staff, o, shipment, delivered_at="",
                          photo=(io.BytesIO(pdf()), "bon.pdf", "application/pdf"))
    page = not_a_photo.get_data(as_text=True)
    assert not_a_photo.status_code == 422 and 'id="photo-error"' in page
    assert 'value="Paul Martin"' in page
    assert fresh(Shipment, shipment.id).delivered_at is None
    assert fresh(Order, o.id).status == OrderStatus.SHIPPED
    recorded = deliver(staff, o, shipment)
    assert recorded.status_code == 303
    assert deliver(staff, o, shipment).status_code == 409


def test_the_buyer_reports_a_damaged_line_and_staff_reship_it(app, client, world, delivered):
    o, staff = delivered
    login(client, world.a.buyer)
    page = client.get(f"/orders/{o.id}").get_data(as_text=True)
    assert "Signaler un problème avec CIM-35" in page
    sent = report(client, o, "CIM-35", reason="damaged", quantity="1", note="Sac éventré",
                  photo=(io.BytesIO(jpeg()), "sac.jpg", "image/jpeg"))
    assert sent.status_code == 303
    claim = db.session.scalar(select(Claim))
    assert (claim.reason, claim.quantity, claim.status, claim.note) == (
        "damaged", 1, ClaimStatus.OPEN, "Sac éventré")
    assert client.get(f"/orders/{o.id}/claims/{claim.id}/photo").content_type == "image/jpeg"

    queue = staff.get("/staff/claims/").get_data(as_text=True)
    assert "CIM-35" in queue and "Company A" in queue
    assert staff.get(f"/staff/claims/{claim.id}/photo").status_code == 200
    stock_before = db.session.get(Stock, (world.products["cement"].id, world.warehouse.id)).quantity
    done = staff.post(f"/staff/claims/{claim.id}/reship", data={"carrier": "Geodis",
                                                                 "tracking": "GEO2"})
    assert done.status_code == 303
    claim = fresh(Claim, claim.id)
    assert claim.status == ClaimStatus.RESHIPPED
    replacement = claim.shipment
    assert [(sl.order_line.sku, sl.quantity) for sl in replacement.lines] == [("CIM-35", 1)]
    assert db.session.get(Stock, (world.products["cement"].id, world.warehouse.id)
                          ).quantity == stock_before - 1
    # Paid for once: the replacement is not invoiced, the order stays delivered.
    assert count(Invoice) == 1 and fresh(Order, o.id).status == OrderStatus.DELIVERED
    assert staff.post(f"/staff/claims/{claim.id}/reship", data={}).status_code == 409

    page = client.get(f"/orders/{o.id}").get_data(as_text=True)
    assert "Remplacement de la réclamation" in page and "Réexpédié" in page
    codes = list(db.session.scalars(select(OrderEvent.code).where(OrderEvent.order_id == o.id)
                                    .order_by(OrderEvent.id)))
    assert codes[-3:] == ["delivered_to", "claim_reported", "claim_reshipped"]
    mails = mails_to(world.a.buyer.email)
    assert "CIM-35" in mails[-2] and "endommagé" in mails[-2]
    assert "expédiée à nouveau" in mails[-1] or "expédiées à nouveau" in mails[-1]


def test_a_credit_writes_a_credit_note_for_the_claimed_units(app, client, world, delivered):
    o, staff = delivered
    login(client, world.a.buyer)
    assert report(client, o, "VIS-440", reason="short", quantity="3").status_code == 303
    claim = db.session.scalar(select(Claim))
    assert staff.post(f"/staff/claims/{claim.id}/credit").status_code == 303
    claim = fresh(Claim, claim.id)
    note = db.session.scalar(select(Invoice).where(Invoice.kind == InvoiceKind.CREDIT_NOTE))
    assert (claim.status, claim.credit_cents, claim.credit_note_id) == (
        ClaimStatus.CREDITED, 270, note.id)
    assert [(line.sku, line.quantity) for line in note.lines] == [("VIS-440", 3)]
    assert note.number in mails_to(world.a.buyer.email)[-1] or any(
        note.number in body for body in mails_to(world.a.buyer.email))
    assert staff.post(f"/staff/claims/{claim.id}/credit").status_code == 409


def test_claims_reach_the_erps_webhooks(app, client, world, delivered):
    o, staff = delivered
    erp, _token = integration.create_client("ERP", integration.SELLER_SCOPES,
                                            now=datetime.now(UTC))
    integration.subscribe(erp, "https://erp.example/hooks", ["claim.reported", "claim.resolved"],
                          datetime.now(UTC))
    db.session.commit()
    login(client, world.a.buyer)
    report(client, o, "CIM-35", reason="wrong_product", quantity="2")
    claim = db.session.scalar(select(Claim))
    staff.post(f"/staff/claims/{claim.id}/credit")
    hooks = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    assert [(h.event, h.payload["data"]["claim_id"], h.payload["data"]["code"]) for h in hooks] == [
        ("claim.reported", claim.id, "claim_reported"), ("claim.resolved", claim.id,
                                                         "claim_credited")]


def test_a_claim_for_more_than_was_delivered_is_refused_at_the_quantity(client, world,
                                                                          delivered):
    o, _staff = delivered
    login(client, world.a.buyer)
    assert report(client, o, "CIM-35", reason="damaged", quantity="3").status_code == 303
    refused = report(client, o, "CIM-35", reason="damaged", quantity="2", note="encore")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="quantity-error"' in page
    assert "Au plus 1" in page and ">encore</textarea>" in page
    assert count(Claim) == 1


def test_a_claim_after_the_window_is_refused(app, client, world, delivered):
    o, _staff = delivered
    shipment = o.shipments[0]
    shipment.delivered_at = datetime.now(UTC) - timedelta(
        days=app.config["CLAIM_WINDOW_DAYS"], minutes=1)
    db.session.commit()
    login(client, world.a.buyer)
    assert "Signaler un problème" not in client.get(f"/orders/{o.id}").get_data(as_text=True)
    refused = report(client, o, "VIS-440", reason="short", quantity="1")
    assert refused.status_code == 422 and "pouvaient être signalés jusqu" in refused.get_data(True)
    assert count(Claim) == 0


def test_a_claim_before_any_delivery_is_refused(client, world, shipped):
    o, _shipment, _staff = shipped
    login(client, world.a.buyer)
    refused = report(client, o, "VIS-440", reason="short", quantity="1")
    assert refused.status_code == 422 and count(Claim) == 0


def test_a_photo_that_is_not_an_image_keeps_the_typed_report(client, world, delivered):
    o, _staff = delivered
    login(client, world.a.buyer)
    refused = report(client, o, "CIM-35", reason="damaged", quantity="1", note="Sac percé",
                     photo=(io.BytesIO(b"<svg onload=alert(1)>"), "sac.jpg", "image/jpeg"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="photo-error"' in page
    assert ">Sac percé</textarea>" in page and 'value="1"' in page
    assert 'value="damaged" checked' in page
    assert count(Claim) == 0 and count(OrderEvent) == 2  # shipped, delivered: nothing more


def test_a_30_mb_photo_is_refused_at_its_field_with_the_report_kept(client, world, delivered):
    o, _staff = delivered
    line = next(x for x in o.lines if x.sku == "CIM-35")
    login(client, world.a.buyer)
    body, ctype = multipart({"reason": "damaged", "quantity": "1", "note": "Palette tombée"},
                            jpeg(64, 64) + b"\0" * 30_000_000, "big.jpg", "image/jpeg")
    body = body.replace(b'name="file"', b'name="photo"')
    refused = client.post(f"/orders/{o.id}/lines/{line.id}/claim", data=body,
                          content_type=ctype)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 413 and 'id="photo-error"' in page
    assert ">Palette tombée</textarea>" in page
    assert count(Claim) == 0


def test_another_companys_order_is_a_404_on_every_new_route(app, client, world, delivered):
    o, staff = delivered
    login(client, world.a.buyer)
    report(client, o, "CIM-35", reason="damaged", quantity="1",
           photo=(io.BytesIO(jpeg()), "sac.jpg", "image/jpeg"))
    claim = db.session.scalar(select(Claim))
    line, shipment = o.lines[0], o.shipments[0]
    paths = [f"/orders/{o.id}/lines/{line.id}/claim", f"/orders/{o.id}/claims/{claim.id}/photo",
             f"/orders/{o.id}/shipments/{shipment.id}/proof"]
    for role in ("buyer", "admin", "approver", "viewer"):
        other = app.test_client()
        login(other, getattr(world.b, role))
        # A viewer may not report at all (403 whatever the order); the photos are a 404.
        for path in paths[1:] if role == "viewer" else paths:
            assert other.get(path).status_code == 404, (role, path)
        sent = other.post(paths[0], data={"reason": "damaged", "quantity": "1"})
        assert sent.status_code == (403 if role == "viewer" else 404), role
    # A line, claim or shipment of another order of one's own company is a 404 too.
    mine = f.order(world.a.buyer, [(world.products["screws"], 1)], commit=True)
    for path in (f"/orders/{mine.id}/lines/{line.id}/claim",
                 f"/orders/{mine.id}/claims/{claim.id}/photo",
                 f"/orders/{mine.id}/shipments/{shipment.id}/proof"):
        assert client.get(path).status_code == 404, path
    assert staff.get(f"{STAFF}/orders/{mine.id}/shipments/{shipment.id}/delivery"
                     ).status_code == 404
    assert staff.get("/staff/claims/999999").status_code == 404
    assert count(Claim) == 1
