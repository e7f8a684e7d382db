"""Quote emails, queued in the caller's transaction: each links straight to the quote, on
the reader's side (the customer's page or the seller's answer page)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import Quote, Role, User
from portal.services.messaging import email_link, queue_email

# Without an assigned rep, every sales staff member hears of a request: bounded all the same.
STAFF_RECIPIENTS_MAX = 20


def _seller_side(quote: Quote) -> list[User]:
    if quote.rep is not None and not quote.rep.disabled:
        return [quote.rep]
    return list(db.session.scalars(
        select(User).where(User.role.in_((Role.SALES_REP, Role.STAFF_ADMIN)),
                           User.company_id.is_(None), User.disabled.is_(False))
        .order_by(User.id).limit(STAFF_RECIPIENTS_MAX)))


def _language(user: User) -> str:
    company = user.company
    return user.language or (company.language if company else None) \
        or current_app.config["BABEL_DEFAULT_LOCALE"]


def tell_seller(quote: Quote, kind: str, message: str = "") -> None:
    """A request came in (or asks to be renewed), or the buyer wrote on the thread."""
    link = email_link("quotes.answer", quote_id=quote.id)
    for person in _seller_side(quote):
        queue_email(f"quote_{kind}", person.email, _language(person), f"quote_{kind}",
                    quote=quote, user=person, link=link, message=message)


def tell_buyer(quote: Quote, kind: str, message: str = "") -> None:
    """The seller sent a version, or wrote on the thread."""
    buyer = quote.buyer
    if buyer is None or buyer.disabled:
        return
    queue_email(f"quote_{kind}", buyer.email, _language(buyer), f"quote_{kind}",
                quote=quote, user=buyer, link=email_link("quotes.detail", quote_id=quote.id),
                message=message)
