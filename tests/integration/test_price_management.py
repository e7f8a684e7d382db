"""Staff manage prices in the back office: a price list given to a customer group or one
customer for a period, a promotion for a group or everyone; buyers of those customers see
them, others do not; bad input is refused at its field with nothing written; every change is
audited with who."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, CustomerGroup, PriceList, Promotion
from portal.services.selling.pricing import local_today
from tests.conftest import login


def _page(client, product):
    return client.get(f"/catalog/p/{product.id}").get_data(as_text=True)


def test_a_new_list_given_to_a_group_for_a_period_prices_that_group_only(app, client, world):
    cement = world.products["cement"]
    today = local_today()
    login(client, world.staff)
    made = client.post("/staff/catalog/price-lists/new", data={
        "code": "btp-hiver", "name": "BTP hiver", "currency": "EUR",
        "valid_from": today.isoformat(), "valid_until": (today + timedelta(30)).isoformat(),
        "group_id": str(world.a.company.customer_group_id)})
    assert made.status_code == 303
    winter = db.session.scalar(select(PriceList).where(PriceList.code == "BTP-HIVER"))
    assert db.session.get(CustomerGroup, world.a.company.customer_group_id).price_list_id \
        == winter.id
    assert client.post(f"/staff/catalog/products/{cement.id}/prices", data={
        "price_list": str(winter.id), "min_qty": "1", "unit_price": "7,10"}).status_code == 303
    a, b = app.test_client(), app.test_client()
    login(a, world.a.buyer)
    login(b, world.b.buyer)
    assert "7,10" in _page(a, cement)
    assert "7,10" not in _page(b, cement) and "8,50" in _page(b, cement)
    # Staff end the list yesterday by editing its dates? Refused: a past date.
    edit = client.post(f"/staff/catalog/price-lists/{winter.id}/edit", data={
        "name": "BTP hiver", "currency": "EUR", "valid_from": "",
        "valid_until": (today - timedelta(1)).isoformat()})
    assert edit.status_code == 422
    assert 'id="f-valid_until-error"' in edit.get_data(as_text=True)
    # Starting tomorrow: company A is back on its previous prices today.
    assert client.post(f"/staff/catalog/price-lists/{winter.id}/edit", data={
        "name": "BTP hiver", "currency": "EUR",
        "valid_from": (today + timedelta(1)).isoformat(), "valid_until": ""}).status_code == 303
    assert "7,10" not in _page(a, cement) and "8,50" in _page(a, cement)
    entries = db.session.execute(select(AuditEntry.action, AuditEntry.actor_id)
                                 .where(AuditEntry.object_type == "price_lists")).all()
    assert ("price_list.update", world.staff.id) in entries
    assert ("price_list.create", world.staff.id) in entries


def test_a_promotion_for_a_group_is_shown_as_such_to_that_group_only(app, client, world):
    cement = world.products["cement"]
    today = local_today()
    login(client, world.staff)
    assert client.get("/staff/catalog/promotions/new").status_code == 200
    made = client.post("/staff/catalog/promotions/new", data={
        "sku": "cim-35", "kind": "percent", "value": "20", "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(5)).isoformat(),
        "group_id": str(world.a.company.customer_group_id)})
    assert made.status_code == 303
    promotion = db.session.scalar(select(Promotion))
    assert (promotion.percent_off_bp, promotion.created_by_id) == (2000, world.staff.id)
    a, b = app.test_client(), app.test_client()
    login(a, world.a.buyer)
    login(b, world.b.buyer)
    page = _page(a, cement)
    assert "6,80" in page and "Promo" in page
    assert "6,80" not in _page(b, cement) and "Promo" not in _page(b, cement)
    assert "CIM-35" in client.get("/staff/catalog/promotions").get_data(as_text=True)
    # Ending it: from today buyers pay their usual price.
    assert client.post(f"/staff/catalog/promotions/{promotion.id}/end").status_code == 303
    assert "6,80" not in _page(a, cement)
    actions = set(db.session.scalars(select(AuditEntry.action)
                                     .where(AuditEntry.object_type == "promotions")))
    assert {"promotion.create", "promotion.delete"} <= actions


def test_bad_promotions_are_refused_at_their_field_and_nothing_is_written(app, client, world):
    today = local_today()
    login(client, world.staff)
    good = {"sku": "CIM-35", "kind": "price", "value": "7,00", "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(5)).isoformat(), "group_id": ""}
    for field, value, words, at in [
        ("sku", "NOPE-1", "unknown SKU", "sku"), ("value", "-3", "12,50", "value"),
        ("value", "abc", "12,50", "value"),
        ("ends_on", (today - timedelta(1)).isoformat(), "past", "ends_on"),
        ("ends_on", "31/12/2026", "2026-12-31", "ends_on"),
        ("group_id", "999999", "group", "group_id"),
        ("starts_on", (today + timedelta(9)).isoformat(), "before the start", "ends_on"),
    ]:
        answer = client.post("/staff/catalog/promotions/new",
                             data={**good, field: value}, headers={"Accept-Language": "en"})
        assert answer.status_code == 422, (field, value)
        page = answer.get_data(as_text=True)
        assert f'id="f-{at}-error"' in page and words in page, (field, value)
    for value in ("100", "0", "150", "12,345"):
        answer = client.post("/staff/catalog/promotions/new",
                             data={**good, "kind": "percent", "value": value})
        assert answer.status_code == 422, value
    assert db.session.scalar(select(func.count()).select_from(Promotion)) == 0


def test_a_contract_list_goes_to_a_customer_typed_by_name_or_siret(app, client, world):
    """The customer is typed, not picked from a list (a seller has thousands): by its name in
    any case or its SIRET; a name that matches nobody is said at the field, nothing made."""
    login(client, world.staff)
    company = world.b.company
    company.legal_id = "81234567800021"
    db.session.commit()
    for code, typed in (("ctr-name", company.name.upper()), ("ctr-siret", "812 345 678 00021")):
        made = client.post("/staff/catalog/price-lists/new", data={
            "code": code, "name": "Contrat", "currency": "EUR", "company": typed})
        assert made.status_code == 303, made.get_data(as_text=True)[:300]
        made_list = db.session.scalar(select(PriceList).where(PriceList.code == code.upper()))
        db.session.refresh(company)
        assert company.price_list_id == made_list.id
    refused = client.post("/staff/catalog/price-lists/new", data={
        "code": "ctr-nobody", "name": "Contrat", "currency": "EUR", "company": "Personne SARL"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="f-company-error"' in page and 'value="Personne SARL"' in page
    assert db.session.scalar(select(func.count(PriceList.id))
                             .where(PriceList.code == "CTR-NOBODY")) == 0
