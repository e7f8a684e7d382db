"""Credit control: an order on account that takes the company over its credit limit waits on
credit hold (the buyer is told before submitting, with the credit available), staff decide
in the credit queue (release, raise the limit, ask for prepayment: audited, e-mailed), and
approvals come first, credit second."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AuditEntry,
    Company,
    Order,
    OrderStatus,
    OutboxMessage,
    PaymentTerms,
)
from portal.services.credit import exposure_cents
from tests.conftest import login
from tests.factories import (
    approval_over_limit,
    cart_with,
    checkout_token,
    order,
    orders_of,
    requests_of,
)

EN = {"Accept-Language": "en"}


def _limit(world, cents, terms=PaymentTerms.NET30):
    company = world.a.company
    company.credit_limit_cents, company.payment_terms = cents, terms
    db.session.commit()


def _place(client, world):
    data = {"token": checkout_token(client), "place": f"jobsite:{world.a.sites[0].id}"}
    answer = client.post("/checkout/", data=data, headers=EN)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:400]
    return answer


def _new_order(world) -> Order:
    return max(orders_of(world.a.company), key=lambda o: o.id)


def _as(client, user):
    """A fresh browser signed in as `user`."""
    other = client.application.test_client()
    login(other, user)
    return other


def _mails(kind):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def _over_the_limit(client, world):
    """100 € limit, 50 € already on order; a cart of 85 € + VAT = 102 € goes over."""
    _limit(world, 10_000)
    order(world.a.buyer, [(world.products["cement"], 10, 500)], commit=True)
    cart_with(world.a.buyer, (world.products["cement"], 10))
    login(client, world.a.buyer)


def test_the_buyer_is_told_before_submitting_and_the_order_waits(client, world):
    _over_the_limit(client, world)
    page = client.get("/checkout/", headers=EN).get_data(as_text=True)
    assert "This order will wait for a credit check" in page
    assert "Credit available: €50.00; this order: €102.00" in page
    answer = _place(client, world)
    held = _new_order(world)
    assert held.status == OrderStatus.CREDIT_HOLD
    assert "waits for a credit check" in client.get(answer.headers["Location"],
                                                    headers=EN).get_data(as_text=True)
    [mail] = _mails("order_placed")
    assert "encours autorisé" in mail.body_text  # the buyer reads French
    warehouse = client.application.test_client()
    login(warehouse, world.fulfilment)
    assert held.number not in warehouse.get("/fulfilment/").get_data(as_text=True)


def test_under_the_limit_the_order_goes_to_the_warehouse(client, world):
    _limit(world, 1_000_000)
    cart_with(world.a.buyer, (world.products["cement"], 10))
    login(client, world.a.buyer)
    assert "credit check" not in client.get("/checkout/", headers=EN).get_data(as_text=True)
    _place(client, world)
    assert _new_order(world).status == OrderStatus.SUBMITTED


def test_prepayment_terms_wait_for_the_payment_not_the_credit_check(client, world):
    _over_the_limit(client, world)
    _limit(world, 10_000, PaymentTerms.PREPAY)
    assert "bank transfer is received" in client.get("/checkout/", headers=EN).get_data(
        as_text=True)
    answer = _place(client, world)
    placed = _new_order(world)
    assert placed.status == OrderStatus.AWAITING_PAYMENT
    page = client.get(answer.headers["Location"], headers=EN).get_data(as_text=True)
    assert "once its payment is received" in page and "FR76 3000 6000 0112 3456 7890 189" in page
    [mail] = _mails("order_placed")
    assert "AGRIFRPP" in mail.body_text and placed.number in mail.body_text
    warehouse = client.application.test_client()
    login(warehouse, world.fulfilment)
    assert placed.number not in warehouse.get("/fulfilment/").get_data(as_text=True)


def test_staff_release_in_two_taps_audited_and_emailed(client, world):
    _over_the_limit(client, world)
    _place(client, world)
    held = _new_order(world)
    client = _as(client, world.staff)
    queue = client.get("/staff/credit", headers=EN).get_data(as_text=True)
    assert held.number in queue and "Company A" in queue
    answer = client.post(f"/staff/credit/{held.id}", data={"decision": "release"}, headers=EN)
    assert answer.status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, held.id).status == OrderStatus.SUBMITTED
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.action == "credit.release")) == "credit.release"
    [mail] = _mails("credit_credit_released")
    assert mail.to_address == world.a.buyer.email
    again = client.post(f"/staff/credit/{held.id}", data={"decision": "release"}, headers=EN)
    assert again.status_code == 409
    assert "no longer waiting" in again.get_data(as_text=True)


def test_raise_the_limit_refuses_too_low_then_releases(client, world):
    _over_the_limit(client, world)
    _place(client, world)
    held = _new_order(world)
    client = _as(client, world.staff)
    low = client.post(f"/staff/credit/{held.id}", data={"decision": "raise", "limit": "120"},
                      headers=EN)
    assert low.status_code == 422 and "at least €152.00" in low.get_data(as_text=True)
    for bad in ("0", "-5", "abc"):
        refused = client.post(f"/staff/credit/{held.id}",
                              data={"decision": "raise", "limit": bad}, headers=EN)
        assert refused.status_code == 422, bad
    db.session.expire_all()
    assert db.session.get(Company, world.a.company.id).credit_limit_cents == 10_000
    ok = client.post(f"/staff/credit/{held.id}", data={"decision": "raise", "limit": "200"})
    assert ok.status_code == 303
    db.session.expire_all()
    assert db.session.get(Company, world.a.company.id).credit_limit_cents == 20_000
    assert db.session.get(Order, held.id).status == OrderStatus.SUBMITTED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "credit.raise_limit"))
    assert entry.detail["credit_limit_cents"] == [10_000, 20_000]


def test_ask_for_prepayment_then_record_the_payment(client, world):
    _over_the_limit(client, world)
    _place(client, world)
    held = _new_order(world)
    buyer = client
    client = _as(client, world.staff)
    assert client.post(f"/staff/credit/{held.id}", data={"decision": "prepay"}).status_code == 303
    db.session.expire_all()
    held = db.session.get(Order, held.id)
    assert (held.status, held.payment_terms) == (OrderStatus.AWAITING_PAYMENT,
                                                 PaymentTerms.PREPAY)
    assert exposure_cents(world.a.company.id) == 5_000  # the prepaid order is not on account
    [mail] = _mails("credit_prepayment_asked")
    assert "102,00" in mail.body_text and "IBAN" in mail.body_text
    assert held.number in mail.body_text  # the payment reference
    page = buyer.get(f"/orders/{held.id}", headers=EN).get_data(as_text=True)
    assert "Proforma: pay by bank transfer" in page and "Payment reference" in page
    queue = client.get("/staff/credit", headers=EN).get_data(as_text=True)
    assert f"Payment received for {held.number}" in queue
    assert client.post(f"/staff/credit/{held.id}", data={"decision": "paid"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, held.id).status == OrderStatus.SUBMITTED
    assert "payment.record" in db.session.scalars(select(AuditEntry.action)).all()
    assert _mails("credit_payment_received")
    again = client.post(f"/staff/credit/{held.id}", data={"decision": "paid"}, headers=EN)
    assert again.status_code == 409


def test_approval_first_then_credit(client, world):
    approval_over_limit(world.a.company)
    _limit(world, 50_000)
    cart_with(world.a.buyer, (world.products["cement"], 130))  # 1,105 € excl. VAT: over 1,000
    login(client, world.a.buyer)
    _place(client, world)
    placed = _new_order(world)
    assert placed.status == OrderStatus.PENDING_APPROVAL  # not held before approval
    [req] = requests_of(placed)
    client = _as(client, world.a.approver)
    assert client.post(f"/approvals/{req.id}/approve", data={"comment": ""}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, placed.id).status == OrderStatus.CREDIT_HOLD
    [mail] = _mails("approval_approved")
    assert "contrôle le crédit" in mail.body_text


def test_only_staff_admins_open_the_credit_queue(client, world):
    login(client, world.a.buyer)
    assert client.get("/staff/credit").status_code == 403
    client = _as(client, world.rep)
    assert client.get("/staff/credit").status_code == 403


def test_a_zero_or_negative_credit_limit_is_refused_on_the_customer(client, world):
    from tests.integration.test_staff_customers import _edit_data as edit_form

    login(client, world.staff)
    for bad, words in (("0", "more than zero"), ("-100", "Enter an amount in euros")):
        answer = client.post(f"/staff/customers/{world.a.company.id}/edit",
                             data=edit_form(world, credit_limit=bad), headers=EN)
        assert answer.status_code == 422 and words in answer.get_data(as_text=True), bad
    db.session.expire_all()
    assert db.session.get(Company, world.a.company.id).credit_limit_cents is None


def test_an_unpaid_proforma_is_reminded_then_cancelled(client, world):
    from datetime import timedelta

    from portal.services.credit import remind_and_expire

    _limit(world, None, PaymentTerms.PREPAY)
    cart_with(world.a.buyer, (world.products["cement"], 2))
    login(client, world.a.buyer)
    _place(client, world)
    placed = _new_order(world)
    start = placed.placed_at
    with client.application.test_request_context():
        assert remind_and_expire(start + timedelta(days=2)) == 0
        assert remind_and_expire(start + timedelta(days=3, hours=1)) == 1
        db.session.commit()
        assert remind_and_expire(start + timedelta(days=4)) == 0  # reminded once
        assert db.session.get(Order, placed.id).status == OrderStatus.AWAITING_PAYMENT
        assert remind_and_expire(start + timedelta(days=7, hours=1)) == 1
        db.session.commit()
    db.session.expire_all()
    assert db.session.get(Order, placed.id).status == OrderStatus.CANCELLED
    [reminder] = _mails("credit_payment_reminder")
    assert "IBAN" in reminder.body_text and placed.number in reminder.body_text
    assert _mails("credit_proforma_expired")
