"""The seller's answer: price each line (a unit price, or a discount on the customer's own
price), replace a product by another, set validity and delivery terms, send: a new version.
And the thread of messages, on both sides.

Every figure is checked before anything is written; a refusal names its field. Products
and the customer's price come from the selling policy as the buyer would see them, so a
replacement the buyer may not see is refused like an unknown SKU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import update

from portal.extensions import db
from portal.models import Quote, QuoteLine, QuoteMessage, QuoteStatus, QuoteVersion
from portal.services import DomainError, ordering, selling, storage
from portal.services.quantities import parse_quantity
from portal.services.quotes import notify, rules
from portal.services.quotes.access import version_of
from portal.services.text import clean_line, clean_text

TERMS_MAX = 300
MESSAGE_MAX = 2000
MAX_FILES = 20


class QuoteConflict(DomainError):
    """Someone else changed the quote first (a second tab, the buyer accepting)."""

    status = 409


@dataclass(frozen=True)
class LineAnswer:
    price: str = ""
    discount: str = ""
    sku: str = ""
    quantity: str = ""


@dataclass(frozen=True)
class Answer:
    lines: dict[int, LineAnswer] = field(default_factory=dict)  # by line id of the version
    valid_until: str = ""
    delivery_terms: str = ""
    message: str = ""
    seen_version: int | None = None
    # Ticked "make these contract prices for this customer until": the day, else "".
    contract_until: str = ""
    added: LineAnswer | None = None  # a line the rep adds (SKU, quantity, price or discount)


def _product_for(quote: Quote, line: QuoteLine, typed_sku: str):
    sku = typed_sku.strip().upper()
    if not sku or sku == line.product.sku:
        return line.product
    product = selling.find_visible(quote.buyer, sku=sku)
    if product is None or product.discontinued:
        raise DomainError(_("Unknown SKU for this customer: %(sku)s.", sku=sku[:40]),
                          field=f"sku-{line.id}")
    return product


def _price(line_id: int | str, typed: LineAnswer, list_price: int | None,
           kept: int | None) -> tuple:
    """(unit price, discount) for one line, or the refusal at its field."""
    try:
        discount = rules.parse_discount(typed.discount)
    except ValueError as e:
        raise DomainError(str(e), field=f"discount-{line_id}") from None
    try:
        price = rules.parse_price(typed.price, list_price)
    except ValueError as e:
        raise DomainError(str(e), field=f"price-{line_id}") from None
    if price is not None and discount is not None:
        raise DomainError(_("Enter a price or a discount, not both."), field=f"price-{line_id}")
    if discount is not None:
        if list_price is None:
            raise DomainError(_("This product has no price for the customer: enter a price."),
                              field=f"discount-{line_id}")
        return rules.discounted(list_price, discount), discount
    if price is None:
        # Left empty: the price sent before, else the customer's own price (a rep on the
        # phone touches only the lines he negotiates); a product without one needs a price.
        if kept is None and list_price is None:
            raise DomainError(_("Enter a price: this product has none for the customer."),
                              field=f"price-{line_id}")
        return (kept if kept is not None else list_price), None
    return price, None


def _added_line(quote: Quote, typed: LineAnswer, position: int) -> QuoteLine:
    """A product the rep adds to the quote (a fixing kit, the matching adhesive)."""
    product = selling.find_visible(quote.buyer, sku=typed.sku.strip().upper())
    if product is None or product.discontinued:
        raise DomainError(_("Unknown SKU for this customer: %(sku)s.", sku=typed.sku[:40]),
                          field="sku-new")
    offer = selling.offers_for(quote.buyer).get(product)
    try:
        quantity = parse_quantity(typed.quantity)
        selling.require_quantity(offer.rule, quantity)
    except DomainError as problem:
        raise DomainError(str(problem), field="qty-new") from None
    priced = offer.prices.quote(quantity) if offer.prices else None
    list_price = priced.unit_price_cents if priced else None
    price, discount = _price("new", typed, list_price, None)
    return QuoteLine(position=position, product_id=product.id, quantity=quantity,
                     target_price_cents=None, list_price_cents=list_price,
                     unit_price_cents=price, discount_bp=discount, note="")


def send_version(staff, quote: Quote, answer: Answer, now: datetime) -> QuoteVersion:
    """The next version, priced and sent to the buyer (not committed)."""
    if quote.status not in (QuoteStatus.REQUESTED, QuoteStatus.SENT):
        raise QuoteConflict(_("This quote can no longer be changed."))
    base = version_of(quote)
    try:
        valid_until = rules.clean_valid_until(answer.valid_until, ordering.local_today(now))
    except ValueError as e:
        raise DomainError(str(e), field="valid_until") from None
    contract_until = None
    if answer.contract_until.strip():
        try:
            contract_until = rules.clean_valid_until(answer.contract_until,
                                                     ordering.local_today(now))
        except ValueError as e:
            raise DomainError(str(e), field="contract_until") from None
    terms = clean_line(answer.delivery_terms or "")
    if len(terms) > TERMS_MAX:
        raise DomainError(_("Delivery terms hold %(max)s characters at most.", max=TERMS_MAX),
                          field="delivery_terms")
    products = {line.id: _product_for(quote, line, answer.lines.get(line.id, LineAnswer()).sku)
                for line in base.lines}
    offers = selling.offers_for(quote.buyer).load(list(products.values()))
    lines = []
    for line in base.lines:
        typed = answer.lines.get(line.id, LineAnswer())
        product = products[line.id]
        offer = offers[product.id]
        try:
            quantity = parse_quantity(typed.quantity) if typed.quantity.strip() \
                else line.quantity
            selling.require_quantity(offer.rule, quantity)
        except DomainError as problem:
            raise DomainError(str(problem), field=f"qty-{line.id}") from None
        priced = offer.prices.quote(quantity) if offer.prices else None
        list_price = priced.unit_price_cents if priced else None
        same = product.id == line.product_id and quantity == line.quantity
        price, discount = _price(line.id, typed, list_price,
                                 line.unit_price_cents if same else None)
        replaced = line.replaces_id or line.product_id
        lines.append(QuoteLine(
            position=line.position, product_id=product.id, quantity=quantity,
            target_price_cents=line.target_price_cents, list_price_cents=list_price,
            unit_price_cents=price, discount_bp=discount,
            replaces_id=replaced if replaced != product.id else None, note=line.note))
    if answer.added is not None and answer.added.sku.strip():
        lines.append(_added_line(quote, answer.added, len(base.lines) + 1))
    number = quote.current_version + 1
    if answer.seen_version is not None and answer.seen_version != quote.current_version:
        raise QuoteConflict(_("This quote changed while you were pricing it: check it again."))
    # Conditional: a second tab sending the same round, or the buyer accepting in between,
    # makes this one a conflict instead of a second version.
    moved = db.session.execute(
        update(Quote).where(Quote.id == quote.id, Quote.current_version == quote.current_version,
                            Quote.status.in_((QuoteStatus.REQUESTED, QuoteStatus.SENT)))
        .values(current_version=number, status=QuoteStatus.SENT, valid_until=valid_until,
                updated_at=now).execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise QuoteConflict(_("This quote changed while you were pricing it: check it again."))
    db.session.refresh(quote)
    version = QuoteVersion(quote_id=quote.id, number=number, created_at=now,
                           created_by_id=staff.id, valid_until=valid_until,
                           delivery_terms=terms, currency=base.currency,
                           contract_until=contract_until)
    version.lines.extend(lines)
    db.session.add(version)
    if answer.message.strip():
        post_message(staff, quote, answer.message, now, tell=False)
    db.session.flush()
    notify.tell_buyer(quote, "sent", clean_text(answer.message))
    return version


@dataclass(frozen=True)
class Upload:
    """A file sent with a message, as the form gave it."""

    data: bytes
    filename: str
    content_type: str


def post_message(user, quote: Quote, body: str, now: datetime, tell: bool = True,
                 upload: Upload | None = None) -> QuoteMessage:
    """A message on the thread, with a photo or a PDF if sent (checked by content, size
    limited: services/storage); the other side is told by email."""
    text = clean_text(body or "")
    if not text and upload is None:
        raise DomainError(_("Write a message first."), field="body")
    if len(text) > MESSAGE_MAX:
        raise DomainError(_("A message holds %(max)s characters at most.", max=MESSAGE_MAX),
                          field="body")
    key = name = None
    if upload is not None:
        if sum(1 for m in quote.messages if m.attachment_key) >= MAX_FILES:
            raise DomainError(_("A quote holds %(max)s files at most.", max=MAX_FILES),
                              field="file")
        key = storage.put(upload.data, upload.content_type, kind="quote-attachment",
                          field="file")
        name = clean_line(upload.filename or "")[:120] or _("file")
    from_seller = user.company_id is None
    message = QuoteMessage(quote_id=quote.id, author_id=user.id, from_seller=from_seller,
                           body=text, at=now, attachment_key=key, attachment_name=name)
    db.session.add(message)
    quote.updated_at = now
    if tell:
        (notify.tell_buyer if from_seller else notify.tell_seller)(
            quote, "message", text or name)
    return message


def attachment_of(quote: Quote, message_id: int) -> QuoteMessage | None:
    """A message of this quote that carries a file, or None."""
    message = db.session.get(QuoteMessage, message_id)
    if message is None or message.quote_id != quote.id or not message.attachment_key:
        return None
    return message
