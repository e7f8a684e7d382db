"""Invoices: issued when goods ship (back office and API alike) for the shipped quantities at
the order's frozen prices and rates, numbered without gaps, sent to the billing contact, read
by the right people only, downloaded as Factur-X; payments, credit notes, statements, overdue
reminders and the credit exposure."""

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import facturx
import pytest
from lxml import etree
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEntry,
    BillingProfile,
    Invoice,
    InvoiceKind,
    InvoicePayment,
    InvoiceReminder,
    OrderStatus,
    OutboxMessage,
    PaymentTerms,
)
from portal.models.orders import TaxScheme
from portal.services import billing
from portal.services.credit import exposure_cents
from tests.conftest import login
from tests.factories import order

EN = {"Accept-Language": "en"}
NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
      "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"}
YEAR = datetime.now(UTC).year


def _as(app, user):
    browser = app.test_client()
    login(browser, user)
    return browser


def _food_and_tools(world, terms=PaymentTerms.NET30):
    """An order of flour at 5.5 % (24.00) and screws at 20 % (10.00), confirmed: 37.32."""
    o = order(world.a.buyer, [(world.products["flour"], 20, 120, {"tax_rate_bp": 550}),
                              (world.products["screws"], 10, 100, {"tax_rate_bp": 2000})],
              status=OrderStatus.CONFIRMED)
    o.payment_terms = terms
    o.tax_cents = 132 + 200
    o.total_cents = o.subtotal_cents + o.tax_cents
    db.session.commit()
    return o


def _ship(app, world, o, quantities: dict):
    staff = _as(app, world.fulfilment)
    lines = {line.sku: line.id for line in o.lines}
    data = {f"qty-{lines[sku]}": str(qty) for sku, qty in quantities.items()}
    answer = staff.post(f"/staff/fulfilment/orders/{o.id}/ship", data=data)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    db.session.expire_all()


def _invoices(o) -> list[Invoice]:
    return db.session.scalars(select(Invoice).where(Invoice.order_id == o.id)
                              .order_by(Invoice.id)).all()


def _contact(world, user):
    db.session.add(BillingProfile(company_id=world.a.company.id, contact_id=user.id,
                                  name="Company A Comptabilité", line1="3 quai des Comptes",
                                  postal_code="69002", city="Lyon", country="FR"))
    db.session.commit()


def test_each_shipment_is_invoiced_for_what_left_at_frozen_prices_numbered_without_gaps(
        app, world):
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 10, "VIS-440": 0})
    _ship(app, world, o, {"FAR-T55": 10, "VIS-440": 10})
    first, second = _invoices(o)
    assert (first.number, second.number) == (f"FA-{YEAR}-000001", f"FA-{YEAR}-000002")
    assert [(line.sku, line.quantity, line.unit_price_cents, line.tax_rate_bp)
            for line in first.lines] == [("FAR-T55", 10, 120, 550)]
    assert (first.subtotal_cents, first.tax_cents, first.total_cents) == (1200, 66, 1266)
    # Per rate, half up: 5.5 % of 12.00 = 0.66; 20 % of 10.00 = 2.00.
    assert (second.subtotal_cents, second.tax_cents, second.total_cents) == (2200, 266, 2466)
    assert first.due_on == first.issued_on + timedelta(days=30)
    assert first.kind == InvoiceKind.INVOICE and first.order_number == o.number


def test_the_invoice_email_goes_to_the_billing_contact_not_the_buyer(app, world):
    _contact(world, world.a.viewer)
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    [mail] = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "invoice_issued")).all()
    assert mail.to_address == world.a.viewer.email
    assert f"FA-{YEAR}-000001" in mail.subject
    [invoice] = _invoices(o)
    assert f"https://portal.test/billing/invoices/{invoice.id}" in mail.body_text
    assert invoice.buyer_name == "Company A Comptabilité"


def test_without_a_billing_contact_the_company_admins_get_it(app, world):
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    assert db.session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.kind == "invoice_issued")).all() == [world.a.admin.email]


def test_a_prepaid_order_has_its_invoice_paid_by_the_recorded_payment(app, world):
    o = _food_and_tools(world, PaymentTerms.PREPAY)
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    [invoice] = _invoices(o)
    [row] = billing.rows_for([invoice], invoice.issued_on)
    assert invoice.prepaid and row.status == billing.InvoiceStatus.PAID
    assert row.paid_cents == invoice.total_cents
    xml = etree.fromstring(billing.invoice_xml(invoice))
    assert xml.findtext(".//ram:DuePayableAmount", namespaces=NS) == "0.00"


def test_reverse_charge_invoice_carries_its_mention_and_no_vat(app, world):
    o = order(world.a.buyer, [(world.products["screws"], 10, 100, {"tax_rate_bp": 0})],
              status=OrderStatus.CONFIRMED, tax_scheme=TaxScheme.REVERSE_CHARGE, commit=True)
    _ship(app, world, o, {"VIS-440": 10})
    [invoice] = _invoices(o)
    assert invoice.tax_cents == 0
    page = _as(app, world.a.admin).get(f"/billing/invoices/{invoice.id}", headers=EN)
    assert "Reverse charge" in page.get_data(as_text=True)
    xml = etree.fromstring(billing.invoice_xml(invoice))
    assert xml.findtext(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
                        "ram:CategoryCode", namespaces=NS) == "K"
    assert "Autoliquidation" in xml.findtext(".//ram:ExemptionReason", namespaces=NS)


def test_factur_x_pdf_embeds_xml_valid_against_the_schema_with_the_invoice_amounts(app, world):
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    [invoice] = _invoices(o)
    answer = _as(app, world.a.admin).get(f"/billing/invoices/{invoice.id}/factur-x.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.data.startswith(b"%PDF")
    filename, xml_bytes = facturx.get_xml_from_pdf(BytesIO(answer.data), check_xsd=False)
    assert filename == "factur-x.xml"
    assert facturx.xml_check_xsd(xml_bytes, flavor="factur-x", level="en16931")
    assert facturx.get_level(etree.fromstring(xml_bytes)) == "en16931"
    xml = etree.fromstring(xml_bytes)
    summary = xml.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
    assert summary.findtext("ram:TaxBasisTotalAmount", namespaces=NS) == "34.00"
    assert summary.findtext("ram:TaxTotalAmount", namespaces=NS) == "3.32"
    assert summary.findtext("ram:GrandTotalAmount", namespaces=NS) == "37.32"
    assert (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents) == (3400, 332, 3732)
    rates = {t.findtext("ram:RateApplicablePercent", namespaces=NS):
             t.findtext("ram:CalculatedAmount", namespaces=NS)
             for t in xml.findall(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax",
                                  NS)}
    assert rates == {"20.00": "2.00", "5.50": "1.32"}
    alone = _as(app, world.a.admin).get(f"/billing/invoices/{invoice.id}/factur-x.xml")
    assert alone.status_code == 200 and etree.fromstring(alone.data).findtext(
        ".//ram:GrandTotalAmount", namespaces=NS) == "37.32"


def test_who_may_open_an_invoice_and_another_company_gets_404_everywhere(app, world):
    _contact(world, world.a.viewer)
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    [invoice] = _invoices(o)
    paths = [f"/billing/invoices/{invoice.id}", f"/billing/invoices/{invoice.id}/factur-x.pdf",
             f"/billing/invoices/{invoice.id}/factur-x.xml"]
    for user in (world.a.buyer, world.a.admin, world.a.approver, world.a.viewer):
        browser = _as(app, user)
        assert [browser.get(p).status_code for p in paths] == [200, 200, 200], user.email
    for user in (world.b.admin, world.b.buyer, world.b.approver, world.b.viewer):
        browser = _as(app, user)
        assert [browser.get(p).status_code for p in paths] == [404, 404, 404], user.email
        assert browser.get(f"/staff/invoices/{invoice.id}").status_code == 403
    # Another buyer of the same company did not order it.
    from tests import factories as f

    other = f.user(world.a.company, email="other-buyer@test.example")
    db.session.commit()
    assert _as(app, other).get(paths[0]).status_code == 404


def test_the_buyer_sees_the_invoices_of_their_order_on_the_order_page(app, world):
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    page = _as(app, world.a.buyer).get(f"/orders/{o.id}", headers=EN).get_data(as_text=True)
    assert f"FA-{YEAR}-000001" in page


def test_statement_shows_balance_overdue_and_a_red_badge(app, world):
    _contact(world, world.a.viewer)
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 10, "VIS-440": 0})
    _ship(app, world, o, {"FAR-T55": 10, "VIS-440": 10})
    first, second = _invoices(o)
    today = datetime.now(UTC).date()
    first.due_on = today - timedelta(days=3)  # the test sets the dates it reads
    db.session.commit()
    browser = _as(app, world.a.viewer)
    page = browser.get("/billing/", headers=EN).get_data(as_text=True)
    assert "1 invoice overdue" in page and 'pill bad' in page
    # What is overdue comes first, whatever its date.
    assert page.index(first.number) < page.index(second.number)
    assert "€37.32" in page  # balance 12.66 + 24.66
    home = browser.get("/", headers=EN).get_data(as_text=True)
    assert "1 invoice overdue" in home
    assert _as(app, world.a.buyer).get("/billing/").status_code == 404
    pdf = browser.get("/billing/statement.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf.data)).pages[0].extract_text()
    assert first.number in text and "En retard" in text
    assert _as(app, world.a.buyer).get("/billing/statement.pdf").status_code == 404
    assert _as(app, world.b.admin).get("/billing/", headers=EN).get_data(
        as_text=True).count("FA-") == 0


def test_statuses_on_a_given_day():
    status = billing.status_of
    due = date(2026, 12, 31)
    assert status("invoice", due, 0, 1000, date(2026, 12, 1)) == "open"
    assert status("invoice", due, 400, 600, date(2026, 12, 1)) == "partly_paid"
    assert status("invoice", due, 400, 600, date(2027, 1, 1)) == "overdue"
    assert status("invoice", due, 1000, 0, date(2027, 1, 1)) == "paid"


def test_staff_record_payments_never_more_than_left(app, world):
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    [invoice] = _invoices(o)
    staff = _as(app, world.staff)
    too_much = staff.post(f"/staff/invoices/{invoice.id}/payments",
                          data={"amount": "40", "reference": "VIR 1"}, headers=EN)
    assert too_much.status_code == 422
    assert "more than what is left to pay" in too_much.get_data(as_text=True)
    assert "€37.32" in too_much.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(InvoicePayment)) == 0
    part = staff.post(f"/staff/invoices/{invoice.id}/payments",
                      data={"amount": "20,00", "reference": "VIR 1"})
    assert part.status_code == 303
    [row] = billing.rows_for([invoice], invoice.issued_on)
    assert (row.status, row.outstanding_cents) == ("partly_paid", 1732)
    assert db.session.scalar(select(AuditEntry.detail).where(
        AuditEntry.action == "invoice.payment"))["amount_cents"] == 2000
    assert _as(app, world.rep).post(f"/staff/invoices/{invoice.id}/payments",
                                    data={"amount": "1"}).status_code == 403


def test_a_credit_note_references_the_invoice_and_lowers_what_is_owed(app, world):
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    [invoice] = _invoices(o)
    staff = _as(app, world.staff)
    refused = staff.post(f"/staff/invoices/{invoice.id}/credit-note",
                         data={"qty-1": "21", "reason": "Casse"}, headers=EN)
    assert refused.status_code == 422 and "At most 20 units" in refused.get_data(as_text=True)
    done = staff.post(f"/staff/invoices/{invoice.id}/credit-note",
                      data={"qty-1": "5", "reason": "Sacs abîmés"})
    assert done.status_code == 303
    note = db.session.scalar(select(Invoice).where(Invoice.kind == InvoiceKind.CREDIT_NOTE))
    assert note.number == f"AV-{YEAR}-000001" and note.credits_id == invoice.id
    assert note.total_cents == 600 + 33
    assert facturx.xml_check_xsd(billing.invoice_xml(note), flavor="factur-x", level="en16931")
    pdf = _as(app, world.a.admin).get(f"/billing/invoices/{note.id}/factur-x.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    xml = etree.fromstring(billing.invoice_xml(note))
    assert xml.findtext(".//ram:TypeCode", namespaces=NS) == "381"
    assert xml.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
                        namespaces=NS) == invoice.number
    assert billing.owed_cents(world.a.company.id) == 3732 - 633
    assert invoice.total_cents == 3732  # never edited


def test_credit_exposure_counts_shipped_goods_once_then_only_unpaid_invoices(app, world):
    o = _food_and_tools(world)
    company = world.a.company.id
    assert exposure_cents(company) == 3732
    _ship(app, world, o, {"FAR-T55": 10, "VIS-440": 0})
    assert exposure_cents(company) == 3732  # 12.66 invoiced + 26.66 still on order
    [invoice] = _invoices(o)
    billing.record_payment(world.staff, invoice.id, 1266, None, "", datetime.now(UTC))
    db.session.commit()
    assert exposure_cents(company) == 3732 - 1266
    _ship(app, world, o, {"FAR-T55": 10, "VIS-440": 10})
    o.status = OrderStatus.DELIVERED
    db.session.commit()
    assert exposure_cents(company) == 2466  # delivered: only its unpaid invoice


def test_overdue_reminders_go_once_per_invoice_and_step(app, world):
    _contact(world, world.a.viewer)
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    [invoice] = _invoices(o)
    due = invoice.due_on
    with app.test_request_context():
        assert billing.send_overdue_reminders(datetime.combine(due, datetime.min.time(), UTC)) == 0
        day_after = datetime.combine(due + timedelta(days=1), datetime.min.time(), UTC)
        assert billing.send_overdue_reminders(day_after) == 1
        assert billing.send_overdue_reminders(day_after + timedelta(hours=1)) == 0
        assert billing.send_overdue_reminders(day_after + timedelta(days=14)) == 1
    db.session.commit()
    assert db.session.scalars(select(InvoiceReminder.step)).all() == [1, 2]
    mails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "invoice_overdue")).all()
    assert [m.to_address for m in mails] == [world.a.viewer.email] * 2
    assert "est en retard" in mails[0].subject


def test_staff_set_the_billing_contact_and_the_company_admin_sees_it(app, world):
    staff = _as(app, world.staff)
    url = f"/staff/customers/{world.a.company.id}/billing"
    foreign = staff.post(url, data={"contact": str(world.b.viewer.id), "line1": "1 rue"},
                         headers=EN)
    assert foreign.status_code == 422 and "Choose the billing contact among this company" in \
        foreign.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(BillingProfile)) == 0
    saved = staff.post(url, data={"contact": str(world.a.viewer.id), "line1": "3 quai",
                                  "postal_code": "69002", "city": "Lyon", "country": "FR"})
    assert saved.status_code == 303
    page = _as(app, world.a.admin).get("/billing/", headers=EN).get_data(as_text=True)
    assert world.a.viewer.email in page and "3 quai" in page
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.action == "billing.update")) == "billing.update"
    assert staff.get(f"/staff/customers/{world.b.company.id}/billing").status_code == 200
    assert _as(app, world.rep).get(url).status_code == 403


@pytest.mark.config(INVOICES_ISSUED_BY="erp")
def test_when_the_erp_issues_invoices_the_portal_issues_none(app, world):
    o = _food_and_tools(world)
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    assert _invoices(o) == []


def test_a_public_sector_customer_gets_chorus_pro_references_on_its_invoices(app, world):
    staff = _as(app, world.staff)
    url = f"/staff/customers/{world.a.company.id}/billing"
    missing = staff.post(url, data={"public_sector": "y", "country": "FR"}, headers=EN)
    assert missing.status_code == 422 and "Chorus Pro service code" in missing.get_data(
        as_text=True)
    assert staff.post(url, data={"public_sector": "y", "service_code": "SERV-TECH-01",
                                 "country": "FR"}).status_code == 303
    db.session.expire_all()
    assert world.a.company.po_required  # the legal commitment number is asked at checkout
    from tests.factories import cart_with

    cart_with(world.a.buyer, (world.products["cement"], 2))
    page = _as(app, world.a.buyer).get("/checkout/", headers=EN).get_data(as_text=True)
    assert "legal commitment number" in page and "SERV-TECH-01" in page
    o = _food_and_tools(world)
    o.po_number = "EJ-2026-0042"
    db.session.commit()
    _ship(app, world, o, {"FAR-T55": 20, "VIS-440": 10})
    [invoice] = _invoices(o)
    xml_bytes = billing.invoice_xml(invoice)
    assert facturx.xml_check_xsd(xml_bytes, flavor="factur-x", level="en16931")
    xml = etree.fromstring(xml_bytes)
    assert xml.findtext(".//ram:BuyerReference", namespaces=NS) == "SERV-TECH-01"
    assert xml.findtext(".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
                        namespaces=NS) == "EJ-2026-0042"
