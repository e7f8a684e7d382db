"""The invoice as Factur-X XML: UN/CEFACT Cross Industry Invoice, EN 16931 profile.

Built with lxml from the stored invoice alone (its frozen lines, rates, scheme and buyer), so
the XML of an invoice is the same on every download. Amounts are the invoice's integer cents
written with two decimals; the VAT breakdown is the per-rate table of `totals_by_rate`, the
same rows the PDF prints. Categories: S (a rate above zero), Z (zero rate at home), K
(intra-Community reverse charge, VATEX-EU-IC), G (export, VATEX-EU-G). Credit notes are type
381 and name the invoice they correct.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from lxml import etree

from portal.models import Invoice, InvoiceKind
from portal.models.orders import TaxScheme
from portal.services.selling import legal_mention, totals_by_rate

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
EN16931 = "urn:cen.eu:en16931:2017"
TYPE_CODES = {InvoiceKind.INVOICE: "380", InvoiceKind.CREDIT_NOTE: "381"}
EXEMPTIONS = {TaxScheme.REVERSE_CHARGE: ("K", "VATEX-EU-IC"),
              TaxScheme.EXPORT: ("G", "VATEX-EU-G")}


@dataclass(frozen=True)
class Seller:
    """The seller as printed on every invoice (settings SELLER_*)."""

    name: str
    address: str
    postal_code: str
    city: str
    country: str
    vat_number: str
    siret: str
    legal_form: str
    iban: str
    bic: str

    @property
    def siren(self) -> str:
        return self.siret[:9]


def seller() -> Seller:
    c = current_app.config
    return Seller(c.get("SELLER_NAME", ""), c.get("SELLER_ADDRESS", ""),
                  c.get("SELLER_POSTAL_CODE", ""), c.get("SELLER_CITY", ""),
                  c.get("SELLER_COUNTRY", "FR"), c.get("SELLER_VAT_NUMBER", ""),
                  c.get("SELLER_SIRET", ""), c.get("SELLER_LEGAL_FORM", ""),
                  c.get("SELLER_IBAN", ""), c.get("SELLER_BIC", ""))


def amount(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def rate_percent(rate_bp: int) -> str:
    return f"{Decimal(rate_bp) / 100:.2f}"


def category(scheme, rate_bp: int) -> tuple[str, str | None]:
    """(VAT category code, exemption reason code) of a line or a rate."""
    if scheme in EXEMPTIONS:
        return EXEMPTIONS[TaxScheme(scheme)]
    return ("S", None) if rate_bp > 0 else ("Z", None)


def _el(parent, tag: str, text: str | None = None, **attrs):
    prefix, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", **attrs)
    if text is not None:
        node.text = text
    return node


def _date(parent, tag: str, value, kind: str = "udt") -> None:
    _el(_el(parent, tag), f"{kind}:DateTimeString", value.strftime("%Y%m%d"), format="102")


def _address(parent, postal_code: str, lines: list[str], city: str, country: str) -> None:
    address = _el(parent, "ram:PostalTradeAddress")
    if postal_code:
        _el(address, "ram:PostcodeCode", postal_code)
    for tag, line in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"), lines, strict=False):
        _el(address, tag, line)
    if city:
        _el(address, "ram:CityName", city)
    _el(address, "ram:CountryID", country or "FR")


def legal_notes(invoice: Invoice, who: Seller) -> list[tuple[str, str | None]]:
    """(text, subject code) of the notes every invoice carries: the French B2B payment
    mentions, outside domestic VAT the scheme's legal mention, and the legal mentions of the
    storefront its order was placed on."""
    notes = []
    if who.legal_form:
        notes.append((f"{who.name}, {who.legal_form}", "REG"))
    notes += [
        ("Pénalités de retard : trois fois le taux d'intérêt légal.", "PMD"),
        ("Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €.",
         "PMT"),
        ("Pas d'escompte pour paiement anticipé.", "AAB"),
    ]
    text = legal_mention(invoice.tax_scheme, _storefront_id(invoice))
    if text:
        notes.append((text, "TXD"))
    local = storefront_mentions(invoice)
    if local:
        notes.append((local, "REG"))
    return notes


def _storefront_id(invoice: Invoice) -> int | None:
    return invoice.order.storefront_id if invoice.order is not None else None


def storefront_mentions(invoice: Invoice) -> str:
    """The legal mentions of the storefront the invoice's order was placed on (the seller
    in that country, as the seller's own settings are: read when the document is made)."""
    from portal.services.storefronts import by_id

    order = invoice.order
    return by_id(order.storefront_id).legal_mentions if order is not None else ""


def build_xml(invoice: Invoice, who: Seller | None = None) -> bytes:
    who = who or seller()
    root = etree.Element(f"{{{NS['rsm']}}}CrossIndustryInvoice", nsmap=NS)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", EN16931)
    document = _el(root, "rsm:ExchangedDocument")
    _el(document, "ram:ID", invoice.number)
    _el(document, "ram:TypeCode", TYPE_CODES[invoice.kind])
    _date(document, "ram:IssueDateTime", invoice.issued_on)
    for text, code in legal_notes(invoice, who):
        note = _el(document, "ram:IncludedNote")
        _el(note, "ram:Content", text)
        if code:
            _el(note, "ram:SubjectCode", code)
    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for line in invoice.lines:
        _line(transaction, invoice, line)
    _agreement(transaction, invoice, who)
    delivery = _el(transaction, "ram:ApplicableHeaderTradeDelivery")
    ship_to = _el(delivery, "ram:ShipToTradeParty")
    _el(ship_to, "ram:Name", invoice.buyer_name)
    _address(ship_to, invoice.buyer_postal_code, invoice.buyer_address.splitlines(),
             invoice.buyer_city, invoice.buyer_country)
    event = _el(delivery, "ram:ActualDeliverySupplyChainEvent")
    _date(event, "ram:OccurrenceDateTime", invoice.issued_on)
    _settlement(transaction, invoice, who)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _line(transaction, invoice: Invoice, line) -> None:
    item = _el(transaction, "ram:IncludedSupplyChainTradeLineItem")
    _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(line.position))
    product = _el(item, "ram:SpecifiedTradeProduct")
    _el(product, "ram:SellerAssignedID", line.sku)
    _el(product, "ram:Name", line.name)
    agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
    _el(_el(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount",
        amount(line.unit_price_cents))
    _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", str(line.quantity),
        unitCode="C62")
    settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
    tax = _el(settlement, "ram:ApplicableTradeTax")
    _el(tax, "ram:TypeCode", "VAT")
    _el(tax, "ram:CategoryCode", category(invoice.tax_scheme, line.tax_rate_bp)[0])
    _el(tax, "ram:RateApplicablePercent", rate_percent(line.tax_rate_bp))
    _el(_el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"),
        "ram:LineTotalAmount", amount(line.line_total_cents))


def _agreement(transaction, invoice: Invoice, who: Seller) -> None:
    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    if invoice.buyer_reference:
        # Chorus Pro: the public buyer's service code (BT-10); the legal commitment number
        # is the order reference below (BT-13, the PO number).
        _el(agreement, "ram:BuyerReference", invoice.buyer_reference)
    seller_party = _el(agreement, "ram:SellerTradeParty")
    _el(seller_party, "ram:Name", who.name)
    if who.siren:
        _el(_el(seller_party, "ram:SpecifiedLegalOrganization"), "ram:ID", who.siren,
            schemeID="0002")
    _address(seller_party, who.postal_code, [who.address] if who.address else [], who.city,
             who.country)
    if who.vat_number:
        _el(_el(seller_party, "ram:SpecifiedTaxRegistration"), "ram:ID", who.vat_number,
            schemeID="VA")
    buyer = _el(agreement, "ram:BuyerTradeParty")
    _el(buyer, "ram:Name", invoice.buyer_name)
    _address(buyer, invoice.buyer_postal_code, invoice.buyer_address.splitlines(),
             invoice.buyer_city, invoice.buyer_country)
    legal = invoice.buyer_legal_id
    if legal and legal[:2].isalpha():
        _el(_el(buyer, "ram:SpecifiedTaxRegistration"), "ram:ID", legal, schemeID="VA")
    if invoice.po_number:
        _el(_el(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID",
            invoice.po_number)


def _settlement(transaction, invoice: Invoice, who: Seller) -> None:
    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:PaymentReference", invoice.number)
    _el(settlement, "ram:InvoiceCurrencyCode", invoice.currency)
    if who.iban and invoice.kind == InvoiceKind.INVOICE:
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", "58")  # SEPA credit transfer
        _el(_el(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID",
            who.iban.replace(" ", ""))
    rows = totals_by_rate((line.tax_rate_bp, line.line_total_cents) for line in invoice.lines)
    reason = legal_mention(invoice.tax_scheme, _storefront_id(invoice))
    for row in rows:
        code, exemption = category(invoice.tax_scheme, row.rate_bp)
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", amount(row.tax_cents))
        _el(tax, "ram:TypeCode", "VAT")
        if exemption:
            _el(tax, "ram:ExemptionReason", reason)
        _el(tax, "ram:BasisAmount", amount(row.base_cents))
        _el(tax, "ram:CategoryCode", code)
        if exemption:
            _el(tax, "ram:ExemptionReasonCode", exemption)
        _el(tax, "ram:RateApplicablePercent", rate_percent(row.rate_bp))
    if invoice.due_on is not None:
        terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
        _date(terms, "ram:DueDateDateTime", invoice.due_on)
    prepaid = invoice.total_cents if invoice.prepaid and invoice.kind == InvoiceKind.INVOICE \
        else 0
    summation = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(summation, "ram:LineTotalAmount", amount(invoice.subtotal_cents))
    _el(summation, "ram:TaxBasisTotalAmount", amount(invoice.subtotal_cents))
    _el(summation, "ram:TaxTotalAmount", amount(invoice.tax_cents), currencyID=invoice.currency)
    _el(summation, "ram:GrandTotalAmount", amount(invoice.total_cents))
    if prepaid:
        _el(summation, "ram:TotalPrepaidAmount", amount(prepaid))
    _el(summation, "ram:DuePayableAmount", amount(invoice.total_cents - prepaid))
    if invoice.credits is not None:
        referenced = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(referenced, "ram:IssuerAssignedID", invoice.credits.number)
        # This one date is of the qualified type in the schema.
        _date(referenced, "ram:FormattedIssueDateTime", invoice.credits.issued_on, "qdt")
