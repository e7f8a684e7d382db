"""The invoice people read: a PDF drawn with reportlab, made a Factur-X PDF/A-3 by the
factur-x library (the CII XML embedded as factur-x.xml, its XMP metadata, the XML checked
against the official Factur-X EN 16931 schema before anything is answered).

reportlab, not fpdf2: it ships TrueType fonts (Bitstream Vera) inside its package, and PDF/A
wants every font embedded; the core PDF fonts (Helvetica) are not. The sRGB output intent
PDF/A asks for is added with pypdf (factur-x's own dependency) from Pillow's built-in sRGB
profile. The document is in French, the seller's language of record: the same PDF and XML
for every reader.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import facturx
import reportlab
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.formatting import money_in
from portal.models import Invoice, InvoiceKind
from portal.services.billing.cii import Seller, build_xml, legal_notes, seller
from portal.services.selling import rate_label, totals_by_rate

_FONTS = Path(reportlab.__file__).parent / "fonts"
_registered = False


def _fonts() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(TTFont("Vera", str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("VeraBd", str(_FONTS / "VeraBd.ttf")))
        _registered = True


def _eur(cents: int, currency: str) -> str:
    # Vera has no narrow no-break space (U+202F): a no-break space keeps "1 234,50 €" whole.
    return money_in(cents, currency, "fr").replace("\u202f", "\xa0")


def _styles():
    base = ParagraphStyle("body", fontName="Vera", fontSize=9, leading=12)
    return {"body": base,
            "title": ParagraphStyle("title", parent=base, fontName="VeraBd", fontSize=15,
                                    leading=19),
            "bold": ParagraphStyle("bold", parent=base, fontName="VeraBd"),
            "bold_right": ParagraphStyle("bold_right", parent=base, fontName="VeraBd",
                                         alignment=2),
            "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10)}


def _p(text: str, style) -> Paragraph:
    # Paragraph reads a little markup: people's text is escaped first.
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _visible_pdf(invoice: Invoice, who: Seller) -> bytes:
    _fonts()
    s = _styles()
    out = io.BytesIO()
    title = (_("Credit note %(number)s", number=invoice.number)
             if invoice.kind == InvoiceKind.CREDIT_NOTE
             else _("Invoice %(number)s", number=invoice.number))
    doc = SimpleDocTemplate(out, pagesize=A4, title=title, author=who.name,
                            leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm)
    seller_text = "\n".join(p for p in (
        who.name, who.address, f"{who.postal_code} {who.city}".strip(),
        _("SIRET: %(siret)s", siret=who.siret) if who.siret else "",
        _("VAT number: %(vat)s", vat=who.vat_number) if who.vat_number else "") if p)
    buyer_text = "\n".join(p for p in (
        invoice.buyer_name, invoice.buyer_address,
        f"{invoice.buyer_postal_code} {invoice.buyer_city}".strip(), invoice.buyer_country,
        _("VAT number or SIRET: %(id)s", id=invoice.buyer_legal_id)
        if invoice.buyer_legal_id else "") if p)
    facts = [_("Date: %(date)s", date=invoice.issued_on.strftime("%d/%m/%Y"))]
    if invoice.kind == InvoiceKind.INVOICE:
        # Issued when the goods leave: the delivery of goods is the invoice's date.
        facts.append(_("Delivery of goods on %(date)s",
                       date=invoice.issued_on.strftime("%d/%m/%Y")))
    facts.append(_("Order: %(number)s", number=invoice.order_number))
    if invoice.buyer_reference:
        facts.append(_("Service code: %(code)s", code=invoice.buyer_reference))
        if invoice.po_number:
            facts.append(_("Legal commitment number: %(po)s", po=invoice.po_number))
    elif invoice.po_number:
        facts.append(_("Your PO number: %(po)s", po=invoice.po_number))
    if invoice.credits is not None:
        facts.append(_("Corrects invoice %(number)s of %(date)s", number=invoice.credits.number,
                       date=invoice.credits.issued_on.strftime("%d/%m/%Y")))
        facts.append(_("Reason: %(reason)s", reason=invoice.reason))
    if invoice.due_on is not None and invoice.kind == InvoiceKind.INVOICE:
        facts.append(_("Due date: %(date)s", date=invoice.due_on.strftime("%d/%m/%Y")))
    story = [
        Table([[_p(seller_text, s["body"]), _p(buyer_text, s["body"])]],
              colWidths=[87 * mm, 87 * mm],
              style=[("VALIGN", (0, 0), (-1, -1), "TOP")]),
        Spacer(1, 8 * mm), _p(title, s["title"]), Spacer(1, 2 * mm),
        _p("\n".join(facts), s["body"]), Spacer(1, 6 * mm),
    ]
    cur = invoice.currency
    rows = [[_p(_("Reference"), s["bold"]), _p(_("Description"), s["bold"])]
            + [_p(t, s["bold_right"]) for t in (_("Qty"), _("Unit price excl. VAT"), _("VAT"),
                                                 _("Total excl. VAT"))]]
    for line in invoice.lines:
        rows.append([_p(line.sku, s["body"]), _p(line.name, s["body"]), str(line.quantity),
                     _eur(line.unit_price_cents, cur), rate_label(line.tax_rate_bp),
                     _eur(line.line_total_cents, cur)])
    table = Table(rows, colWidths=[24 * mm, 62 * mm, 12 * mm, 28 * mm, 16 * mm, 32 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "Vera", 9), ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [table, Spacer(1, 5 * mm)]
    totals = [[_("Total excl. VAT"), _eur(invoice.subtotal_cents, cur)]]
    for row in totals_by_rate((line.tax_rate_bp, line.line_total_cents)
                              for line in invoice.lines):
        totals.append([_("VAT %(rate)s on %(base)s", rate=rate_label(row.rate_bp),
                         base=_eur(row.base_cents, cur)), _eur(row.tax_cents, cur)])
    totals.append([_("Total incl. VAT"), _eur(invoice.total_cents, cur)])
    paid_ahead = invoice.prepaid and invoice.kind == InvoiceKind.INVOICE
    if paid_ahead:
        totals.append([_("Paid in advance"), _eur(invoice.total_cents, cur)])
        totals.append([_("Left to pay"), _eur(0, cur)])
    box = Table(totals, colWidths=[60 * mm, 32 * mm], hAlign="RIGHT")
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "Vera", 9), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("FONT", (0, -3 if paid_ahead else -1), (-1, -3 if paid_ahead else -1), "VeraBd", 10),
        ("LINEABOVE", (0, -3 if paid_ahead else -1), (-1, -3 if paid_ahead else -1), 0.8,
         colors.black)]))
    story += [box, Spacer(1, 6 * mm)]
    if invoice.kind == InvoiceKind.INVOICE and not invoice.prepaid:
        story.append(_p("\n".join((
            _("Payment by bank transfer to %(name)s", name=who.name),
            _("IBAN: %(iban)s", iban=who.iban), _("BIC: %(bic)s", bic=who.bic),
            _("Payment reference: %(reference)s", reference=invoice.number))), s["body"]))
        story.append(Spacer(1, 4 * mm))
    story.append(_p("\n".join(text for text, _code in legal_notes(invoice, who)), s["small"]))
    doc.build(story)
    return out.getvalue()


def _with_output_intent(pdf: bytes) -> bytes:
    """PDF/A's colour promise: an sRGB output intent (Pillow's built-in sRGB profile)."""
    from PIL import ImageCms
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    icc = DecodedStreamObject()
    icc.set_data(profile)
    icc[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB"),
        NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/DestOutputProfile"): writer._add_object(icc),
    })
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def invoice_xml(invoice: Invoice) -> bytes:
    with force_locale("fr"):
        return build_xml(invoice)


def invoice_pdf(invoice: Invoice) -> bytes:
    """The Factur-X PDF of an invoice (its XML checked against the schema on the way)."""
    who = seller()
    with force_locale("fr"):
        xml = build_xml(invoice, who)
        pdf = _with_output_intent(_visible_pdf(invoice, who))
        title = (_("Credit note %(number)s", number=invoice.number)
                 if invoice.kind == InvoiceKind.CREDIT_NOTE
                 else _("Invoice %(number)s", number=invoice.number))
    return facturx.generate_from_binary(
        pdf, xml, flavor="factur-x", level="en16931", check_xsd=True, lang="fr-FR",
        pdf_metadata={"author": who.name, "keywords": "Factur-X", "title": title,
                      "subject": title})
