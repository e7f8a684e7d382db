"""Asking for a quote: from the cart (all its lines, a target price on any), from a product
page (priced or "price on request"), or started by staff for a customer's buyer.

Quantities are judged by the selling policy's quantity rule (case pack, selling multiple):
a refused one names its field and nothing is stored. A new request goes to the customer's
assigned rep, else to the sales staff, by email with a direct link.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import (
    CartLine,
    Company,
    Product,
    Quote,
    QuoteLine,
    QuoteStatus,
    QuoteVersion,
    Role,
    ShoppingListLine,
    User,
)
from portal.services import DomainError, NotFound, ordering, selling
from portal.services.quantities import parse_quantity
from portal.services.quotes import notify, rules
from portal.services.quotes.access import assigned_rep_id
from portal.services.quotes.answers import Upload, post_message

MAX_LINES = 300


@dataclass(frozen=True)
class RequestDetails:
    """What the buyer says about the whole request (raw form values)."""

    needed_by: str = ""
    jobsite: str = ""  # "jobsite:<id>" from the delivery places, or ""
    note: str = ""
    upload: Upload | None = None  # a plan, a spec sheet: the thread's first message


@dataclass(frozen=True)
class Wanted:
    """One line asked for: a product id, a typed quantity, a typed target price; `field` is
    the suffix of its form fields (qty-<field>, target-<field>)."""

    product_id: int
    quantity: str
    target: str = ""
    field: str = ""


def _details(user, details: RequestDetails, now: datetime) -> tuple:
    today = ordering.local_today(now)
    try:
        needed_by = ordering.clean_date(details.needed_by, today)
    except ValueError as e:
        raise DomainError(str(e), field="needed_by") from None
    try:
        note = ordering.clean_notes(details.note)
    except ValueError as e:
        raise DomainError(str(e), field="note") from None
    jobsite_id = None
    if details.jobsite:
        place = next((p for p in ordering.delivery_places(user)
                      if p.key == details.jobsite and p.jobsite_id), None)
        if place is None:
            raise DomainError(_("Choose one of your jobsites."), field="jobsite")
        jobsite_id = place.jobsite_id
    return needed_by, note, jobsite_id


def _lines(buyer, wanted: list[Wanted]) -> list[QuoteLine]:
    """Quote lines for what is wanted, judged by the buyer's offers (one batch)."""
    if not wanted:
        raise DomainError(_("Add at least one product to ask for a quote."))
    if len(wanted) > MAX_LINES:
        raise DomainError(_("A quote holds %(max)s lines at most.", max=MAX_LINES))
    offers = selling.offers_for(buyer).load([w.product_id for w in wanted])
    lines = []
    for position, item in enumerate(wanted, start=1):
        offer = offers.get(item.product_id)
        if offer is None or not offer.visible or offer.product.discontinued:
            raise NotFound(item.product_id)
        try:
            quantity = parse_quantity(item.quantity)
            selling.require_quantity(offer.rule, quantity)
        except DomainError as problem:
            raise DomainError(_("%(sku)s: %(message)s", sku=offer.product.sku,
                                message=str(problem)), field=f"qty-{item.field}") from None
        try:
            target = rules.parse_price(item.target)
        except ValueError as e:
            raise DomainError(_("%(sku)s: %(message)s", sku=offer.product.sku, message=str(e)),
                              field=f"target-{item.field}") from None
        priced = offer.prices.quote(quantity) if offer.prices else None
        lines.append(QuoteLine(position=position, product_id=offer.product.id,
                               quantity=quantity, target_price_cents=target,
                               list_price_cents=priced.unit_price_cents if priced else None,
                               note=""))
    return lines


def _create(buyer: User, lines: list[QuoteLine], needed_by, note: str, jobsite_id, now,
            started_by: User | None = None) -> Quote:
    quote = Quote(number="T-" + secrets.token_hex(8),
                  company_id=buyer.company_id, buyer_id=buyer.id,
                  started_by_id=started_by.id if started_by else None,
                  rep_id=assigned_rep_id(buyer.company_id), status=QuoteStatus.REQUESTED,
                  jobsite_id=jobsite_id, needed_by=needed_by, note=note, current_version=0,
                  created_at=now, updated_at=now)
    db.session.add(quote)
    db.session.flush()
    quote.number = rules.quote_number(ordering.local_today(now).year, quote.id)
    version = QuoteVersion(number=0, created_at=now, created_by_id=(started_by or buyer).id,
                           delivery_terms="", currency=buyer.company.currency or "EUR")
    version.lines.extend(lines)
    quote.versions.append(version)
    db.session.flush()
    return quote


def _attach(buyer: User, quote: Quote, details: RequestDetails, now: datetime) -> None:
    """The file sent with the request, as the thread's first message (checked by content and
    size like any message's: a refused file refuses the whole request, nothing stored)."""
    if details.upload is not None:
        post_message(buyer, quote, "", now, tell=False, upload=details.upload)


def _may_ask(user) -> None:
    if not selling.can_order(user):
        raise NotFound("quotes")


def ask_from_cart(user, targets: dict[int, str], details: RequestDetails,
                  now: datetime) -> Quote:
    """Every cart line into one request (a target price per cart line id, optional); the
    cart is emptied of them: the request holds them now."""
    _may_ask(user)
    cart = ordering.cart_lines(user)
    if not cart:
        raise DomainError(_("Your cart is empty."))
    needed_by, note, jobsite_id = _details(user, details, now)
    lines = _lines(user, [Wanted(line.product_id, str(line.quantity),
                                 targets.get(line.id, ""), str(line.id)) for line in cart])
    quote = _create(user, lines, needed_by, note, jobsite_id, now)
    _attach(user, quote, details, now)
    db.session.execute(delete(CartLine).where(CartLine.id.in_([line.id for line in cart])))
    notify.tell_seller(quote, "requested")
    return quote


def list_rows(user, shopping_list) -> list:
    """The lines of a shopping list a quote may be asked for: (line, product, quantity,
    the buyer's price or None), products the buyer may no longer see or buy left out."""
    lines = list(db.session.scalars(
        select(ShoppingListLine).where(ShoppingListLine.list_id == shopping_list.id)
        .order_by(ShoppingListLine.position, ShoppingListLine.id)))
    offers = selling.offers_for(user).load([line.product_id for line in lines])
    rows = []
    for line in lines:
        offer = offers.get(line.product_id)
        if offer is None or not offer.visible or offer.product.discontinued:
            continue
        priced = offer.prices.quote(line.quantity) if offer.prices else None
        rows.append((line, offer.product, line.quantity,
                     priced.unit_price_cents if priced else None))
    return rows


def ask_from_list(user, shopping_list, targets: dict[int, str], details: RequestDetails,
                  now: datetime) -> Quote:
    """The list's lines (a target price per list line id, optional) into one request; the
    list stays as it is."""
    rows = list_rows(user, shopping_list)
    if not rows:
        raise DomainError(_("Nothing in this list can be asked for a quote."))
    return ask_for(user, [Wanted(product.id, str(quantity), targets.get(line.id, ""),
                                 str(line.id)) for line, product, quantity, _p in rows],
                   details, now)


def ask_for(user, wanted: list[Wanted], details: RequestDetails, now: datetime) -> Quote:
    """A request for these lines (quick order, a list, the demo data)."""
    _may_ask(user)
    needed_by, note, jobsite_id = _details(user, details, now)
    quote = _create(user, _lines(user, wanted), needed_by, note, jobsite_id, now)
    _attach(user, quote, details, now)
    notify.tell_seller(quote, "requested")
    return quote


def ask_from_quick_order(user, result, now: datetime) -> Quote:
    """The quick order's checked rows into a request: every row naming a current product the
    buyer may see, priced or "on request" (the check knows only priced ones: the others are
    found by SKU in one statement); rows with an unknown SKU stay on the page."""
    unpriced = {r.sku.upper() for r in result.lines if r.product is None and r.sku}
    found = {p.sku: p.id for p in db.session.scalars(selling.visible_products(user).where(
        Product.sku.in_(unpriced)))} if unpriced else {}
    wanted = []
    for r in result.lines:
        product_id = r.product.id if r.product is not None and not r.product.discontinued \
            else found.get(r.sku.upper()) if r.product is None else None
        quantity = str(r.quantity) if r.quantity else (r.quantity_text or "").strip()
        if product_id is not None and quantity:
            wanted.append(Wanted(product_id, quantity))
    if not wanted:
        raise DomainError(_("No line names a product: fix the SKUs marked in red first."))
    return ask_for(user, wanted, RequestDetails(), now)


def ask_for_product(user, product_id: int, quantity: str, target: str,
                    details: RequestDetails, now: datetime) -> Quote:
    """A request for one product, priced or not (a "price on request" product)."""
    return ask_for(user, [Wanted(product_id, quantity, target, "product")], details, now)


def askable(user, product_id: int):
    """The buyer's offer for a product a quote may be asked for, or None (a 404)."""
    if not selling.can_order(user):
        return None
    offer = selling.offers_for(user).get(product_id)
    if offer is None or not offer.visible or offer.product.discontinued:
        return None
    return offer


def customer_buyers(staff: User, company_id: int) -> tuple[Company, list[User]] | None:
    """A customer this staff member looks after and the buyers a quote may be started for."""
    from portal.services import backoffice

    company = backoffice.find_customer(staff, company_id)
    if company is None or staff.role not in (Role.STAFF_ADMIN, Role.SALES_REP):
        return None
    buyers = list(db.session.scalars(
        select(User).where(User.company_id == company.id, User.disabled.is_(False),
                           User.role.in_((Role.BUYER, Role.COMPANY_ADMIN, Role.APPROVER)))
        .order_by(User.name)))
    return company, buyers


def start_for_customer(staff: User, company_id: int, buyer_id: str, pasted: str,
                       now: datetime) -> Quote:
    """Staff start a quote after a phone call: lines typed as "SKU quantity", for one of the
    customer's buyers; then they price it like any request."""
    found = customer_buyers(staff, company_id)
    if found is None:
        raise NotFound(company_id)
    company, buyers = found
    buyer = next((b for b in buyers if str(b.id) == str(buyer_id).strip()), None)
    if buyer is None:
        raise DomainError(_("Choose the buyer the quote is for."), field="buyer")
    if not company.is_active:
        raise DomainError(_("This customer's account is not active."), field="buyer")
    wanted = []
    for raw in ordering.parse_text(pasted or "").lines[:MAX_LINES + 1]:
        product = selling.find_visible(buyer, sku=raw.sku) if raw.sku else None
        if product is None:
            raise DomainError(_("Line %(n)s: unknown SKU “%(sku)s”.", n=raw.line_no,
                                sku=raw.sku), field="lines")
        wanted.append(Wanted(product.id, raw.quantity or "", "", "lines"))
    try:
        lines = _lines(buyer, wanted)
    except DomainError as problem:
        problem.field = "lines"
        raise
    return _create(buyer, lines, None, "", None, now, started_by=staff)
