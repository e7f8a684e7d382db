"""Click-and-collect on the consumer storefront (issue 22): a guest who collects at a branch
gives no address, is promised the day the branch can hand the order over (its own stock, no
transit), may pay at the counter instead of by transfer (the order goes to the warehouse at
once), and the branch is on the order page, the e-mail, the staff's queue and the API. Staff
mark it collected: the branch's stock leaves, the invoice is paid. A warehouse that is not a
collection point is refused like an unknown place. The clock is pinned: 2026-12-10 is a
Thursday, 9:30 in Paris, before the 14:00 cut-off."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    InvoicePayment,
    Order,
    OrderStatus,
    OutboxMessage,
    Stock,
    User,
    Warehouse,
)
from portal.services import integration, storefronts
from tests import factories as f
from tests.conftest import login

DIRECT = f.DIRECT
MORNING = "2026-12-10T09:30:00+01:00"
WHO = {"name": "Claire Martin", "email": "claire@example.fr", "phone": "0612345678",
       "line1": "", "postal_code": "", "city": ""}
HOURS = "lun.-ven. 7 h-12 h, 13 h 30-17 h"


@pytest.fixture
def shop(app, world):
    """Direct Chantier pricing cement (40 at LYO, lead time 2 days); LYO is a collection
    point in Lyon; MAR (Marseille, no stock) too; PAR is a warehouse nobody collects at."""
    app.config["CLOCK_NOW"] = MORNING
    f.consumer_storefront({world.products["cement"]: 1000})
    world.warehouse.collection_point, world.warehouse.opening_hours = True, HOURS
    marseille = Warehouse(code="MAR", name="Entrepôt Marseille", city="Marseille",
                          collection_point=True, opening_hours="lun.-ven. 8 h-17 h")
    paris = Warehouse(code="PAR", name="Entrepôt Paris", city="Paris")
    db.session.add_all([marseille, paris])
    db.session.commit()
    storefronts.forget()
    yield {"lyon": world.warehouse, "marseille": marseille, "paris": paris}
    app.config["CLOCK_NOW"] = ""


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def _guest_with_cement(client, world, quantity="2"):
    added = client.post(f"/shop/cart/{world.products['cement'].id}", base_url=DIRECT,
                        data={"qty": quantity})
    assert added.status_code == 303
    saved = client.post("/shop/details", base_url=DIRECT, data=WHO)
    assert saved.status_code == 303, saved.get_data(as_text=True)[:500]
    return client.get("/checkout/", base_url=DIRECT)


def _place(client, page, place, payment):
    return client.post("/checkout/", base_url=DIRECT, data={
        "place": place, "payment": payment, "token": _token(page.get_data(as_text=True))})


def _order_of(email="claire@example.fr") -> Order | None:
    db.session.expire_all()
    return db.session.scalar(select(Order).join(User, User.id == Order.placed_by_id)
                             .where(User.email == email))


def test_a_guest_collects_at_a_branch_and_pays_there(app, client, world, shop):
    lyon = shop["lyon"]
    checkout = _guest_with_cement(client, world)
    assert checkout.status_code == 200  # no address was needed
    text = checkout.get_data(as_text=True)
    assert "Retrait en agence\u202f: Lyon" in text and HOURS in text
    assert "À retirer à partir du jeu. 10 déc." in text  # in stock there, ready today
    assert "Paiement au retrait" in text and "bon de commande" not in text
    placed = _place(client, checkout, f"collect:{lyon.id}", "at_collection")
    assert placed.status_code == 303, placed.get_data(as_text=True)[:2000]
    order = _order_of()
    # Paid at the counter: the order goes to the warehouse without waiting for a transfer.
    assert order.status == OrderStatus.SUBMITTED and order.pay_at_collection
    assert order.collect_warehouse_id == lyon.id
    assert order.lines[0].promised_date == date(2026, 12, 10)  # no transit day
    page = client.get(placed.headers["Location"], base_url=DIRECT).get_data(as_text=True)
    assert "Retrait en agence\u202f: Lyon" in page and "Au retrait, au comptoir" in page
    assert "IBAN" not in page
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == "claire@example.fr").order_by(OutboxMessage.id))
    assert "Retrait en agence\u202f: Lyon" in mail.body_text and "au comptoir" in mail.body_text

    # The seller's ERP reads the branch in the order's payload.
    _client, token = integration.create_client("erp", ("orders:read",),
                                               now=datetime.now(UTC))
    db.session.commit()
    feed = app.test_client().get(f"/api/v1/orders/{order.id}",
                                 headers={"Authorization": f"Bearer {token}"}).get_json()
    assert feed["delivery"]["collect_at"]["code"] == "LYO"
    assert feed["delivery"]["pay_at_collection"] is True

    staff = app.test_client()
    login(staff, world.fulfilment)
    queue = staff.get("/staff/fulfilment/").get_data(as_text=True)
    assert order.number in queue and "Retrait en agence\u202f: Lyon" in queue
    assert staff.post(f"/staff/fulfilment/orders/{order.id}/confirm").status_code == 303
    assert staff.post(f"/staff/fulfilment/orders/{order.id}/collected").status_code == 303
    order = _order_of()
    assert order.status == OrderStatus.DELIVERED
    db.session.expire_all()
    stock = db.session.get(Stock, (world.products["cement"].id, lyon.id))
    assert (stock.quantity, stock.reserved) == (38, 0)
    paid = db.session.scalars(select(InvoicePayment).where(
        InvoicePayment.company_id == order.company_id)).all()
    assert [p.amount_cents for p in paid] == [2400]
    assert "retrait" in paid[0].reference.lower()


def test_bank_transfer_for_a_collection_waits_for_the_transfer(client, world, shop):
    checkout = _guest_with_cement(client, world)
    assert _place(client, checkout, f"collect:{shop['lyon'].id}", "transfer").status_code == 303
    order = _order_of()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not order.pay_at_collection
    assert order.collect_warehouse_id == shop["lyon"].id


def test_the_promise_at_a_branch_counts_its_own_stock_only(client, world, shop):
    """Marseille holds no cement: it is there after the lead time (2 working days), even if
    Lyon holds 40; nothing is reserved at Lyon for it."""
    checkout = _guest_with_cement(client, world)
    assert "À retirer à partir du lun. 14 déc." in checkout.get_data(as_text=True)
    assert _place(client, checkout, f"collect:{shop['marseille'].id}",
                  "at_collection").status_code == 303
    order = _order_of()
    assert order.lines[0].backordered_qty == 2
    assert order.lines[0].backorder_date == date(2026, 12, 14)
    db.session.expire_all()
    assert db.session.get(Stock, (world.products["cement"].id, shop["lyon"].id)).reserved == 0


def test_refused_choices_place_nothing(client, world, shop):
    checkout = _guest_with_cement(client, world)
    # A warehouse that is not a collection point is refused like an unknown place.
    paris = _place(client, checkout, f"collect:{shop['paris'].id}", "at_collection")
    assert paris.status_code == 422
    assert 'id="place-error"' in paris.get_data(as_text=True)
    # Paying at collection without collecting: no address place exists for this guest, and
    # an unknown way to pay is refused too.
    odd = _place(client, checkout, f"collect:{shop['lyon'].id}", "cheque")
    assert odd.status_code == 422 and 'id="payment-error"' in odd.get_data(as_text=True)
    assert _order_of() is None


def test_paying_at_collection_needs_a_collection(client, world, shop):
    client.post(f"/shop/cart/{world.products['cement'].id}", base_url=DIRECT, data={"qty": "1"})
    client.post("/shop/details", base_url=DIRECT,
                data=WHO | {"line1": "12 rue des Lilas", "postal_code": "69003", "city": "Lyon"})
    checkout = client.get("/checkout/", base_url=DIRECT)
    home = re.search(r'name="place" value="(address:\d+)"', checkout.get_data(as_text=True))
    refused = _place(client, checkout, home.group(1), "at_collection")
    assert refused.status_code == 422 and 'id="payment-error"' in refused.get_data(as_text=True)
    assert _order_of() is None
    assert _place(client, checkout, home.group(1), "transfer").status_code == 303
    assert _order_of().collect_warehouse_id is None


def test_an_address_is_still_needed_where_nobody_collects(app, client, world):
    f.consumer_storefront({world.products["cement"]: 1000})
    client.post(f"/shop/cart/{world.products['cement'].id}", base_url=DIRECT, data={"qty": "1"})
    refused = client.post("/shop/details", base_url=DIRECT, data=WHO)
    assert refused.status_code == 422 and 'id="d-line1-error"' in refused.get_data(as_text=True)


def test_a_delivered_order_cannot_be_marked_collected(app, client, world):
    order = f.order(world.a.buyer, [(world.products["cement"], 1, 850)])
    order.status = OrderStatus.CONFIRMED
    db.session.commit()
    login(client, world.fulfilment)
    assert client.post(f"/staff/fulfilment/orders/{order.id}/collected").status_code == 409
    assert _order_of(world.a.buyer.email).status == OrderStatus.CONFIRMED


def test_staff_make_a_warehouse_a_collection_point(client, world):
    login(client, world.staff)
    url = f"/staff/warehouses/{world.warehouse.id}"
    form = {"cutoff": "14:00", "working_days": "12345", "holidays": "1",
            "collection_point": "1", "opening_hours": ""}
    refused = client.post(url, data=form)
    assert refused.status_code == 422
    assert f'id="w-{world.warehouse.id}-opening_hours-error"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(Warehouse, world.warehouse.id).collection_point
    assert client.post(url, data=form | {"opening_hours": HOURS}).status_code == 303
    db.session.expire_all()
    saved = db.session.get(Warehouse, world.warehouse.id)
    assert saved.collection_point and saved.opening_hours == HOURS
