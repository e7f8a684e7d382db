"""Buying without an account on a consumer storefront.

A visitor's first "add to cart" makes a guest: a one-person customer on the storefront's
prices, paying in advance (bank transfer, services/credit/payment), with a user that has no
password. From then on the guest is an ordinary buyer of an ordinary company, so the cart,
checkout, stock reservation, fulfilment and e-mails are the trade portal's own, and another
guest's cart or order is a 404 like any other company's. Before checking out, the guest gives
a name, an e-mail address and where to deliver (`save_details`); the address becomes the
company's one delivery place.

An e-mail address that already has an account is refused rather than attached: typing
someone's address must never open their orders (they sign in, or reset their password).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Address, Company, CompanyStatus, PaymentTerms, Role, StorefrontKind, User
from portal.services import DomainError
from portal.services.accounts import find_user_by_email, is_email

GUEST_DOMAIN = "guest.invalid"  # a reserved name: never a real mailbox
_POSTAL = {"FR": re.compile(r"\d{5}"), "BE": re.compile(r"\d{4}"), "CH": re.compile(r"\d{4}")}


class DetailsInvalid(DomainError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())))
        self.errors = errors


@dataclass(frozen=True)
class Details:
    name: str = ""
    email: str = ""
    phone: str = ""
    line1: str = ""
    postal_code: str = ""
    city: str = ""


def sells_to_visitors(front) -> bool:
    """A consumer storefront with public prices: its visitors may fill a cart."""
    return front is not None and front.kind == StorefrontKind.CONSUMER and \
        front.price_list_id is not None and front.active


def is_guest(user) -> bool:
    return bool(getattr(user, "email", "").endswith("@" + GUEST_DOMAIN))


def start_guest(front) -> User:
    """A new one-person customer of this storefront, and its user (no password)."""
    company = Company(name=_("Private customer"), storefront_id=front.id,
                      price_list_id=front.price_list_id, payment_terms=PaymentTerms.PREPAY,
                      country=front.country, currency=front.currency, language=front.language,
                      status=CompanyStatus.ACTIVE)
    db.session.add(company)
    db.session.flush()
    user = User(email=f"guest-{secrets.token_hex(12)}@{GUEST_DOMAIN}", name=_("Guest"),
                company_id=company.id, role=Role.BUYER, password_hash="")
    db.session.add(user)
    db.session.flush()
    return user


def _checked(details: Details, country: str, user: User) -> dict[str, str]:
    errors = {}
    if not 2 <= len(details.name) <= 120:
        errors["name"] = _("Give your first and last name.")
    email = details.email.lower()
    if not is_email(email) or email.endswith("@" + GUEST_DOMAIN):
        errors["email"] = _("Give an e-mail address like name@example.fr: the order "
                            "confirmation goes there.")
    elif (owner := find_user_by_email(email)) is not None and owner.id != user.id:
        errors["email"] = _("This address already has an account: sign in to order with it, "
                            "or use another address.")
    if len(details.phone) > 40:
        errors["phone"] = _("A phone number has at most 40 characters.")
    if not has_address(details) and collects_somewhere():
        return errors  # collected at a branch: no delivery address needed
    if not 3 <= len(details.line1) <= 200:
        errors["line1"] = _("Give the street and number.")
    postal = _POSTAL.get(country, re.compile(r"[A-Za-z0-9 -]{3,10}"))
    if not postal.fullmatch(details.postal_code):
        errors["postal_code"] = _("This postal code does not exist here.")
    if not 1 <= len(details.city) <= 120:
        errors["city"] = _("Give the town.")
    return errors


def has_address(details: Details) -> bool:
    return any((details.line1, details.postal_code, details.city))


def collects_somewhere() -> bool:
    """The seller has branches where consumers collect (click-and-collect): a guest who
    collects gives no address."""
    from portal.services.delivery import branches

    return bool(branches())


def save_details(user: User, details: Details) -> Address | None:
    """The guest's name, e-mail and delivery address (none when they collect at a branch),
    all checked before anything changes."""
    details = Details(*(value.strip() for value in (
        details.name, details.email, details.phone, details.line1, details.postal_code,
        details.city)))
    company = user.company
    errors = _checked(details, company.country, user)
    if errors:
        raise DetailsInvalid(errors)
    user.name, user.email, user.phone = details.name, details.email.lower(), details.phone
    company.name = details.name
    address = db.session.scalar(select(Address).where(Address.company_id == company.id))
    if not has_address(details):
        if address is not None:  # the guest now collects: no address to deliver to
            db.session.delete(address)
        db.session.flush()
        return None
    if address is None:
        address = Address(company_id=company.id)
        db.session.add(address)
    address.label, address.line1 = _("Delivery"), details.line1
    address.postal_code, address.city = details.postal_code, details.city
    address.country = company.country
    db.session.flush()
    return address


def details_of(user: User) -> Details:
    """What the guest gave before (to show the form filled), or an empty form."""
    address = db.session.scalar(select(Address).where(Address.company_id == user.company_id))
    email = "" if is_guest(user) else user.email
    return Details(user.name if email else "", email, user.phone,
                   address.line1 if address else "", address.postal_code if address else "",
                   address.city if address else "")


def add_as_visitor(front, user, product_id: int, raw_quantity: str):
    """Put a product in the cart of this visitor (made a guest first when not signed in):
    (the buyer, whether a guest was just made, the cart line). Nothing is made when the
    product or the quantity is refused."""
    from portal.services import ordering
    from portal.services.quantities import parse_quantity
    from portal.services.selling import find_visible

    if not sells_to_visitors(front):
        raise DomainError(_("This shop does not sell online."))
    quantity = parse_quantity(raw_quantity)
    made = not getattr(user, "is_authenticated", False)
    product = find_visible(user, product_id=product_id)
    if product is None:
        raise LookupError(product_id)
    buyer = start_guest(front) if made else user
    line = ordering.add_to_cart(buyer, product, quantity)
    return buyer, made, line


# A guest who never ordered is forgotten this long after arriving: their cart, lists and
# the one-person company made for them (a visitor's tap must not keep rows for ever).
GUEST_DAYS = 30


def forget_abandoned_guests(now) -> int:
    """Delete the guests made more than GUEST_DAYS ago who never gave their details (so never
    ordered) and asked no quote, with what they left (cart, lists, tokens, address, company).
    The caller commits."""
    from datetime import timedelta

    from sqlalchemy import delete, exists

    from portal.models import (
        Cart,
        CartLine,
        Order,
        Quote,
        ReplayedChange,
        ShoppingList,
        ShoppingListLine,
        UserToken,
    )

    rows = db.session.execute(select(User.id, User.company_id).where(
        User.email.like(f"guest-%@{GUEST_DOMAIN}"), User.password_hash == "",
        User.created_at < now - timedelta(days=GUEST_DAYS),
        ~exists().where(Order.company_id == User.company_id),
        ~exists().where(Quote.company_id == User.company_id))).all()
    if not rows:
        return 0
    users, companies = [r[0] for r in rows], [r[1] for r in rows]
    carts = select(Cart.id).where(Cart.user_id.in_(users))
    lists = select(ShoppingList.id).where(ShoppingList.owner_id.in_(users))
    for statement in (
            delete(CartLine).where(CartLine.cart_id.in_(carts)),
            delete(Cart).where(Cart.user_id.in_(users)),
            delete(ShoppingListLine).where(ShoppingListLine.list_id.in_(lists)),
            delete(ShoppingList).where(ShoppingList.owner_id.in_(users)),
            delete(ReplayedChange).where(ReplayedChange.user_id.in_(users)),
            delete(UserToken).where(UserToken.user_id.in_(users)),
            delete(User).where(User.id.in_(users)),
            delete(Address).where(Address.company_id.in_(companies)),
            delete(Company).where(Company.id.in_(companies))):
        db.session.execute(statement.execution_options(synchronize_session=False))
    return len(users)
