"""Staff create a product and a price list by hand in the back office: a new product is seen
by buyers at once as "price on request" (they may ask for a quote), its tiers then give the
price to the customers whose list chain holds it, and only to them; bad input is refused at
its field, nothing written; every creation is audited."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, Company, PriceList, Product
from tests.conftest import login

FORM = {"sku": "plq-ba13-260", "category_id": "", "name_fr": "Plaque BA13 260 cm",
        "name_en": "Plasterboard BA13 260 cm", "brand": "Placo", "case_pack": "10",
        "order_multiple": "1", "lead_time_days": "3", "pack_kind": "case",
        "tax_class": "standard"}


def _counts():
    return (db.session.scalar(select(func.count()).select_from(Product)),
            db.session.scalar(select(func.count()).select_from(PriceList)))


def test_staff_create_a_product_priced_for_one_customer_only(app, client, world):
    login(client, world.staff)
    assert client.get("/staff/catalog/products/new").status_code == 200
    made = client.post("/staff/catalog/products/new",
                       data={**FORM, "category_id": str(world.categories["tools"].id)})
    assert made.status_code == 303
    product = db.session.scalar(select(Product).where(Product.sku == "PLQ-BA13-260"))
    assert (product.name_fr, product.case_pack, product.brand) == ("Plaque BA13 260 cm", 10,
                                                                  "Placo")
    assert made.headers["Location"].endswith(f"/staff/catalog/products/{product.id}/prices")
    buyer = app.test_client()
    login(buyer, world.a.buyer)
    page = buyer.get(f"/catalog/p/{product.id}").get_data(as_text=True)
    assert "Prix sur demande" in page and f"/quotes/ask/product/{product.id}" in page

    # A contract list for company A only, with this product's tier.
    assert client.get("/staff/catalog/price-lists/new").status_code == 200
    listed = client.post("/staff/catalog/price-lists/new",
                         data={"code": "contrat-a", "name": "Contrat Company A",
                               "currency": "eur"})
    assert listed.status_code == 303
    contract = db.session.scalar(select(PriceList).where(PriceList.code == "CONTRAT-A"))
    assert contract.currency == "EUR" and not contract.is_base
    assert client.post(f"/staff/catalog/products/{product.id}/prices", data={
        "price_list": str(contract.id), "min_qty": "1", "unit_price": "7,40"}).status_code == 303
    db.session.get(Company, world.a.company.id).price_list_id = contract.id
    db.session.commit()
    assert "7,40" in buyer.get(f"/catalog/p/{product.id}").get_data(as_text=True)
    other = app.test_client()
    login(other, world.b.buyer)
    page = other.get(f"/catalog/p/{product.id}").get_data(as_text=True)
    assert "7,40" not in page and "Prix sur demande" in page
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"product.create", "price_list.create"} <= actions


def test_bad_input_is_refused_at_its_field_and_nothing_is_created(app, client, world):
    login(client, world.staff)
    before = _counts()
    for form, field in (({**FORM, "category_id": "999999"}, "category_id"),
                        ({**FORM, "sku": "VIS-440",
                          "category_id": str(world.categories["tools"].id)}, "sku"),
                        ({**FORM, "sku": "bad sku!",
                          "category_id": str(world.categories["tools"].id)}, "sku"),
                        ({**FORM, "name_fr": "", "category_id": str(
                            world.categories["tools"].id)}, "name_fr"),
                        ({**FORM, "order_multiple": "3", "category_id": str(
                            world.categories["tools"].id)}, "order_multiple")):
        refused = client.post("/staff/catalog/products/new", data=form)
        assert refused.status_code == 422, field
        assert f'id="f-{field}-error"' in refused.get_data(as_text=True), field
    for form, field in (({"code": "PRO", "name": "x", "currency": "EUR"}, "code"),
                        ({"code": "a b", "name": "x", "currency": "EUR"}, "code"),
                        ({"code": "NEW", "name": "", "currency": "EUR"}, "name"),
                        ({"code": "NEW", "name": "x", "currency": "EURO"}, "currency")):
        refused = client.post("/staff/catalog/price-lists/new", data=form)
        assert refused.status_code == 422, field
        assert f'id="f-{field}-error"' in refused.get_data(as_text=True), field
    assert _counts() == before


def test_only_staff_admins_create(app, client, world):
    for person in (world.rep, world.a.admin):
        client.post("/logout")
        login(client, person)
        assert client.post("/staff/catalog/price-lists/new",
                           data={"code": "X", "name": "x", "currency": "EUR"}).status_code == 403
    assert db.session.scalar(select(PriceList).where(PriceList.code == "X")) is None
