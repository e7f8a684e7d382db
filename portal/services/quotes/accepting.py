"""Accepting a quote: all or some lines of its current version become one order at the
quoted prices, through checkout's own path (delivery place, PO number and date checked by
checkout's rules; `new_order` and `finish_order`: approval routing, credit check, timeline,
email). A quote is accepted once: a conditional update claims it, and `orders.quote_id` is
unique besides. An expired quote is not accepted; its buyer may ask to renew it.
Also the quotes' hourly duty: quotes past their validity date expire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import ContractPrice, Order, OrderLine, Quote, QuoteStatus
from portal.services import DomainError, approvals, ordering, selling
from portal.services.accounts import record
from portal.services.quotes import notify
from portal.services.quotes.access import version_of
from portal.services.quotes.answers import QuoteConflict


@dataclass(frozen=True)
class Acceptance:
    line_ids: frozenset[int]
    version: int | None
    checkout: ordering.CheckoutForm


def is_expired(quote: Quote, now: datetime) -> bool:
    if quote.status == QuoteStatus.EXPIRED:
        return True
    return quote.status == QuoteStatus.SENT and quote.valid_until is not None \
        and quote.valid_until < ordering.local_today(now)


def _already_accepted(quote: Quote) -> QuoteConflict:
    order = db.session.scalar(select(Order).where(Order.quote_id == quote.id))
    if order is None:
        return QuoteConflict(_("This quote was already accepted."))
    return QuoteConflict(_("This quote was already accepted: order %(number)s.",
                           number=order.number))


def accept(user, quote: Quote, acceptance: Acceptance, now: datetime) -> Order:
    """The order made of the chosen lines (not committed). A replay of the same form answers
    the order it already made."""
    replay = ordering.find_by_token(user, acceptance.checkout.token)
    if replay is not None and replay.quote_id == quote.id:
        return replay
    if quote.status == QuoteStatus.ACCEPTED:
        raise _already_accepted(quote)
    if is_expired(quote, now):
        raise DomainError(_("This quote has expired: ask for it to be renewed."))
    if quote.status != QuoteStatus.SENT:
        raise QuoteConflict(_("This quote cannot be accepted now."))
    if acceptance.version is not None and acceptance.version != quote.current_version:
        raise QuoteConflict(_("The seller sent a new version meanwhile: check it, then accept."))
    version = version_of(quote)
    chosen = [line for line in version.lines if line.id in acceptance.line_ids]
    if not chosen:
        raise DomainError(_("Tick at least one line to order."), field="lines")
    place, requested, po_number, notes = ordering.validate_checkout(
        user, acceptance.checkout, ordering.delivery_places(user), ordering.local_today(now))
    offers = selling.offers_for(user).load([line.product_id for line in chosen])
    for line in chosen:
        offer = offers.get(line.product_id)
        if offer is None or not offer.visible or offer.tax is None:
            raise DomainError(_("%(sku)s can no longer be ordered: ask for a new version.",
                                sku=line.product.sku), field="lines")
    # The claim: of two acceptances at once, the second finds the quote accepted (on
    # PostgreSQL it waits for the first to commit, then its WHERE no longer matches).
    claimed = db.session.execute(
        update(Quote).where(Quote.id == quote.id, Quote.status == QuoteStatus.SENT,
                            Quote.current_version == version.number)
        .values(status=QuoteStatus.ACCEPTED, accepted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.refresh(quote)
        raise _already_accepted(quote) if quote.status == QuoteStatus.ACCEPTED \
            else QuoteConflict(_("This quote changed meanwhile: check it again."))
    db.session.refresh(quote)
    totals = [(offers[line.product_id].tax.rate_bp, line.unit_price_cents * line.quantity)
              for line in chosen]
    subtotal = sum(cents for _rate, cents in totals)
    order = ordering.new_order(
        user, place, requested, po_number, notes, acceptance.checkout.token, now,
        currency=version.currency, subtotal_cents=subtotal,
        tax_cents=selling.tax_total(totals), tax_scheme=offers[chosen[0].product_id].tax.scheme,
        quote_id=quote.id)
    for position, line in enumerate(chosen, start=1):
        product = line.product
        order.lines.append(OrderLine(
            position=position, product_id=product.id, sku=product.sku, name=product.name_fr,
            name_en=product.name_en, quantity=line.quantity,
            unit_price_cents=line.unit_price_cents,
            line_total_cents=line.unit_price_cents * line.quantity,
            tax_rate_bp=offers[product.id].tax.rate_bp, note=line.note, shipped_qty=0,
            backordered_qty=0))
    needs = approvals.needs_for_cart(
        user, subtotal, [(line.product_id, line.product.category_id, line.quantity,
                          line.unit_price_cents * line.quantity) for line in chosen],
        place.jobsite_id, now)
    ordering.finish_order(order, user, now, None, place, needs)
    if version.contract_until is not None:
        _make_contract_prices(user, quote, version, chosen, now)
    return order


def _make_contract_prices(user, quote: Quote, version, chosen, now: datetime) -> None:
    """The accepted lines' prices become the company's contract prices until the day the rep
    set (a newer agreement on the same product replaces the older one)."""
    existing = {c.product_id: c for c in db.session.scalars(select(ContractPrice).where(
        ContractPrice.company_id == quote.company_id,
        ContractPrice.product_id.in_([line.product_id for line in chosen])))}
    for line in chosen:
        contract = existing.get(line.product_id)
        if contract is None:
            contract = ContractPrice(company_id=quote.company_id, product_id=line.product_id)
            db.session.add(contract)
        contract.unit_price_cents = line.unit_price_cents
        contract.valid_until = version.contract_until
        contract.quote_id = quote.id
        contract.created_at = now
    record(user, "contract_price.create", quote, {
        "until": version.contract_until.isoformat(),
        "prices": {line.product.sku: line.unit_price_cents for line in chosen}},
        company_id=quote.company_id)


def ask_renewal(user, quote: Quote, now: datetime) -> Quote:
    """An expired quote goes back to the seller's queue; the rep sends a new version."""
    if not is_expired(quote, now):
        raise QuoteConflict(_("Only an expired quote can be renewed."))
    quote.status = QuoteStatus.REQUESTED
    quote.updated_at = now
    notify.tell_seller(quote, "renewal")
    return quote


def cancel(user, quote: Quote, now: datetime) -> Quote:
    if quote.status not in (QuoteStatus.REQUESTED, QuoteStatus.SENT, QuoteStatus.EXPIRED):
        raise QuoteConflict(_("This quote can no longer be cancelled."))
    quote.status = QuoteStatus.CANCELLED
    quote.updated_at = now
    return quote


def expire_due(now: datetime) -> int:
    """Sent quotes whose validity date is past: expired (the worker's hourly duty)."""
    today = ordering.local_today(now)
    return db.session.execute(
        update(Quote).where(Quote.status == QuoteStatus.SENT, Quote.valid_until < today)
        .values(status=QuoteStatus.EXPIRED, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
