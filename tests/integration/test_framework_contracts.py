"""Public-sector storefront (issue 22): a public body's buyer orders under its framework
contract, exactly its products at its prices while it is in force, each order with the legal
commitment number and the service code, within the contract's ceiling; the invoice carries
both for Chorus Pro (BT-13, BT-10); staff manage the contracts."""

import re
from datetime import timedelta

import pytest
from lxml import etree
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEntry,
    CartLine,
    FrameworkContract,
    FrameworkContractLine,
    Invoice,
    Order,
    OrderStatus,
    Role,
    Storefront,
    StorefrontKind,
    UnitKind,
)
from portal.services.selling import offers_for
from portal.services.selling.pricing import local_today
from tests import factories as f
from tests.factories.pages import TOKEN

HOST = "collectivites.example.test"
SHOP = f"http://{HOST}"
EN = {"Accept-Language": "en"}
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"


def _canteen(front, name):
    company = f.company(name, storefront_id=front.id, po_required=False)
    kitchen = f.unit(company, "Cuisine centrale", UnitKind.JOBSITE)
    buyer = f.user(company, Role.BUYER, email=f"buyer@{name.split()[-1].lower()}.test",
                   language="en", last_jobsite_id=kitchen.id)
    return company, kitchen, buyer


def _contract(company, front, lines, *, starts=-10, ends=30, ceiling=100_000,
              reference="M-2026-01"):
    today = local_today()
    contract = FrameworkContract(company_id=company.id, storefront_id=front.id,
                                 reference=reference, title="Fournitures de cuisine",
                                 starts_on=today + timedelta(days=starts),
                                 ends_on=today + timedelta(days=ends), ceiling_cents=ceiling)
    contract.lines = [FrameworkContractLine(product_id=p.id, unit_price_cents=cents)
                      for p, cents in lines]
    db.session.add(contract)
    db.session.commit()
    return contract


@pytest.fixture
def public(world):
    front = Storefront(code="collectivites", kind=StorefrontKind.PUBLIC, name="Achats publics",
                       hosts=HOST, brand_colour="#1d4f7c")
    db.session.add(front)
    db.session.flush()
    company, kitchen, buyer = _canteen(front, "Cantine de Villeurbanne")
    screws, flour = world.products["screws"], world.products["flour"]
    contract = _contract(company, front, [(screws, 70), (flour, 110)])
    return type("Public", (), {"front": front, "company": company, "kitchen": kitchen,
                               "buyer": buyer, "contract": contract})


def _browser(app, user):
    browser = app.test_client()
    answer = browser.post("/login", base_url=SHOP, data={"email": user.email,
                                                          "password": f.PASSWORD})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return browser


def _checkout(browser, public, **fields):
    page = browser.get("/checkout/", base_url=SHOP, headers=EN)
    assert page.status_code == 200, page.status_code
    token = TOKEN.search(page.get_data(as_text=True)).group(1)
    data = {"token": token, "place": f"jobsite:{public.kitchen.id}", **fields}
    return browser.post("/checkout/", base_url=SHOP, data=data, headers=EN)


def _orders(company):
    return db.session.scalars(select(Order).where(Order.company_id == company.id)).all()


def test_contract_prices_apply_and_only_its_products_are_seen_and_ordered(app, world, public):
    screws, cement = world.products["screws"], world.products["cement"]
    shelf = offers_for(public.buyer)
    # The contract's fixed price whatever the quantity (the list's tiers 100/97/90 are not
    # theirs), never the trade portal's.
    assert shelf.get(screws).verdict(1).unit_price_cents == 70
    assert shelf.get(screws).verdict(50).unit_price_cents == 70
    assert shelf.get(world.products["flour"]).verdict(10).unit_price_cents == 110
    assert not shelf.get(cement).visible
    assert offers_for(world.a.buyer).get(screws).verdict(1).unit_price_cents == 80

    browser = _browser(app, public.buyer)
    assert browser.get(f"/catalog/p/{cement.id}", base_url=SHOP).status_code == 404
    found = browser.get(f"/catalog/p/{screws.id}", base_url=SHOP, headers=EN)
    assert found.status_code == 200 and "0.70" in found.get_data(as_text=True)
    refused = browser.post("/cart/add", base_url=SHOP, headers=EN,
                           data={"product_id": cement.id, "quantity": "1"})
    assert refused.status_code in (404, 422)
    assert db.session.scalar(select(func.count()).select_from(CartLine).where(
        CartLine.product_id == cement.id)) == 0


def test_an_order_without_its_commitment_number_or_service_code_is_refused_and_nothing_saved(
        app, world, public):
    f.cart_with(public.buyer, (world.products["screws"], 10))
    db.session.commit()
    browser = _browser(app, public.buyer)
    answer = _checkout(browser, public)
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "Enter the legal commitment number" in text
    assert "Enter the service code" in text
    assert _orders(public.company) == []
    assert db.session.scalar(select(func.count()).select_from(CartLine)) == 1  # untouched

    placed = _checkout(browser, public, po_number="EJ-2026-00042", service_code="RESTO-SCOL")
    assert placed.status_code == 303, placed.get_data(as_text=True)[:500]
    [order] = _orders(public.company)
    assert (order.po_number, order.service_code) == ("EJ-2026-00042", "RESTO-SCOL")
    assert order.framework_contract_id == public.contract.id
    assert order.subtotal_cents == 700
    page = browser.get(f"/orders/{order.id}", base_url=SHOP, headers=EN).get_data(as_text=True)
    assert "Legal commitment number" in page and "EJ-2026-00042" in page
    assert "RESTO-SCOL" in page and "M-2026-01" in page


def test_a_contract_past_its_end_shows_nothing_and_refuses_the_order(app, world, public):
    f.cart_with(public.buyer, (world.products["screws"], 10))
    db.session.commit()
    browser = _browser(app, public.buyer)
    assert "Contract M-2026-01: €0 committed of €1,000 (0 %)" in browser.get(
        "/cart/", base_url=SHOP, headers=EN).get_data(as_text=True).replace("\u202f", " ")
    public.contract.ends_on = local_today() - timedelta(days=1)
    public.contract.starts_on = local_today() - timedelta(days=60)
    db.session.commit()
    cart = browser.get("/cart/", base_url=SHOP, headers=EN).get_data(as_text=True)
    assert "Contract M-2026-01 (Fournitures de cuisine) ended on" in cart
    assert browser.get(f"/catalog/p/{world.products['screws'].id}",
                       base_url=SHOP).status_code == 404
    answer = _checkout(browser, public, po_number="EJ-1", service_code="RESTO")
    assert answer.status_code == 409
    assert "ended on" in answer.get_data(as_text=True)
    assert _orders(public.company) == []


def test_the_ceiling_warns_from_80_percent_and_refuses_an_order_past_it(app, world, public):
    screws = world.products["screws"]
    # 850.00 of 1 000.00 already committed; a rejected order does not count.
    f.order(public.buyer, [(screws, 1000, 85)], status=OrderStatus.DELIVERED
            ).framework_contract_id = public.contract.id
    f.order(public.buyer, [(screws, 1000, 90)], status=OrderStatus.REJECTED
            ).framework_contract_id = public.contract.id
    f.cart_with(public.buyer, (screws, 250))  # 175.00: past the 150.00 left
    db.session.commit()
    browser = _browser(app, public.buyer)
    cart = browser.get("/cart/", base_url=SHOP, headers=EN).get_data(as_text=True)
    plain = re.sub(r"[\u202f\u00a0]", " ", cart)
    assert "Contract M-2026-01: €850 committed of €1,000 (85 %)" in plain
    assert "85 % of the ceiling is committed: €150.00 left before it." in plain
    answer = _checkout(browser, public, po_number="EJ-7", service_code="RESTO")
    assert answer.status_code == 409
    assert "past its ceiling of €1,000: €150 is left" in answer.get_data(as_text=True)
    assert len(_orders(public.company)) == 2

    line = db.session.scalar(select(CartLine))
    line.quantity = 200  # 140.00: fits
    db.session.commit()
    fits = _checkout(browser, public, po_number="EJ-7", service_code="RESTO")
    assert fits.status_code == 303, re.findall(r'class="flash[^"]*"[^>]*>([^<]+)',
                                               fits.get_data(as_text=True))


def test_an_approval_past_the_ceiling_is_refused_and_a_trim_that_fits_is_approved(
        app, world, public):
    screws = world.products["screws"]
    approver = f.user(public.company, Role.APPROVER, email="chef@villeurbanne.test",
                      language="en")
    f.order(public.buyer, [(screws, 600, 100)], status=OrderStatus.DELIVERED
            ).framework_contract_id = public.contract.id
    waiting = f.order(public.buyer, [(screws, 300, 100)], status=OrderStatus.PENDING_APPROVAL,
                      framework_contract_id=public.contract.id)
    req = f.pending_approval(waiting, approver=approver)
    # Placed within 1 000.00; staff then lower the ceiling to 800.00: 600.00 is spent.
    public.contract.ceiling_cents = 80_000
    db.session.commit()
    browser = _browser(app, approver)
    refused = browser.post(f"/approvals/{req.id}/approve", base_url=SHOP, headers=EN,
                           data={f"qty-{waiting.lines[0].id}": "300"})
    assert refused.status_code == 409
    assert ("This order (€300 excl. VAT) would take contract M-2026-01 past its ceiling of "
            "€800: €200 is left.") in re.sub(r"[\u202f\u00a0]", " ", refused.get_data(
                as_text=True))
    bulk = browser.post("/approvals/bulk", base_url=SHOP, headers=EN,
                        data={"request_id": str(req.id)})
    assert bulk.status_code == 303
    db.session.expire_all()
    assert (waiting.status, waiting.subtotal_cents, waiting.lines[0].quantity) == (
        OrderStatus.PENDING_APPROVAL, 30_000, 300)
    assert [r.status for r in f.requests_of(waiting)] == ["pending"]

    trimmed = browser.post(f"/approvals/{req.id}/approve", base_url=SHOP, headers=EN,
                           data={f"qty-{waiting.lines[0].id}": "200"})
    assert trimmed.status_code == 303
    db.session.expire_all()
    assert (waiting.status, waiting.subtotal_cents) == (OrderStatus.SUBMITTED, 20_000)


def test_the_invoice_carries_the_commitment_number_and_service_code_for_chorus_pro(
        app, world, public):
    f.cart_with(public.buyer, (world.products["screws"], 10))
    db.session.commit()
    browser = _browser(app, public.buyer)
    assert _checkout(browser, public, po_number="EJ-2026-00042",
                     service_code="RESTO-SCOL").status_code == 303
    # Her order history names the number as checkout asked for it, not as a trade "PO".
    history = browser.get("/orders/", base_url=SHOP).get_data(as_text=True)
    assert "Commitment no. EJ-2026-00042" in history and "PO EJ-" not in history
    assert "Commitment number or text" in history
    [order] = _orders(public.company)
    order.status = OrderStatus.CONFIRMED
    db.session.commit()
    staff = app.test_client()
    f_login = staff.post("/login", data={"email": world.fulfilment.email,
                                         "password": f.PASSWORD})
    assert f_login.status_code == 303
    line = order.lines[0]
    assert staff.post(f"/staff/fulfilment/orders/{order.id}/ship",
                      data={f"qty-{line.id}": "10"}).status_code == 303
    invoice = db.session.scalar(select(Invoice).where(Invoice.order_id == order.id))
    assert (invoice.po_number, invoice.buyer_reference) == ("EJ-2026-00042", "RESTO-SCOL")
    xml = browser.get(f"/billing/invoices/{invoice.id}/factur-x.xml", base_url=SHOP)
    assert xml.status_code == 200
    root = etree.fromstring(xml.data)
    assert root.findtext(f".//{{{RAM}}}BuyerReference") == "RESTO-SCOL"  # BT-10
    assert root.findtext(f".//{{{RAM}}}BuyerOrderReferencedDocument/"
                         f"{{{RAM}}}IssuerAssignedID") == "EJ-2026-00042"  # BT-13
    assert browser.get(f"/billing/invoices/{invoice.id}/factur-x.pdf",
                       base_url=SHOP).status_code == 200


def test_another_public_body_neither_sees_nor_edits_this_contract(app, world, public):
    other, _kitchen, other_buyer = _canteen(public.front, "Mairie de Bron")
    _contract(other, public.front, [(world.products["cement"], 800)], reference="BRON-1")
    assert not offers_for(other_buyer).get(world.products["screws"]).visible
    assert offers_for(other_buyer).get(world.products["cement"]).verdict(1
                                                                        ).unit_price_cents == 800
    staff = app.test_client()
    staff.post("/login", data={"email": world.staff.email, "password": f.PASSWORD})
    # This contract under the other customer's address: a 404, as under a trade customer.
    url = f"/staff/customers/{other.id}/contracts/{public.contract.id}"
    assert staff.get(url).status_code == 404
    assert staff.post(url, data={"reference": "X"}).status_code == 404
    assert staff.get(f"/staff/customers/{world.a.company.id}/contracts/new").status_code == 404
    assert staff.get(f"/staff/customers/{public.company.id}/contracts/"
                     f"{public.contract.id}").status_code == 200


def test_staff_create_a_contract_by_sku_and_price_and_bad_lines_save_nothing(app, world,
                                                                              public):
    staff = app.test_client()
    staff.post("/login", data={"email": world.staff.email, "password": f.PASSWORD})
    today = local_today()
    form = {"reference": "M-2027-02", "title": "Produits d'entretien",
            "starts_on": (today + timedelta(days=31)).isoformat(),
            "ends_on": (today + timedelta(days=400)).isoformat(), "ceiling": "20 000",
            "lines": "VIS-440 0,65\nNOPE-1 3"}
    url = f"/staff/customers/{public.company.id}/contracts/new"
    refused = staff.post(url, data=form, headers=EN)
    assert refused.status_code == 422
    assert "Line 2: no product has the SKU NOPE-1." in refused.get_data(as_text=True)
    overlapping = staff.post(url, headers=EN, data={
        **form, "starts_on": today.isoformat(), "lines": "VIS-440 0,65"})
    assert overlapping.status_code == 422
    assert "overlap contract M-2026-01" in overlapping.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(FrameworkContract)) == 1

    saved = staff.post(url, data={**form, "lines": "vis-440 0,65\nCIM-35 8"}, headers=EN)
    assert saved.status_code == 303
    contract = db.session.scalar(select(FrameworkContract).where(
        FrameworkContract.reference == "M-2027-02"))
    assert contract.ceiling_cents == 2_000_000
    assert {line.product.sku: line.unit_price_cents for line in contract.lines} == {
        "VIS-440": 65, "CIM-35": 800}
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.action == "contract.create")) == "contract.create"
    page = staff.get(f"/staff/customers/{public.company.id}", headers=EN).get_data(as_text=True)
    assert "M-2027-02" in page and "€0.00 committed of €20,000.00 (0 %)" in page.replace(
        "\u202f", " ").replace("\u00a0", " ")
