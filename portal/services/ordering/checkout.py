"""Checkout: where to deliver, when, under which PO number; then place the order.

`place_order` is one unit of work the view commits: it prices every line again from the
price book (the client never sends a price), freezes SKU, name and prices on the order lines,
routes the order through approval, records the event, empties the cart's ordered lines and
queues the confirmation email. The checkout form carries a single-use token stored on the
order (unique): a replayed submit finds the order already placed instead of a second one.
The small `clean_*` rules are pure.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from portal.extensions import db
from portal.models import (
    Cart,
    CartLine,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
)
from portal.models.labels import payment_terms_label
from portal.services import DomainError, approvals, content, contracts, credit, delivery
from portal.services.messaging import email_link, queue_email
from portal.services.ordering import cart as cart_service
from portal.services.ordering import cart_summary
from portal.services.ordering.destinations import (  # noqa: F401  (their old home)
    COLLECT,
    DeliveryPlace,
    default_place,
    delivery_places,
    subtree,
)
from portal.services.storefronts import storefront_of

TIMEZONE = ZoneInfo("Europe/Paris")  # the seller's calendar: "tomorrow" is Paris's tomorrow
PO_MAX = 40
NOTES_MAX = 1000
DAYS_AHEAD_MAX = 365
# How a collected order is paid: "" and "transfer" are the company's terms (a transfer first
# on prepayment), "at_collection" at the branch's counter when it is collected.
AT_COLLECTION = "at_collection"
PAYMENTS = ("", "transfer", AT_COLLECTION)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CheckoutInvalid(DomainError):
    """Some fields need a fix; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Some of what you entered needs a fix."))
        self.errors = errors


class EmptyCart(DomainError):
    """Nothing in the cart can be ordered."""


class AlreadyOrdered(EmptyCart):
    """The cart was ordered by another checkout of the same buyer (a second tab or phone)
    a moment ago; `order` is that order, or None when the cart changed under this one."""

    def __init__(self, message: str, order: Order | None = None):
        super().__init__(message)
        self.order = order


@dataclass(frozen=True)
class CheckoutForm:
    place: str = ""
    requested_date: str = ""
    po_number: str = ""  # a public buyer's legal commitment number
    service_code: str = ""  # a public buyer's (services/contracts)
    notes: str = ""
    token: str = ""
    payment: str = ""  # "" or "transfer" (the company's terms), "at_collection" (a branch)


@dataclass(frozen=True)
class Placed:
    order: Order
    needs: list


# -- Pure rules ----------------------------------------------------------------------------

def order_number(year: int, order_id: int) -> str:
    return f"CMD-{year}-{order_id:06d}"


def new_submit_token() -> str:
    return secrets.token_urlsafe(32)


def local_today(now: datetime) -> date:
    return now.astimezone(TIMEZONE).date()


def earliest_date(today: date) -> date:
    return today + timedelta(days=1)


def clean_po(raw, required: bool) -> str:
    po = " ".join(str(raw or "").split())
    if not po:
        if required:
            raise ValueError(_("Enter your PO number: your company requires one."))
        return ""
    if len(po) > PO_MAX:
        raise ValueError(_("A PO number has %(max)s characters at most.", max=PO_MAX))
    if not po.isprintable():
        raise ValueError(_("A PO number holds letters, digits and punctuation only."))
    return po


def clean_date(raw, today: date) -> date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        if not ISO_DATE.match(text):
            raise ValueError
        wanted = date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("Enter a date such as %(example)s.",
                           example=earliest_date(today).isoformat())) from None
    if wanted < earliest_date(today):
        raise ValueError(_("Delivery can be tomorrow at the earliest."))
    if wanted > today + timedelta(days=DAYS_AHEAD_MAX):
        raise ValueError(_("Choose a date within a year."))
    return wanted


def clean_notes(raw) -> str:
    notes = str(raw or "").replace("\r\n", "\n").strip()
    if len(notes) > NOTES_MAX:
        raise ValueError(_("Notes hold %(max)s characters at most.", max=NOTES_MAX))
    if any(not (c.isprintable() or c in "\n\t") for c in notes):
        raise ValueError(_("Notes hold text only."))
    return notes


# -- Placing -------------------------------------------------------------------------------

def find_by_token(user, token: str) -> Order | None:
    """The order this checkout form already placed (only within the user's company)."""
    if not token or not TOKEN.match(token):
        return None
    return db.session.scalar(select(Order).where(Order.submit_token == token,
                                                 Order.company_id == user.company_id))


def validate(user, form: CheckoutForm, places: list[DeliveryPlace], today: date):
    """(place, requested date, PO number, notes), or CheckoutInvalid listing every problem."""
    errors: dict[str, str] = {}
    place = next((p for p in places if p.key == form.place), None)
    if place is None:
        errors["place"] = _("Choose a delivery place.")
    if form.payment not in PAYMENTS:
        errors["payment"] = _("Choose how you pay.")
    elif form.payment == AT_COLLECTION and place is not None and not place.collected:
        errors["payment"] = _("Payment at collection is for an order you collect at a "
                              "branch: choose the branch, or pay by bank transfer.")
    values = {}
    for name, rule in (("requested_date", lambda: clean_date(form.requested_date, today)),
                       ("po_number", lambda: clean_po(form.po_number,
                                                      user.company.po_required)),
                       ("notes", lambda: clean_notes(form.notes))):
        try:
            values[name] = rule()
        except ValueError as e:
            errors[name] = str(e)
    errors.update(contracts.checkout_errors(user, form.po_number, form.service_code))
    if not TOKEN.match(form.token or ""):
        errors["token"] = _("This form had expired. Please check it and place the order again.")
    if errors:
        raise CheckoutInvalid(errors)
    return place, values["requested_date"], values["po_number"], values["notes"]


# A cart found empty this soon after one of the buyer's orders was that order's cart.
ALREADY_ORDERED_WITHIN = timedelta(minutes=10)


def _lock_cart(user, now: datetime) -> None:
    """Take the cart (an UPDATE: SQLite ignores FOR UPDATE) and its lines until the view
    commits or rolls back: two checkouts of one cart run one after the other, the second
    finds it emptied; an add raising a line's quantity waits instead of being lost."""
    db.session.execute(update(Cart).where(Cart.user_id == user.id).values(updated_at=now))
    db.session.execute(select(CartLine.id).join(Cart).where(Cart.user_id == user.id)
                       .with_for_update(of=CartLine)).all()


def _already_ordered(user, now: datetime) -> AlreadyOrdered | None:
    recent = db.session.scalar(
        select(Order).where(Order.placed_by_id == user.id, Order.company_id == user.company_id,
                            Order.placed_at >= now - ALREADY_ORDERED_WITHIN)
        .order_by(Order.placed_at.desc(), Order.id.desc()).limit(1))
    if recent is None:
        return None
    return AlreadyOrdered(_("This cart was already ordered a moment ago: order %(number)s.",
                            number=recent.number), recent)


def _consume(lines) -> None:
    """Delete the ordered lines; all of them, or the order is not placed."""
    ids = [line.id for line in lines]
    deleted = db.session.execute(delete(CartLine).where(CartLine.id.in_(ids))).rowcount
    if deleted != len(ids):
        # Another request removed a line after it was priced: the order would not match
        # the cart any more. The view rolls back; the buyer checks the cart and tries again.
        raise AlreadyOrdered(_("Your cart changed while the order was being placed. "
                               "Please check it and place the order again."))


def new_order(user, place: DeliveryPlace, requested, po_number: str, notes: str, token: str,
              now: datetime, on_behalf_by=None, pay_at_collection: bool = False,
              **figures) -> Order:
    """The order's row (numbered, flushed, no lines yet) for `place`: checkout and an
    accepted quote start every order here. `figures`: currency, subtotal, tax and scheme."""
    order = Order(
        number="T-" + secrets.token_hex(8), company_id=user.company_id,
        storefront_id=storefront_of(user),
        unit_id=place.jobsite_id or user.unit_id, jobsite_id=place.jobsite_id,
        ship_to="\n".join(p for p in (place.label, place.address) if p),
        collect_warehouse_id=place.warehouse_id,
        pay_at_collection=pay_at_collection and place.collected,
        site_contact=place.contact[:200], delivery_window=place.window[:120],
        delivery_notes=place.notes, placed_by_id=user.id,
        on_behalf_by_id=on_behalf_by.id if on_behalf_by is not None else None,
        po_number=po_number, requested_date=requested, notes=notes,
        payment_terms=user.company.payment_terms, status=OrderStatus.SUBMITTED,
        content_version=1, submit_token=token, placed_at=now, updated_at=now, **figures)
    # The buyer accepts the terms of sale in force as the order is placed (checkout links them).
    order.terms_version_id = getattr(content.current_terms(), "id", None)
    order.total_cents = order.subtotal_cents + order.tax_cents
    db.session.add(order)
    # A concurrent replay of the token waited on the cart above, or stops here (unique).
    db.session.flush()
    order.number = order_number(local_today(now).year, order.id)
    return order


def finish_order(order: Order, user, now: datetime, on_behalf_by, place: DeliveryPlace,
                 needs: list) -> None:
    """Route the priced order through approval, then credit; record it and tell the buyer:
    the same path for every new order, whatever made it."""
    db.session.flush()
    delivery.reserve_order(order, now)  # held while it waits for approval or credit too
    approvals.route_new_order(order, user, now)
    # Approval first, then credit: an order sent for approval is checked when approved.
    credit.after_approval(order, on_behalf_by or user, now)
    if order.status == OrderStatus.SUBMITTED:
        # An order sent for approval or held for credit already got its timeline entry.
        order.events.append(OrderEvent(at=now, actor_id=(on_behalf_by or user).id,
                                       kind="status", status=order.status, message=""))
    if place.jobsite_id:
        user.last_jobsite_id = place.jobsite_id
    queue_email("order_placed", user.email, user.language or user.company.language,
                "order_placed", order=order, user=user,
                link=email_link("orders.detail", for_user=user, order_id=order.id),
                needs=needs if order.status == OrderStatus.PENDING_APPROVAL else [],
                terms_label=payment_terms_label)
    db.session.flush()


def place_order(user, form: CheckoutForm, now: datetime, on_behalf_by=None) -> Placed:
    """Turn the cart into an order (not committed). Raises EmptyCart (AlreadyOrdered when
    another checkout of this buyer ordered the cart first) or CheckoutInvalid."""
    _lock_cart(user, now)
    lines = cart_service.cart_lines(user)
    if not lines:
        raise _already_ordered(user, now) or EmptyCart(_("Your cart is empty."))
    place, requested, po_number, notes = validate(user, form, delivery_places(user),
                                                  local_today(now))
    summary = cart_summary.summarize(user, now, jobsite_id=place.jobsite_id, lines=lines,
                                     collect_at=place.warehouse_id)
    public = contracts.order_terms(user, form.service_code, summary.subtotal_cents,
                                   summary.currency, local_today(now))
    if not summary.orderable:
        raise EmptyCart(_("Nothing in your cart can be ordered now."))
    order = new_order(user, place, requested, po_number, notes, form.token, now, on_behalf_by,
                      **public,
                      pay_at_collection=form.payment == AT_COLLECTION,
                      currency=summary.currency, subtotal_cents=summary.subtotal_cents,
                      tax_cents=summary.tax_cents, tax_scheme=summary.tax_scheme)
    for position, view in enumerate(summary.orderable, start=1):
        order.lines.append(OrderLine(
            position=position, product_id=view.product.id, sku=view.product.sku,
            name=view.product.name_fr, name_en=view.product.name_en, quantity=view.quantity,
            unit_price_cents=view.unit_price_cents, line_total_cents=view.line_total_cents,
            tax_rate_bp=view.tax.rate_bp, note=view.line.note, shipped_qty=0,
            backordered_qty=0, no_substitute=view.line.no_substitute))
    _consume([view.line for view in summary.orderable])
    finish_order(order, user, now, on_behalf_by, place, summary.needs)
    return Placed(order, summary.needs)
