"""Invoices on the phone (360 × 640): the warehouse ships a Durand Bâtiment order and the
invoice e-mail goes to the company's billing contact (its accountant), not to the buyer; she
signs in, sees the red overdue badge, opens the overdue invoice from her statement and
downloads its Factur-X PDF, whose embedded XML validates against the Factur-X schema with the
library that built it and carries the invoice's amounts."""

import re
from io import BytesIO

import facturx
from lxml import etree
from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.ordering_helpers import demo_db, new_phone_page  # noqa: F401
from e2e.test_approvals import wait_for_mail

ACCOUNTANT = "compta@demo.test"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"


def _ship_a_durand_order(browser, live_server, demo_db) -> str:  # noqa: F811
    order_id, number = demo_db.execute(
        "SELECT o.id, o.number FROM orders o JOIN companies c ON c.id = o.company_id "
        "WHERE c.name = 'Durand Bâtiment' AND o.status = 'confirmed' "
        "ORDER BY o.placed_at DESC LIMIT 1").fetchone()
    context, hands = new_phone_page(browser, "warehouse@demo.test", live_server)
    try:
        hands.goto(f"{live_server}/staff/fulfilment/orders/{order_id}")
        hands.get_by_role("button", name="Enregistrer l'expédition").click()
        expect(hands.get_by_text("Expédition enregistrée.")).to_be_visible()
    finally:
        context.close()
    return number


def test_billing_contact_gets_the_invoice_sees_overdue_and_downloads_factur_x(
        page, browser, live_server, mailbox, shot, demo_db, tmp_path):  # noqa: F811
    number = _ship_a_durand_order(browser, live_server, demo_db)
    message, body = wait_for_mail(mailbox, ACCOUNTANT, number)
    assert re.match(r"Facture FA-\d{4}-\d{6} pour la commande", message["Subject"])
    link = re.search(r"http://\S+/billing/invoices/\d+", body).group(0)
    assert not [m for m in mailbox.messages
                if "buyer@demo.test" in (m["To"] or "") and "Facture" in (m["Subject"] or "")]

    sign_in(page, live_server, ACCOUNTANT)
    card = page.get_by_role("region", name="Factures et relevé")
    expect(card.get_by_text("1 facture en retard")).to_be_visible()
    card.scroll_into_view_if_needed()
    shot("billing-home-overdue-badge")

    card.get_by_role("link", name="Voir le relevé").click()
    expect(page.get_by_role("heading", level=1, name="Factures et relevé")).to_be_visible()
    overdue = page.get_by_role("listitem").filter(has_text="En retard").first
    expect(overdue).to_be_visible()
    shot("billing-statement")

    overdue.get_by_role("link").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Facture FA-")
    invoice_number = heading.inner_text().removeprefix("Facture ").strip()
    expect(page.get_by_role("main")).to_contain_text("En retard")
    shot("billing-invoice-overdue")
    download_link = page.get_by_role(
        "link", name=f"Télécharger le PDF (Factur-X) de {invoice_number}")
    download_link.scroll_into_view_if_needed()
    shot("billing-invoice-downloads")
    with page.expect_download() as waiting:
        download_link.click()
    pdf = tmp_path / "invoice.pdf"
    waiting.value.save_as(pdf)

    _filename, xml_bytes = facturx.get_xml_from_pdf(BytesIO(pdf.read_bytes()), check_xsd=False)
    assert facturx.xml_check_xsd(xml_bytes, flavor="factur-x", level="en16931")
    xml = etree.fromstring(xml_bytes)
    total, tax = demo_db.execute("SELECT total_cents, tax_cents FROM invoices WHERE number = ?",
                                 (invoice_number,)).fetchone()
    assert xml.findtext(f".//{{{RAM}}}GrandTotalAmount") == f"{total / 100:.2f}"
    assert xml.findtext(f".//{{{RAM}}}TaxTotalAmount") == f"{tax / 100:.2f}"

    page.goto(link)  # the e-mail's link: the invoice of the order just shipped
    expect(page.get_by_role("main")).to_contain_text(number)
    shot("billing-invoice-from-email")


def test_staff_record_a_payment_on_the_overdue_invoice_from_the_phone(
        browser, live_server, demo_db):  # noqa: F811
    from e2e.conftest import SCREENSHOTS

    invoice_id, number, total = demo_db.execute(
        "SELECT i.id, i.number, i.total_cents FROM invoices i "
        "WHERE i.kind = 'invoice' AND NOT EXISTS (SELECT 1 FROM invoice_payments p "
        "WHERE p.invoice_id = i.id) ORDER BY i.due_on LIMIT 1").fetchone()
    context, staff = new_phone_page(browser, "staff@demo.test", live_server)
    try:
        SCREENSHOTS.mkdir(exist_ok=True)
        staff.goto(f"{live_server}/staff/invoices/{invoice_id}")
        amount = staff.get_by_label("Montant reçu (EUR)")
        amount.fill(f"{total // 100 + 1}")
        staff.get_by_role("button", name=f"Enregistrer le paiement sur {number}").click()
        refusal = staff.get_by_text(re.compile(r"dépasse le reste à payer"))
        expect(refusal).to_be_visible()
        expect(refusal).to_be_in_viewport()  # the page lands on the form, not at its top
        staff.screenshot(path=str(SCREENSHOTS / "billing-staff-payment-refused.png"))
        amount = staff.get_by_label("Montant reçu (EUR)")
        amount.fill(f"{total // 100},{total % 100:02d}")
        staff.get_by_label("Référence bancaire").fill("VIR E2E")
        staff.get_by_role("button", name=f"Enregistrer le paiement sur {number}").click()
        expect(staff.get_by_text(f"Paiement enregistré sur {number}.")).to_be_visible()
        expect(staff.get_by_role("main")).to_contain_text("Payée")
        staff.screenshot(path=str(SCREENSHOTS / "billing-staff-payment-recorded.png"))
    finally:
        context.close()
