"""One-page checkout: from quick order to one order with frozen prices, and its guards."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Address,
    Order,
    OrderEvent,
    OrderStatus,
    OutboxMessage,
    PaymentTerms,
    PriceTier,
    Unit,
    UnitKind,
)
from portal.services.ordering.checkout import local_today
from tests.conftest import login
from tests.factories import (
    approval_over_limit,
    cart_with,
    checkout_token,
    orders_of,
)

EN = {"Accept-Language": "en"}


def site_key(site) -> str:
    return f"jobsite:{site.id}"


@pytest.fixture
def buyer(client, world):
    login(client, world.a.buyer)
    return world.a.buyer


def place(client, site, **fields):
    data = {"token": checkout_token(client), "place": site_key(site), **fields}
    return client.post("/checkout/", data=data, headers=EN)


def test_quick_order_to_cart_to_checkout_makes_one_order_with_frozen_prices(client, buyer,
                                                                             world):
    added = client.post("/quick-order/add", data={"paste": "VIS-440;10\nCIM-35;3\nGANT-9;12"})
    assert added.status_code == 303
    tomorrow = (local_today(datetime.now(UTC)) + timedelta(days=1)).isoformat()
    answer = place(client, world.a.sites[0], po_number="PO-77", requested_date=tomorrow,
                   notes="Livrer côté rue")
    assert answer.status_code == 303
    (order,) = orders_of(world.a.company)
    assert answer.headers["Location"].endswith(f"/orders/{order.id}")
    assert order.number == f"CMD-{order.placed_at.year}-{order.id:06d}"
    assert [(line.sku, line.quantity, line.unit_price_cents, line.line_total_cents)
            for line in order.lines] == [("VIS-440", 10, 80, 800), ("CIM-35", 3, 850, 2550),
                                         ("GANT-9", 12, 300, 3600)]
    assert order.lines[0].name == world.products["screws"].name_fr
    assert (order.subtotal_cents, order.tax_cents, order.total_cents) == (6950, 1390, 8340)
    assert order.status == OrderStatus.SUBMITTED
    assert (order.po_number, order.notes, order.requested_date.isoformat()) == (
        "PO-77", "Livrer côté rue", tomorrow)
    assert order.payment_terms == PaymentTerms.NET30 and order.currency == "EUR"
    assert order.placed_by_id == buyer.id and order.on_behalf_by_id is None
    assert order.jobsite_id == world.a.sites[0].id
    assert "Site 1" in order.ship_to and "Lyon" in order.ship_to
    assert "Léa" in order.site_contact and order.delivery_window == "7h-10h"
    assert "Your cart is empty." in client.get("/cart/", headers=EN).get_data(as_text=True)
    db.session.refresh(buyer)
    assert buyer.last_jobsite_id == world.a.sites[0].id
    assert db.session.scalar(select(OrderEvent.status).where(OrderEvent.order_id == order.id,
                                                             OrderEvent.kind == "status")) \
        == OrderStatus.SUBMITTED
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.to_address == buyer.email
    assert mail.subject == f"Commande {order.number} reçue"  # the buyer's language: French
    assert mail.body_text.startswith("Bonjour")
    assert f"https://portal.test/orders/{order.id}" in mail.body_text

    # The price list changes afterwards: the order keeps what was agreed.
    db.session.query(PriceTier).filter_by(price_list_id=world.pro.id).update(
        {"unit_price_cents": 999})
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(Order, order.id)
    assert again.lines[0].unit_price_cents == 80 and again.subtotal_cents == 6950


def test_the_confirmation_is_flashed_on_the_order_page(client, buyer, world):
    cart_with(buyer, (world.products["cement"], 1))
    answer = place(client, world.a.sites[0])
    (order,) = orders_of(world.a.company)
    follow = client.get(answer.headers["Location"], headers=EN)
    assert f"Order {order.number} placed." in follow.get_data(as_text=True)


def test_prices_are_taken_from_the_price_book_at_submit_never_from_the_form(client, buyer,
                                                                            world):
    cart_with(buyer, (world.products["cement"], 2))
    token = checkout_token(client)
    db.session.query(PriceTier).filter_by(product_id=world.products["cement"].id).update(
        {"unit_price_cents": 900})
    db.session.commit()
    client.post("/checkout/", data={"token": token, "place": site_key(world.a.sites[0]),
                                    "unit_price_cents": "1", "subtotal_cents": "1"})
    (order,) = orders_of(world.a.company)
    assert order.lines[0].unit_price_cents == 900 and order.subtotal_cents == 1800


def test_a_replayed_token_lands_on_the_same_order_and_makes_no_second_one(client, buyer,
                                                                          world):
    cart_with(buyer, (world.products["cement"], 2))
    data = {"token": checkout_token(client), "place": site_key(world.a.sites[0])}
    first = client.post("/checkout/", data=data)
    cart_with(buyer, (world.products["screws"], 5))  # the cart fills again meanwhile
    second = client.post("/checkout/", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.query(Order).count() == 1
    assert "VIS-440" in client.get("/cart/").get_data(as_text=True)  # still in the cart


def test_po_number_is_required_when_the_company_says_so_and_input_is_kept(client, buyer,
                                                                          world):
    world.a.company.po_required = True
    db.session.commit()
    cart_with(buyer, (world.products["cement"], 2))
    answer = place(client, world.a.sites[1], notes="Grue sur place", po_number="  ")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="po_number-error"' in body and "Enter your PO number" in body
    assert "Grue sur place</textarea>" in body
    assert f'value="{site_key(world.a.sites[1])}" checked' in body
    assert db.session.query(Order).count() == 0
    assert place(client, world.a.sites[1], po_number="BC-1").status_code == 303


@pytest.mark.parametrize("place_value", ["jobsite:{b_site}", "jobsite:999999", "address:{b_addr}",
                                         "jobsite:abc", "", "address:"])
def test_an_unknown_or_foreign_delivery_place_is_a_422(client, buyer, world, place_value):
    b_addr = db.session.scalars(select(Address.id).where(
        Address.company_id == world.b.company.id)).first()
    cart_with(buyer, (world.products["cement"], 2))
    value = place_value.format(b_site=world.b.sites[0].id, b_addr=b_addr)
    answer = client.post("/checkout/", data={"token": checkout_token(client), "place": value},
                         headers=EN)
    assert answer.status_code == 422
    assert "Choose a delivery place." in answer.get_data(as_text=True)
    assert db.session.query(Order).count() == 0


def test_jobsites_are_limited_to_the_buyers_unit_and_open_ones(client, buyer, world):
    from tests import factories as f

    other_branch = f.unit(world.a.company, "Autre agence", UnitKind.BRANCH)
    far = f.unit(world.a.company, "Site lointain", UnitKind.JOBSITE, parent=other_branch)
    world.a.sites[1].archived = True
    db.session.commit()
    cart_with(buyer, (world.products["cement"], 2))
    body = client.get("/checkout/").get_data(as_text=True)
    assert site_key(world.a.sites[0]) in body
    assert site_key(world.a.sites[1]) not in body and site_key(far) not in body
    assert place(client, far).status_code == 422
    assert place(client, world.a.sites[1]).status_code == 422


def test_a_company_admin_sees_every_open_jobsite_and_other_addresses(client, world):
    from tests import factories as f

    depot = Address(company_id=world.a.company.id, label="Dépôt", line1="2 quai",
                    postal_code="69007", city="Lyon")
    db.session.add(depot)
    f.unit(world.a.company, "Site 3", UnitKind.JOBSITE)
    db.session.commit()
    login(client, world.a.admin)
    cart_with(world.a.admin, (world.products["cement"], 2))
    body = client.get("/checkout/", headers=EN).get_data(as_text=True)
    assert body.count('name="place"') == 4
    assert f'value="address:{depot.id}"' in body
    answer = client.post("/checkout/", data={"token": checkout_token(client),
                                             "place": f"address:{depot.id}"})
    assert answer.status_code == 303
    (order,) = orders_of(world.a.company)
    assert order.jobsite_id is None and "2 quai" in order.ship_to


def test_the_last_jobsite_is_preselected(client, buyer, world):
    buyer.last_jobsite_id = world.a.sites[1].id
    db.session.commit()
    cart_with(buyer, (world.products["cement"], 2))
    body = client.get("/checkout/").get_data(as_text=True)
    assert f'value="{site_key(world.a.sites[1])}" checked' in body
    assert f'value="{site_key(world.a.sites[0])}" checked' not in body


def test_the_site_details_and_payment_terms_are_shown(client, buyer, world):
    cart_with(buyer, (world.products["cement"], 2))
    body = client.get("/checkout/", headers=EN).get_data(as_text=True)
    assert "Site contact: Léa · 0600000000" in body and "Delivery window: 7h-10h" in body
    assert "On account, net 30 days" in body
    world.a.company.payment_terms = PaymentTerms.PREPAY
    db.session.commit()
    body = client.get("/checkout/", headers=EN).get_data(as_text=True)
    assert "Prepayment: bank transfer" in body and "card" not in body.lower().split("<main")[1]


@pytest.mark.parametrize("requested", ["today", "yesterday", "2020-01-01", "31/12/2030"])
def test_a_delivery_date_before_tomorrow_or_unreadable_is_a_422(client, buyer, world,
                                                                requested):
    today = local_today(datetime.now(UTC))
    value = {"today": today.isoformat(),
             "yesterday": (today - timedelta(days=1)).isoformat()}.get(requested, requested)
    cart_with(buyer, (world.products["cement"], 2))
    answer = place(client, world.a.sites[0], requested_date=value)
    assert answer.status_code == 422
    assert 'id="requested_date-error"' in answer.get_data(as_text=True)


def test_an_empty_cart_goes_back_to_the_cart_with_a_message(client, buyer, world):
    assert client.get("/checkout/").headers["Location"].endswith("/cart/")
    (line,) = cart_with(buyer, (world.products["cement"], 2))
    token = checkout_token(client)
    client.post(f"/cart/line/{line.id}/remove")  # emptied in another tab
    answer = client.post("/checkout/", data={"token": token, "place": site_key(world.a.sites[0])})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/cart/")
    assert "Your cart is empty." in client.get("/cart/", headers=EN).get_data(as_text=True)
    assert db.session.query(Order).count() == 0


def test_unavailable_lines_are_left_in_the_cart_and_out_of_the_order(client, buyer, world):
    from portal.models import VisibilityRule

    cart_with(buyer, (world.products["cement"], 2), (world.products["flour"], 10))
    db.session.add(VisibilityRule(company_id=world.a.company.id,
                                  category_id=world.categories["tools"].id))
    db.session.commit()
    body = client.get("/checkout/", headers=EN).get_data(as_text=True)
    assert "Lines no longer available: 1." in body
    assert place(client, world.a.sites[0]).status_code == 303
    (order,) = orders_of(world.a.company)
    assert [line.sku for line in order.lines] == ["CIM-35"]
    assert "FAR-T55" in client.get("/cart/").get_data(as_text=True)


def test_an_order_over_the_buyers_limit_is_sent_for_approval(client, buyer, world):
    approval_over_limit(world.a.company)
    cart_with(buyer, (world.products["cement"], 40), (world.products["flour"], 900))
    answer = place(client, world.a.sites[0])
    (order,) = orders_of(world.a.company)
    assert order.status == OrderStatus.PENDING_APPROVAL
    follow = client.get(answer.headers["Location"], headers=EN).get_data(as_text=True)
    assert f"Order {order.number} sent for approval to" in follow


def test_a_viewer_cannot_check_out(client, world):
    login(client, world.a.viewer)
    assert client.get("/checkout/").status_code == 403
    assert client.post("/checkout/", data={"token": "x" * 43}).status_code == 403


def test_a_staff_member_acting_for_a_buyer_is_recorded_on_the_order(client, world, app):
    from portal.models import RepAssignment

    db.session.add(RepAssignment(rep_id=world.rep.id, company_id=world.a.company.id))
    db.session.commit()
    login(client, world.a.buyer)
    with client.session_transaction() as sess:
        sess["acting_for"] = {"user_id": world.a.buyer.id, "staff_id": world.rep.id,
                              "staff_version": world.rep.session_version}
        sess["acting_seen"] = int(time.time())
    cart_with(world.a.buyer, (world.products["cement"], 2))
    assert place(client, world.a.sites[0]).status_code == 303
    (order,) = orders_of(world.a.company)
    assert order.on_behalf_by_id == world.rep.id and order.placed_by_id == world.a.buyer.id


def test_unit_rows_of_other_companies_never_leak_into_the_form(client, buyer, world):
    cart_with(buyer, (world.products["cement"], 2))
    body = client.get("/checkout/").get_data(as_text=True)
    for site in world.b.sites:
        assert site_key(site) not in body
    assert db.session.get(Unit, world.b.sites[0].id).company_id == world.b.company.id


def test_the_error_summary_names_each_wrong_field_with_a_link_and_takes_the_focus(
        client, buyer, world):
    world.a.company.po_required = True
    db.session.commit()
    cart_with(buyer, (world.products["cement"], 2))
    data = {"token": checkout_token(client), "place": "jobsite:999999", "po_number": ""}
    answer = client.post("/checkout/", data=data, headers=EN)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422
    summary = body[body.index('id="error-summary"'):body.index("</ul>", body.index(
        'id="error-summary"'))]
    assert "autofocus" in summary
    assert '<a href="#po_number">PO number: Enter your PO number' in summary
    assert '<a href="#place-1">Ship to: Choose a delivery place.</a>' in summary
    assert 'id="place-1"' in body
    # What the buyer must fill comes before the delivery cards, not under them.
    assert body.index('id="po_number"') < body.index('name="place"')
