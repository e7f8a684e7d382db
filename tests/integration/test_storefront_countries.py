"""A storefront in another country and currency (issue 22): on the Swiss host a Swiss buyer
sees their CHF list's prices and Swiss VAT (8.1 %, 2.6 % on food), never a EUR list; the
order, its page, its e-mail, its invoice (XML in CHF, with the storefront's legal mentions)
and the dashboard keep its currency; the back office refuses a price list in the wrong
currency and a country without VAT rates, with a clear message and nothing saved."""

import re
from datetime import UTC, datetime

import pytest
from lxml import etree
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Invoice,
    Order,
    OrderStatus,
    OutboxMessage,
    PriceList,
    PriceTier,
    Role,
    Storefront,
    StorefrontKind,
    UnitKind,
)
from portal.models.catalog import TaxClass
from portal.services import billing
from portal.services.storefronts import forget
from tests import factories as f
from tests.conftest import login
from tests.factories.pages import TOKEN

SWISS_HOST = "suisse.example.test"
SWISS = f"http://{SWISS_HOST}"
LEGAL = "Pro Suisse Sàrl · IDE CHE-109.322.551 TVA · Genève"
NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def swiss(world):
    chf = PriceList(code="CH-CHF", name="Prix Suisse", currency="CHF", is_base=False)
    db.session.add(chf)
    db.session.flush()
    cement, flour = world.products["cement"], world.products["flour"]
    db.session.add_all([
        PriceTier(price_list_id=chf.id, product_id=cement.id, min_qty=1, unit_price_cents=920),
        PriceTier(price_list_id=chf.id, product_id=flour.id, min_qty=10, unit_price_cents=130)])
    flour.tax_class = TaxClass.REDUCED
    front = Storefront(code="suisse", kind=StorefrontKind.TRADE, name="Pro Suisse",
                       hosts=SWISS_HOST, country="CH", currency="CHF", language="fr",
                       brand_colour="#a3141d", legal_mentions=LEGAL)
    db.session.add(front)
    db.session.flush()
    company = f.company("Léman Construction SA", country="CH", currency="CHF",
                        legal_id="CHE-286.514.903", price_list_id=chf.id,
                        storefront_id=front.id)
    site = f.unit(company, "Chantier Carouge", UnitKind.JOBSITE)
    buyer = f.user(company, Role.BUYER, email="luca@leman.test", name="Luca Rochat")
    db.session.commit()
    forget()
    return {"front": front, "list": chf, "company": company, "site": site, "buyer": buyer}


def _sign_in(client, user, base_url=SWISS):
    answer = client.post("/login", base_url=base_url,
                         data={"email": user.email, "password": f.PASSWORD})
    assert answer.status_code == 303


def _place(client, swiss) -> tuple[str, Order]:
    page = client.get("/checkout/", base_url=SWISS)
    assert page.status_code == 200, page.text[:500]
    answer = client.post("/checkout/", base_url=SWISS, data={
        "token": TOKEN.search(page.text).group(1), "place": f"jobsite:{swiss['site'].id}"})
    assert answer.status_code == 303, answer.text[:800]
    order = db.session.scalars(select(Order).where(
        Order.placed_by_id == swiss["buyer"].id)).one()
    return page.text, order


def test_a_swiss_buyer_pays_chf_at_swiss_vat_down_to_the_invoice(app, client, world, swiss):
    _sign_in(client, swiss["buyer"])
    product = _plain(client.get(f"/catalog/p/{world.products['cement'].id}",
                                base_url=SWISS).text)
    assert "9,20 CHF" in product and "€" not in product
    f.cart_with(swiss["buyer"], (world.products["cement"], 10), (world.products["flour"], 20))
    cart = _plain(client.get("/cart/", base_url=SWISS).text)
    # 10 x 9.20 = 92.00 at 8.1 % (7.45); 20 x 1.30 = 26.00 at 2.6 % (0.68)
    assert "92,00 CHF" in cart and "26,00 CHF" in cart and "118,00 CHF" in cart
    assert "8,1 %" in cart and "2,6 %" in cart and "7,45 CHF" in cart and "0,68 CHF" in cart
    assert "126,13 CHF" in cart and "€" not in cart
    assert LEGAL in cart  # the storefront's legal mentions at the foot of its pages
    _page, order = _place(client, swiss)
    assert (order.currency, order.storefront_id, order.subtotal_cents, order.tax_cents,
            order.total_cents) == ("CHF", swiss["front"].id, 11_800, 745 + 68, 12_613)
    assert sorted(line.tax_rate_bp for line in order.lines) == [260, 810]
    detail = _plain(client.get(f"/orders/{order.id}", base_url=SWISS).text)
    assert "126,13 CHF" in detail and "€" not in detail
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == swiss["buyer"].email)).first()
    assert mail is not None and "126,13 CHF" in _plain(mail.body_text)
    # Shipped: its invoice is in CHF, its XML says so and carries the legal mentions.
    order.status = OrderStatus.CONFIRMED
    db.session.commit()
    staff = app.test_client()
    login(staff, world.fulfilment)
    data = {f"qty-{line.id}": str(line.quantity) for line in order.lines}
    assert staff.post(f"/staff/fulfilment/orders/{order.id}/ship",
                      data=data).status_code == 303
    db.session.expire_all()
    [invoice] = db.session.scalars(select(Invoice).where(Invoice.order_id == order.id)).all()
    assert (invoice.currency, invoice.total_cents) == ("CHF", 12_613)
    xml = etree.fromstring(billing.invoice_xml(invoice))
    assert xml.findtext(".//ram:InvoiceCurrencyCode", namespaces=NS) == "CHF"
    assert {node.get("currencyID") for node in xml.iterfind(".//ram:TaxTotalAmount",
                                                           namespaces=NS)} == {"CHF"}
    rates = {node.text for node in xml.iterfind(
        ".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
        "ram:RateApplicablePercent", namespaces=NS)}
    assert rates == {"8.10", "2.60"}
    assert LEGAL in [n.text for n in xml.iterfind(".//ram:IncludedNote/ram:Content",
                                                    namespaces=NS)]


def test_a_french_company_on_the_swiss_storefront_buys_without_swiss_vat(client, world,
                                                                        swiss):
    # Established in France: outside Switzerland's VAT territory, an export from there.
    swiss["company"].country, swiss["company"].legal_id = "FR", "FR40123456789"
    db.session.commit()
    _sign_in(client, swiss["buyer"])
    f.cart_with(swiss["buyer"], (world.products["cement"], 10))
    cart = _plain(client.get("/cart/", base_url=SWISS).text)
    assert "92,00 CHF" in cart and "8,1 %" not in cart and "7,45" not in cart
    # A neutral mention: the Swiss storefront cites no French law.
    assert "Exonération de TVA : exportation de biens." in cart and "CGI" not in cart
    _page, order = _place(client, swiss)
    assert (order.tax_scheme, order.tax_cents, order.total_cents) == ("export", 0, 9_200)
    detail = _plain(client.get(f"/orders/{order.id}", base_url=SWISS).text)
    assert "Exonération de TVA : exportation de biens." in detail and "CGI" not in detail


def test_the_dashboard_reports_each_currency_apart(app, client, world, swiss):
    now = datetime.now(UTC)
    f.order(world.a.buyer, [(world.products["cement"], 2, 850)], placed_at=now)
    francs = f.order(swiss["buyer"], [(world.products["cement"], 3, 920)], placed_at=now)
    francs.currency, francs.storefront_id = "CHF", swiss["front"].id
    db.session.commit()
    login(client, world.staff)
    euros = _plain(client.get("/staff/").text)
    chf = _plain(client.get("/staff/?currency=CHF").text)
    assert "17,00 €" in euros and "27,60" not in euros
    assert "27,60 CHF" in chf and "17,00" not in chf


def test_a_eur_list_never_prices_anything_on_the_swiss_storefront(client, world, swiss):
    # Given a EUR contract list by mistake (the back office refuses it; see below), the Swiss
    # customer sees no price at all rather than euros, and cannot order.
    swiss["company"].price_list_id = world.pro.id
    db.session.commit()
    _sign_in(client, swiss["buyer"])
    product = _plain(client.get(f"/catalog/p/{world.products['screws'].id}",
                                base_url=SWISS).text)
    assert "€" not in product and "0,80" not in product
    f.cart_with(swiss["buyer"], (world.products["screws"], 10))
    cart = _plain(client.get("/cart/", base_url=SWISS).text)
    assert "€" not in cart and "8,00" not in cart
    # ... and the trade portal never charges a CHF list: company A with the CHF list as its
    # contract keeps its group's and the base list's euros.
    world.a.company.price_list_id = swiss["list"].id
    db.session.commit()
    client.post("/logout", base_url=SWISS)
    login(client, world.a.buyer)
    trade = _plain(client.get(f"/catalog/p/{world.products['cement'].id}").text)
    assert "8,50 €" in trade and "9,20" not in trade and "CHF" not in trade


def test_the_back_office_refuses_a_price_list_in_the_wrong_currency(client, world, swiss):
    login(client, world.staff)
    # Giving the Swiss customer a EUR list, on its page or on the list's: refused.
    answer = client.post(f"/staff/catalog/price-lists/{world.pro.id}/edit", data={
        "name": world.pro.name, "currency": "EUR", "company": swiss["company"].name})
    assert answer.status_code == 422
    assert ("Léman Construction SA achète sur Pro Suisse, en CHF : sa liste de prix doit être "
            "en CHF, pas en EUR.") in _plain(answer.text)
    # Turning the Swiss list into euros: refused too (its customer buys in CHF).
    answer = client.post(f"/staff/catalog/price-lists/{swiss['list'].id}/edit", data={
        "name": "Prix Suisse", "currency": "EUR"})
    assert answer.status_code == 422
    # The base list prices the trade portal in EUR.
    answer = client.post(f"/staff/catalog/price-lists/{world.base.id}/edit", data={
        "name": world.base.name, "currency": "CHF"})
    assert answer.status_code == 422
    db.session.expire_all()
    assert swiss["company"].price_list_id == swiss["list"].id
    assert (swiss["list"].currency, world.base.currency) == ("CHF", "EUR")


def test_the_storefront_admin_refuses_a_country_without_vat_rates_and_saves_legal_mentions(
        client, world, swiss):
    login(client, world.staff)
    form = {"name": "Pro Suisse", "hosts": SWISS_HOST, "language": "fr", "country": "US",
            "currency": "CHF", "brand_colour": "#a3141d", "active": "1",
            "legal_mentions": "Nouvelles mentions"}
    answer = client.post(f"/staff/storefronts/{swiss['front'].id}", data=form)
    assert answer.status_code == 422
    assert "Le portail ne connaît pas les taux de TVA de US" in _plain(answer.text)
    db.session.expire_all()
    assert swiss["front"].legal_mentions == LEGAL
    answer = client.post(f"/staff/storefronts/{swiss['front'].id}",
                         data={**form, "country": "CH"})
    assert answer.status_code == 303
    client.post("/logout")
    assert "Nouvelles mentions" in client.get("/login", base_url=SWISS).text
    assert "Nouvelles mentions" not in client.get("/login").text
