"""VAT by product tax class and customer country: the cart, checkout, order page and e-mail
show a total per rate; reverse charge and export carry their mention; placed orders keep the
rate they were taxed at; the back office and the CSV import set a product's class."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, Product
from portal.models.catalog import TaxClass
from portal.models.orders import TaxScheme
from tests.conftest import login
from tests.factories import cart_with, checkout_token, csv_bytes, orders_of

EN = {"Accept-Language": "en"}


def _food_and_tools(world):
    flour = world.products["flour"]
    flour.tax_class = TaxClass.REDUCED
    db.session.commit()
    # Company A buys screws at 0.80 (its list) and flour at 1.20 the bag.
    cart_with(world.a.buyer, (world.products["screws"], 10), (flour, 10))


def _place(client, world):
    data = {"token": checkout_token(client), "place": f"jobsite:{world.a.sites[0].id}"}
    answer = client.post("/checkout/", data=data, headers=EN)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    (order,) = orders_of(world.a.company)
    return order


def test_cart_checkout_order_and_email_show_a_total_per_rate(client, world):
    _food_and_tools(world)
    login(client, world.a.buyer)
    cart = client.get("/cart/", headers=EN).get_data(as_text=True)
    # 20 % of 8.00 = 1.60; 5.5 % of 12.00 = 0.66; total 20.00 + 2.26.
    for text in ("VAT 20 %", "on €8.00", "€1.60", "VAT 5.5 %", "on €12.00", "€0.66",
                 "€22.26"):
        assert text in cart, text
    assert "VAT 5.5 %" in client.get("/checkout/", headers=EN).get_data(as_text=True)

    order = _place(client, world)
    assert {line.sku: line.tax_rate_bp for line in order.lines} == {"VIS-440": 2000,
                                                                    "FAR-T55": 550}
    assert (order.subtotal_cents, order.tax_cents, order.total_cents) == (2000, 226, 2226)
    assert order.tax_scheme == TaxScheme.DOMESTIC
    page = client.get(f"/orders/{order.id}", headers=EN).get_data(as_text=True)
    assert "VAT 5.5 %" in page and "€0.66" in page and "VAT 20 %" in page
    french = client.get(f"/orders/{order.id}", headers={"Accept-Language": "fr"})
    assert "TVA 5,5 %" in french.get_data(as_text=True)
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.kind == "order_placed").order_by(OutboxMessage.id.desc()))
    assert "5,5 %" in mail.body_text and "20 %" in mail.body_text


def test_a_placed_order_keeps_its_rate_when_the_class_changes(client, world):
    _food_and_tools(world)
    login(client, world.a.buyer)
    order = _place(client, world)
    flour = db.session.get(Product, world.products["flour"].id)
    flour.tax_class = TaxClass.STANDARD
    db.session.commit()
    page = client.get(f"/orders/{order.id}", headers=EN).get_data(as_text=True)
    assert "VAT 5.5 %" in page and "€22.26" in page


def test_an_eu_business_with_a_vat_number_is_reverse_charged(client, world):
    world.a.company.country, world.a.company.legal_id = "BE", "BE0123456789"
    _food_and_tools(world)
    login(client, world.a.buyer)
    cart = client.get("/cart/", headers=EN).get_data(as_text=True)
    assert "Reverse charge" in cart and "VAT 0 %" in cart and "€20.00" in cart
    order = _place(client, world)
    assert (order.tax_cents, order.tax_scheme) == (0, TaxScheme.REVERSE_CHARGE)
    assert all(line.tax_rate_bp == 0 for line in order.lines)
    french = client.get(f"/orders/{order.id}", headers={"Accept-Language": "fr"})
    assert "Autoliquidation" in french.get_data(as_text=True)


def test_export_outside_the_eu_has_no_vat_and_says_why(client, world):
    world.a.company.country = "CH"
    _food_and_tools(world)
    login(client, world.a.buyer)
    order = _place(client, world)
    assert (order.tax_cents, order.tax_scheme) == (0, TaxScheme.EXPORT)
    page = client.get(f"/orders/{order.id}", headers=EN).get_data(as_text=True)
    assert "export outside the European Union" in page


def test_a_class_without_a_rate_at_the_storefront_cannot_be_ordered(app, client, world):
    _food_and_tools(world)
    flour = db.session.get(Product, world.products["flour"].id)
    flour.tax_class = TaxClass.INTERMEDIATE
    db.session.commit()
    app.config["SELLER_COUNTRY"] = "DE"  # Germany has no intermediate rate
    try:
        login(client, world.a.buyer)
        order = _place(client, world)
    finally:
        app.config.pop("SELLER_COUNTRY")
    assert [line.sku for line in order.lines] == ["VIS-440"]
    assert order.lines[0].tax_rate_bp == 1900


def _form_of(product, **changes):
    from tests.integration.test_catalog_admin_editing import form_of

    return form_of(product, **changes)


def test_back_office_sets_the_tax_class_and_refuses_an_unknown_one(client, world):
    flour = world.products["flour"]
    login(client, world.staff)
    form = client.get(f"/staff/catalog/products/{flour.id}", headers=EN).get_data(as_text=True)
    assert "Reduced rate (5.5 %)" in form
    bad = client.post(f"/staff/catalog/products/{flour.id}", headers=EN,
                      data=_form_of(flour, tax_class="food"))
    assert bad.status_code == 422 and "Unknown tax class" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, flour.id).tax_class == TaxClass.STANDARD
    good = client.post(f"/staff/catalog/products/{flour.id}",
                       data=_form_of(flour, tax_class="reduced"))
    assert good.status_code == 303
    db.session.expire_all()
    assert db.session.get(Product, flour.id).tax_class == TaxClass.REDUCED


def test_csv_import_sets_the_tax_class_and_reports_a_bad_one(client, world):
    from tests.integration.test_imports_customers import checked_job, run_to_rest

    login(client, world.staff)
    slug = world.categories["food"].slug
    header = "sku;name_fr;name_en;category_slug;tax_class"
    job = checked_job(client, csv_bytes(header, [f"LEN-5;Lentilles;Lentils;{slug};reduced",
                                                 f"BAD-1;Pain;Bread;{slug};nourriture"]),
                      kind="products")
    assert [e[1] for e in job.report["errors"]] == ["tax_class"]
    job = checked_job(client, csv_bytes(header, [f"LEN-5;Lentilles;Lentils;{slug};reduced",
                                                 f"OIL-1;Huile;Oil;{slug};"]),
                      kind="products")
    assert client.post(f"/staff/imports/{job.id}/commit").status_code == 303
    run_to_rest(client, job.id)
    db.session.expire_all()
    classes = dict(db.session.execute(select(Product.sku, Product.tax_class)
                                      .where(Product.sku.in_(["LEN-5", "OIL-1"]))).all())
    assert classes == {"LEN-5": TaxClass.REDUCED, "OIL-1": TaxClass.STANDARD}


def test_staff_set_the_country_and_vat_number_checked_for_that_country(client, world):
    from tests.integration.test_staff_customers import _edit_data

    login(client, world.staff)
    url = f"/staff/customers/{world.a.company.id}/edit"
    for country, legal_id, field_words in (
            ("BE", "BE123", "This is not a VAT number of BE"),
            ("Belgique", "", "two-letter code"),
            ("FR", "12345678901234", "SIRET")):
        bad = client.post(url, data=_edit_data(world, country=country, legal_id=legal_id),
                          headers=EN)
        assert bad.status_code == 422 and field_words in bad.get_data(as_text=True), country
    db.session.expire_all()
    assert (world.a.company.country, world.a.company.legal_id) == ("FR", "")
    good = client.post(url, data=_edit_data(world, country="be", legal_id="BE 0123.456.789",
                                            status="active"))
    assert good.status_code == 303
    db.session.expire_all()
    assert (world.a.company.country, world.a.company.legal_id) == ("BE", "BE0123456789")
    buyer = client.application.test_client()
    login(buyer, world.a.buyer)
    cart_with(world.a.buyer, (world.products["cement"], 1))
    assert "Reverse charge" in buyer.get("/cart/", headers=EN).get_data(as_text=True)
