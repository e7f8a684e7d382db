"""Cart and shopping-list lines put by a customer's procurement system: the user's own
rules apply (for a list, its owner's: visibility, case pack and multiples)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Product, ShoppingList, User
from portal.services import DomainError, ordering, selling
from portal.services.integration.audit import audit


class CartRefused(DomainError):
    """The user's own rules refuse the line: at `quantity` (not sold so) or `sku`."""

    code = "refused"


def company_user(client, user_id: int) -> User | None:
    """A user of the client's own company (None for a seller client or another company's)."""
    user = db.session.get(User, user_id)
    if user is None or client.company_id is None or user.company_id != client.company_id:
        return None
    return user


def add_cart_line(client, user: User, sku: str, quantity: int, note: str = ""):
    product = db.session.scalar(select(Product).where(Product.sku == sku.strip().upper()))
    if product is None or not product.active:
        raise CartRefused(_("No product has the SKU %(sku)s.", sku=sku), field="sku")
    try:
        line = ordering.add_to_cart(user, product, quantity, note)
    except selling.QuantityNotOrderable as e:
        raise CartRefused(str(e), field="quantity") from None
    except DomainError as e:  # the account or the product: not orderable at all
        raise CartRefused(str(e), field="sku") from None
    audit(client, "cart.line_added", line, {"user_id": user.id, "sku": product.sku,
                                            "quantity": quantity})
    return line


def company_list(client, list_id: int) -> ShoppingList | None:
    """A shopping list of the client's own company (None for a seller client or another's)."""
    found = db.session.get(ShoppingList, list_id)
    if found is None or client.company_id is None or found.company_id != client.company_id:
        return None
    return found


def add_list_line(client, shopping_list: ShoppingList, sku: str, quantity: int, note: str = ""):
    """Add to a list as its owner would: a product the owner may not see is unknown."""
    owner = db.session.get(User, shopping_list.owner_id)
    product = selling.find_visible(owner, sku=sku)
    if product is None:
        raise CartRefused(_("No product has the SKU %(sku)s.", sku=sku), field="sku")
    try:
        line = ordering.add_to_list(owner, shopping_list, product, quantity)
    except DomainError as e:  # not sold in this quantity, or more than a line may hold
        raise CartRefused(str(e), field="quantity") from None
    if note:
        line.note = note
    audit(client, "list.line_added", shopping_list, {"list_id": shopping_list.id,
                                                     "sku": product.sku, "quantity": quantity})
    return line, product
