"""Card payment on the provider's hosted page (issue 22): a prepaid order shows "Payer par
carte" when the provider's keys are set; the real `stripe` library creates the Checkout
Session on a stand-in of Stripe's API on loopback (tests/card_provider.py), for exactly what
the order owes; the provider's signed notice settles the order as staff recording a transfer
do, once, and only for the right amount; a bad signature is a 400 and changes nothing."""

import json
import time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, Order, OrderEvent, OrderStatus, OutboxMessage, PaymentTerms
from tests import card_provider
from tests import factories as f
from tests.conftest import htmx_headers, login

WEBHOOK = "/card-payment/webhook"


@pytest.fixture
def stripe_fake(app):
    fake = card_provider.FakeStripe()
    app.config.update(STRIPE_SECRET_KEY=card_provider.SECRET_KEY,
                      STRIPE_WEBHOOK_SECRET=card_provider.WEBHOOK_SECRET,
                      STRIPE_API_BASE=fake.base)
    yield fake
    fake.close()


def _prepaid(buyer, cents=1234) -> Order:
    order = f.order(buyer, [(f.product(f.category("Gants"), f"GNT-{cents}"), 1, cents)],
                    status=OrderStatus.AWAITING_PAYMENT)
    order.payment_terms = PaymentTerms.PREPAY
    db.session.commit()
    return order


def _pay(client, order, **kw):
    return client.post(f"/card-payment/orders/{order.id}", **kw)


def _notify(client, payload: bytes, signature: str | None = None):
    return client.post(WEBHOOK, data=payload, content_type="application/json",
                       headers={"Stripe-Signature": signature or card_provider.sign(payload)})


def _counts(order) -> tuple:
    db.session.expire_all()
    return (db.session.get(Order, order.id).status,
            db.session.scalar(select(func.count()).select_from(OrderEvent)
                              .where(OrderEvent.order_id == order.id)),
            db.session.scalar(select(func.count()).select_from(OutboxMessage)),
            db.session.scalar(select(func.count()).select_from(AuditEntry)))


def test_the_order_page_sends_the_payer_to_the_providers_page_for_what_is_owed(
        app, client, world, stripe_fake):
    order = _prepaid(world.a.buyer, 1234)
    login(client, world.a.buyer)
    page = client.get(f"/orders/{order.id}")
    assert "Payer par carte" in page.get_data(as_text=True)
    # The form's answer is a redirect to the provider: the page lets forms go there.
    assert f"form-action 'self' {stripe_fake.base}" in page.headers["Content-Security-Policy"]

    answer = _pay(client, order)
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"{stripe_fake.base}/pay/cs_test_1"
    [sent] = stripe_fake.requests
    assert sent["auth"] == f"Bearer {card_provider.SECRET_KEY}"
    params = sent["params"]
    assert params["mode"] == "payment" and params["client_reference_id"] == str(order.id)
    assert params["metadata"] == {"order_id": str(order.id), "order_number": order.number}
    assert params["line_items"]["0"] == {"quantity": "1", "price_data": {
        "currency": "eur", "unit_amount": "1234",
        "product_data": {"name": f"Commande n° {order.number}"}}}
    assert params["success_url"] == f"https://portal.test/orders/{order.id}?card=paid"
    assert params["cancel_url"] == f"https://portal.test/orders/{order.id}?card=cancelled"
    # With htmx the browser is told where to go instead.
    again = _pay(client, order, headers=htmx_headers())
    assert again.status_code == 204
    assert again.headers["HX-Redirect"] == f"{stripe_fake.base}/pay/cs_test_2"
    assert db.session.get(Order, order.id).status == OrderStatus.AWAITING_PAYMENT


def test_a_guest_comes_back_to_the_consumer_storefront(app, client, world, stripe_fake):
    f.consumer_storefront({world.products["cement"]: 1000})
    client.post(f"/shop/cart/{world.products['cement'].id}", base_url=f.DIRECT,
                data={"qty": "2"})
    client.post("/shop/details", base_url=f.DIRECT, data={
        "name": "Claire Martin", "email": "claire@example.fr", "phone": "",
        "line1": "12 rue des Lilas", "postal_code": "69003", "city": "Lyon"})
    page = client.get("/checkout/", base_url=f.DIRECT).get_data(as_text=True)
    fields = dict(__import__("re").findall(r'name="(place|token)" value="([^"]+)"', page))
    assert client.post("/checkout/", base_url=f.DIRECT, data=fields).status_code == 303
    order = db.session.scalar(select(Order).where(Order.status == OrderStatus.AWAITING_PAYMENT))
    assert "Payer par carte" in client.get(f"/orders/{order.id}", base_url=f.DIRECT).get_data(
        as_text=True)

    assert _pay(client, order, base_url=f.DIRECT).status_code == 303
    params = stripe_fake.requests[-1]["params"]
    assert params["line_items"]["0"]["price_data"]["unit_amount"] == "2400"  # 20 % VAT in
    assert params["customer_email"] == "claire@example.fr"
    success = urlsplit(params["success_url"])
    assert (success.netloc, success.path) == ("direct.example.test", f"/orders/{order.id}")


def test_a_signed_notice_settles_the_order_once(app, client, world, stripe_fake):
    order = _prepaid(world.a.buyer, 1234)
    login(client, world.a.buyer)
    _pay(client, order)
    # Back from the provider before its notice: the payment is being confirmed.
    back = client.get(f"/orders/{order.id}?card=paid").get_data(as_text=True)
    assert "Paiement en cours de confirmation" in back and "Payer par carte" not in back

    payload = card_provider.completed_event(stripe_fake.sessions["cs_test_1"])
    answer = _notify(app.test_client(), payload)
    assert answer.status_code == 200 and answer.json == {"received": "settled"}
    db.session.expire_all()
    settled = db.session.get(Order, order.id)
    assert settled.status == OrderStatus.SUBMITTED
    # As staff recording the transfer: the timeline, the audit row, the buyer's e-mail.
    event = db.session.scalar(select(OrderEvent).where(OrderEvent.order_id == order.id,
                                                       OrderEvent.code == "payment_received"))
    assert event.params["amount"] == 1234 and event.params["reference"] == "cs_test_1"
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "payment.record"))
    assert audit.actor_id is None and audit.detail["provider"] == "stripe"
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == world.a.buyer.email, OutboxMessage.kind.like("credit_%")))
    assert mail is not None and order.number in mail.body_text
    page = client.get(f"/orders/{order.id}?card=paid").get_data(as_text=True)
    assert "Paiement en cours de confirmation" not in page and "Payer par carte" not in page
    assert "Paiement de 12,34" in page

    # The provider delivers again: nothing changes.
    before = _counts(order)
    replay = _notify(app.test_client(), payload)
    assert replay.status_code == 200 and replay.json == {"received": "already"}
    assert _counts(order) == before


def test_a_bad_signature_is_refused_and_changes_nothing(app, world, stripe_fake):
    order = _prepaid(world.a.buyer, 1234)
    session = stripe_fake.create({"line_items": {"0": {"quantity": "1", "price_data": {
        "currency": "eur", "unit_amount": "1234"}}}, "client_reference_id": str(order.id),
        "metadata": {"order_id": str(order.id), "order_number": order.number},
        "success_url": "x", "cancel_url": "x"})
    payload = card_provider.completed_event(session)
    before = _counts(order)
    client = app.test_client()
    for signature in (card_provider.sign(payload, secret="whsec_someone_else"),
                      card_provider.sign(payload + b" "),
                      card_provider.sign(payload, at=int(time.time()) - 3600),
                      "t=1,v1=00", "garbage"):
        assert _notify(client, payload, signature).status_code == 400, signature
    assert client.post(WEBHOOK, data=payload, content_type="application/json").status_code == 400
    assert _counts(order) == before
    assert _counts(order)[0] == OrderStatus.AWAITING_PAYMENT


def test_a_payment_of_another_amount_or_currency_does_not_settle(app, client, world,
                                                                 stripe_fake):
    order = _prepaid(world.a.buyer, 1234)
    session = {"id": "cs_test_9", "object": "checkout.session", "amount_total": 1000,
               "currency": "eur", "client_reference_id": str(order.id),
               "metadata": {"order_id": str(order.id), "order_number": order.number}}
    short = card_provider.completed_event(session)
    answer = _notify(app.test_client(), short)
    assert answer.status_code == 200 and answer.json == {"received": "mismatch"}
    assert _counts(order)[0] == OrderStatus.AWAITING_PAYMENT
    # Staff see it on the order's timeline in the back office; told once, however often sent.
    before = _counts(order)
    assert _notify(app.test_client(), short).json == {"received": "already"}
    assert _counts(order) == before
    login(client, world.staff)
    staff_page = client.get(f"/staff/fulfilment/orders/{order.id}").get_data(as_text=True)
    assert "Paiement par carte de 10,00" in staff_page and "12,34" in staff_page

    francs = card_provider.completed_event({**session, "id": "cs_test_10",
                                            "amount_total": 1234, "currency": "chf"})
    assert _notify(app.test_client(), francs).json == {"received": "mismatch"}
    assert _counts(order)[0] == OrderStatus.AWAITING_PAYMENT


def test_another_companys_order_is_a_404_and_the_provider_is_not_asked(app, client, world,
                                                                      stripe_fake):
    theirs = _prepaid(world.b.buyer)
    login(client, world.a.buyer)
    assert _pay(client, theirs).status_code == 404
    assert _pay(client, theirs, headers=htmx_headers()).status_code == 404
    assert client.post("/card-payment/orders/999999").status_code == 404
    assert stripe_fake.requests == []


def test_without_keys_card_payment_is_not_offered(app, client, world):
    order = _prepaid(world.a.buyer)
    login(client, world.a.buyer)
    page = client.get(f"/orders/{order.id}?card=paid").get_data(as_text=True)
    assert "IBAN" in page
    assert "Payer par carte" not in page and "Paiement en cours" not in page
    assert _pay(client, order).status_code == 404
    payload = json.dumps({"type": "checkout.session.completed"}).encode()
    assert _notify(app.test_client(), payload).status_code == 400
    assert _counts(order)[0] == OrderStatus.AWAITING_PAYMENT


def test_a_provider_that_fails_or_an_order_already_paid_is_said_on_the_order(
        app, client, world, stripe_fake):
    order = _prepaid(world.a.buyer)
    login(client, world.a.buyer)
    stripe_fake.down = True
    answer = _pay(client, order)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(
        f"/orders/{order.id}")
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Le paiement par carte n&#39;est pas disponible" in page
    assert _counts(order)[0] == OrderStatus.AWAITING_PAYMENT
    stripe_fake.down = False
    tries = len(stripe_fake.requests)  # the library tries a 500 twice (max_network_retries=1)
    order.status = OrderStatus.SUBMITTED
    db.session.commit()
    refused = _pay(client, order, headers=htmx_headers())  # htmx follows HX-Redirect on a 409
    assert refused.status_code == 409 and refused.headers["HX-Redirect"].endswith(
        f"/orders/{order.id}")
    assert "attend plus son paiement" in client.get(f"/orders/{order.id}").get_data(
        as_text=True)
    assert len(stripe_fake.requests) == tries  # a paid order asks the provider nothing
