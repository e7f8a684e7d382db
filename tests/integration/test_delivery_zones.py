"""Delivery zones: staff add a farther zone to a warehouse (its transit days, truck days and
cut-off), staff put a customer's jobsite in it (the company admin only reads it), and the
cart, the countdown and the order promise the zone's dates. 2026-12-08 is a Tuesday; the
warehouse cuts off at 14:00 Paris."""

from datetime import date

import pytest

from portal.extensions import db
from portal.models import DeliveryZone, Unit
from tests.conftest import login
from tests.factories import cart_with, checkout_token, orders_of

EN = {"Accept-Language": "en"}
MOUNTAIN = {"name": "Montagne", "transit_days": "1", "cutoff": "11:00", "delivery_days": "24"}


@pytest.fixture
def tuesday(app):
    app.config["CLOCK_NOW"] = "2026-12-08T09:30:00+01:00"
    yield
    app.config["CLOCK_NOW"] = ""


def _zone(world) -> DeliveryZone:
    zone = DeliveryZone(warehouse_id=world.warehouse.id, name="Montagne", transit_days=1,
                        cutoff_minutes=660, delivery_days="24")
    db.session.add(zone)
    db.session.commit()
    return zone


def _in_zone(site: Unit, zone: DeliveryZone) -> None:
    site.zone_id = zone.id
    db.session.commit()


def test_staff_add_and_change_a_zone_refusing_a_bad_cutoff_or_weekday(client, world):
    login(client, world.staff)
    url = f"/staff/warehouses/{world.warehouse.id}/zones"
    for field, bad, message in (("cutoff", "25h", "Enter a time such as 11:00"),
                                ("delivery_days", "28", "Enter the delivery days as digits"),
                                ("transit_days", "-1", "Enter a number of days from 0 to 30")):
        answer = client.post(url, data={**MOUNTAIN, field: bad}, headers=EN)
        assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(DeliveryZone.id))) == 0
    assert client.post(url, data=MOUNTAIN).status_code == 303
    zone = db.session.scalars(db.select(DeliveryZone)).one()
    assert (zone.transit_days, zone.cutoff_minutes, zone.delivery_days) == (1, 660, "24")
    page = client.get("/staff/warehouses", headers=EN).get_data(as_text=True)
    assert "Montagne · +1 day · cut-off 11:00 · Tuesday, Thursday" in page
    assert client.post(f"/staff/warehouses/zones/{zone.id}", data={
        **MOUNTAIN, "cutoff": "", "delivery_days": ""}).status_code == 303
    db.session.expire_all()
    assert (zone.cutoff_minutes, zone.delivery_days) == (None, None)
    assert client.post("/staff/warehouses/zones/99999", data=MOUNTAIN).status_code == 404


def test_a_buyer_cannot_manage_zones(client, world):
    login(client, world.a.admin)
    answer = client.post(f"/staff/warehouses/{world.warehouse.id}/zones", data=MOUNTAIN)
    assert answer.status_code in (403, 404)
    assert db.session.scalar(db.select(db.func.count(DeliveryZone.id))) == 0


def test_the_company_admin_sees_the_zone_but_cannot_change_it(client, world):
    zone, other = _zone(world), _zone(world)
    site = world.a.sites[0]
    _in_zone(site, zone)
    login(client, world.a.admin)
    form = client.get(f"/company/units/{site.id}", headers=EN).get_data(as_text=True)
    assert f"Delivery zone: {world.warehouse.code} · Montagne. The seller sets it" in form
    assert 'name="zone"' not in form
    data = {"kind": "jobsite", "name": "Site renamed", "line1": "1 rue", "postal_code": "69001",
            "city": "Lyon", "parent": str(site.parent_id or "")}
    for posted in (str(other.id), "", "99999"):
        assert client.post(f"/company/units/{site.id}", data={**data, "zone": posted}
                           ).status_code == 303
        db.session.expire_all()
        assert db.session.get(Unit, site.id).zone_id == zone.id


def test_staff_put_a_customers_jobsite_in_a_zone(client, world):
    zone = _zone(world)
    site, company = world.a.sites[0], world.a.company
    url = f"/staff/customers/{company.id}/jobsites/{site.id}/zone"
    login(client, world.staff)
    page = client.get(f"/staff/customers/{company.id}", headers=EN).get_data(as_text=True)
    assert "Jobsites and delivery zones" in page and f"Delivery zone of {site.name}" in page
    answer = client.post(url, data={"zone": "99999"}, headers=EN)
    assert answer.status_code == 422
    assert "Choose a delivery zone from the list." in answer.get_data(as_text=True)
    assert client.post(url, data={"zone": str(zone.id)}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Unit, site.id).zone_id == zone.id
    page = client.get(f"/staff/customers/{company.id}", headers=EN).get_data(as_text=True)
    assert f"{world.warehouse.code} · Montagne" in page
    assert client.post(url, data={"zone": ""}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Unit, site.id).zone_id is None


def test_another_companys_jobsite_or_a_branch_is_not_found(client, world):
    zone = _zone(world)
    login(client, world.staff)
    a, b = world.a, world.b
    for company, unit in ((a.company, b.sites[0]), (a.company, a.branch),
                          (a.company, 999999), (999999, a.sites[0])):
        company_id = getattr(company, "id", company)
        unit_id = getattr(unit, "id", unit)
        answer = client.post(f"/staff/customers/{company_id}/jobsites/{unit_id}/zone",
                             data={"zone": str(zone.id)})
        assert answer.status_code == 404, (company_id, unit_id)
    db.session.expire_all()
    assert db.session.get(Unit, b.sites[0].id).zone_id is None


def test_only_a_staff_admin_sets_a_jobsite_zone(client, world):
    zone = _zone(world)
    site = world.a.sites[0]
    for who in (world.rep, world.a.admin, world.fulfilment):
        client.post("/logout")
        login(client, who)
        answer = client.post(f"/staff/customers/{world.a.company.id}/jobsites/{site.id}/zone",
                             data={"zone": str(zone.id)})
        assert answer.status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Unit, site.id).zone_id is None


def test_deleting_a_zone_asks_first_then_puts_its_jobsites_back_in_no_zone(client, world):
    zone = _zone(world)
    for site in world.a.sites:
        _in_zone(site, zone)
    login(client, world.staff)
    url = f"/staff/warehouses/zones/{zone.id}/delete"
    assert url in client.get("/staff/warehouses").get_data(as_text=True)
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert "2 jobsites are in this zone: they go back to the warehouse's own area" in page
    assert client.head(url).status_code == 200
    assert db.session.get(DeliveryZone, zone.id) is not None  # a GET deletes nothing
    answer = client.post(url, headers=EN)
    assert answer.status_code == 303
    db.session.expire_all()
    assert db.session.get(DeliveryZone, zone.id) is None
    assert [db.session.get(Unit, s.id).zone_id for s in world.a.sites] == [None, None]
    assert client.post(url).status_code == 404
    client.post("/logout")
    login(client, world.rep)
    assert client.get(url).status_code in (403, 404)


def test_the_cart_and_the_order_promise_the_zones_dates_and_cutoff(client, world, tuesday):
    cement, site = world.products["cement"], world.a.sites[0]
    login(client, world.a.buyer)
    cart_with(world.a.buyer, (cement, 10))
    client.post("/checkout/", data={"token": checkout_token(client),
                                    "place": f"jobsite:{site.id}"})
    near = orders_of(world.a.company)[0].lines[0].promised_date
    assert near == date(2026, 12, 9)  # the warehouse's own area: the next working day
    _in_zone(site, _zone(world))
    cart_with(world.a.buyer, (cement, 10))
    page = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "Order within 1 h 30 min (before 11:00) for delivery Thu 10 Dec" in page
    assert "Delivery Thu 10 Dec" in page
    client.post("/checkout/", data={"token": checkout_token(client),
                                    "place": f"jobsite:{site.id}"})
    far = max(orders_of(world.a.company), key=lambda o: o.id).lines[0].promised_date
    assert far == date(2026, 12, 10)
