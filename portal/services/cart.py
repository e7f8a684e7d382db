"""The server-side cart (one per user, it follows them across devices).

A use-case module: it changes the session and never commits. Prices are not stored here;
they are read from the price list when the cart is shown (services.cart_summary) and frozen
when an order is placed (services.ordering).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Cart, CartLine, Product, User
from portal.services import DomainError
from portal.services.pricing import PriceBook, check_quantity, snap_quantity
from portal.services.quantities import MAX_QUANTITY, parse_quantity
from portal.services.visibility import can_order, visible_products


class QuantityNotOrderable(DomainError):
    """A quantity the product is not sold in; `suggestion` is the nearest one that is."""

    def __init__(self, message: str, suggestion: int | None = None):
        super().__init__(message)
        self.suggestion = suggestion


def validate_quantity(product: Product, tiers, quantity: int) -> None:
    """Raise QuantityNotOrderable (a DomainError) when `quantity` of this product cannot be
    ordered: above the maximum, not a multiple of the selling unit, below the smallest tier.
    Its `suggestion` is the nearest orderable quantity, offered next to the stepper."""
    step = max(product.order_multiple, 1)
    if quantity > MAX_QUANTITY:
        raise QuantityNotOrderable(_("The quantity cannot exceed %(max)s.", max=MAX_QUANTITY),
                                   MAX_QUANTITY // step * step or None)
    problem = check_quantity(quantity, step, product.case_pack, tiers)
    if problem == "multiple":
        raise QuantityNotOrderable(_("Order in steps of %(step)s.", step=step),
                                   snap_quantity(quantity, step))
    if problem == "min":
        smallest = min((t.min_qty for t in tiers), default=1)
        raise QuantityNotOrderable(_("The smallest quantity is %(min)s.", min=smallest),
                                   snap_quantity(max(smallest, quantity), step))


def cart_for(user: User) -> Cart:
    """The user's cart, created on first use."""
    cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    if cart is None:
        cart = Cart(user_id=user.id, company_id=user.company_id)
        db.session.add(cart)
        db.session.flush()
    return cart


def add_to_cart(user: User, product: Product, quantity: int, note: str = "") -> CartLine:
    """Add `quantity` of a (visible) product to the user's cart, or increase its line."""
    if not can_order(user):
        raise DomainError(_("Your account cannot order."))
    if product.discontinued:
        raise DomainError(_("This product is discontinued."))
    prices = PriceBook(user.company).get(product.id)
    if prices is None:
        raise DomainError(_("This product has no price for your account yet. Please contact us."))
    validate_quantity(product, prices.tiers, quantity)
    cart = cart_for(user)
    line = db.session.scalar(
        select(CartLine).where(CartLine.cart_id == cart.id, CartLine.product_id == product.id)
    )
    if line is None:
        last = db.session.scalar(
            select(func.max(CartLine.position)).where(CartLine.cart_id == cart.id)
        )
        line = CartLine(cart_id=cart.id, product_id=product.id, quantity=quantity,
                        note=note[:500], position=(last if last is not None else -1) + 1)
        db.session.add(line)
    else:
        if line.quantity + quantity > MAX_QUANTITY:
            raise DomainError(_("The quantity cannot exceed %(max)s.", max=MAX_QUANTITY))
        line.quantity += quantity
        if note:
            line.note = note[:500]
    db.session.flush()
    return line


def cart_line_count(user: User) -> int:
    """How many lines the user's cart holds (the badge in the bottom bar)."""
    if user.company_id is None:
        return 0
    return db.session.scalar(
        select(func.count(CartLine.id)).join(Cart).where(Cart.user_id == user.id)
    ) or 0


# -- Cart page: changing lines (quick order, stepper, notes, remove and undo) ----------------
# Built on add_to_cart's rules above; added by the ordering feature (cart, quick order,
# checkout), which owns this module from now on.

MAX_NOTE = 500
VAT_RATE_BP = 2000  # 20 % in basis points


def vat_cents(subtotal_cents: int, rate_bp: int = VAT_RATE_BP) -> int:
    """VAT on a subtotal, in integer cents, rounded half up (never through a float)."""
    return (subtotal_cents * rate_bp + 5000) // 10000


def clean_note(raw) -> str:
    note = " ".join(str(raw or "").split())
    if len(note) > MAX_NOTE:
        raise DomainError(_("A note can hold %(max)s characters at most.", max=MAX_NOTE))
    return note


def find_line(user: User, line_id: int) -> CartLine | None:
    """A line of this user's own cart, or None: another user's line is as good as missing."""
    return db.session.scalar(
        select(CartLine).join(Cart)
        .where(CartLine.id == line_id, Cart.user_id == user.id,
               Cart.company_id == user.company_id)
    )


def cart_lines(user: User) -> list[CartLine]:
    """The cart's lines with their products (two queries, however many lines)."""
    return list(db.session.scalars(
        select(CartLine).join(Cart).where(Cart.user_id == user.id)
        .options(selectinload(CartLine.product))
        .order_by(CartLine.position, CartLine.id)
    ))


def add_many(user: User, items: Iterable[tuple[Product, int, str]]) -> int:
    """add_to_cart's rules for many products at once: one price query, one cart load.

    Everything is checked before anything changes: one bad item and nothing is added.
    """
    items = list(items)
    if not can_order(user):
        raise DomainError(_("Your account cannot order."))
    book = PriceBook(user.company).load(p.id for p, _q, _n in items)
    for product, quantity, note in items:
        prices = book.get(product.id)
        if product.discontinued or prices is None:
            raise DomainError(_("%(sku)s cannot be ordered any more.", sku=product.sku))
        validate_quantity(product, prices.tiers, quantity)
        clean_note(note)
    cart = cart_for(user)
    lines = {line.product_id: line for line in db.session.scalars(
        select(CartLine).where(CartLine.cart_id == cart.id))}
    position = max((line.position for line in lines.values()), default=-1)
    for product, quantity, note in items:
        line = lines.get(product.id)
        if line is None:
            position += 1
            line = lines[product.id] = CartLine(cart_id=cart.id, product_id=product.id,
                                                quantity=quantity, note=clean_note(note),
                                                position=position)
            db.session.add(line)
        else:
            if line.quantity + quantity > MAX_QUANTITY:
                raise DomainError(_("The quantity cannot exceed %(max)s.", max=MAX_QUANTITY))
            line.quantity += quantity
            if note:
                line.note = clean_note(note)
    db.session.flush()
    return len(items)


@dataclass(frozen=True)
class QuantityChange:
    requested: int
    quantity: int

    @property
    def snapped(self) -> bool:
        return self.requested != self.quantity


def set_quantity(line: CartLine, raw) -> QuantityChange:
    """Set a line's quantity from what was typed or tapped, snapped up to the selling unit."""
    requested = parse_quantity(raw)
    step = max(line.product.order_multiple, 1)
    quantity = min(snap_quantity(requested, step), max(step, MAX_QUANTITY // step * step))
    line.quantity = quantity
    db.session.flush()
    return QuantityChange(requested, quantity)


def set_note(line: CartLine, raw) -> bool:
    """Store the note typed; True when it changed what was stored."""
    note = clean_note(raw)
    changed = note != (line.note or "")
    line.note = note
    db.session.flush()
    return changed


def update_line(line: CartLine, raw_quantity: str, raw_note: str | None
                ) -> tuple[QuantityChange | None, bool]:
    """The line's form: its quantity (left alone when the form has only a note) and its
    note when the form carries one. Returns the quantity change and whether the note changed."""
    change = (set_quantity(line, raw_quantity)
              if raw_quantity or raw_note is None else None)
    note_changed = set_note(line, raw_note) if raw_note is not None else False
    return change, note_changed


@dataclass(frozen=True)
class RemovedLine:
    """What "Undo" needs to put the line back as it was."""

    product_id: int
    quantity: int
    note: str


def remove_line(line: CartLine) -> RemovedLine:
    removed = RemovedLine(line.product_id, line.quantity, line.note)
    db.session.delete(line)
    db.session.flush()
    return removed


def restore_line(user: User, product_id, raw_quantity, note) -> CartLine:
    """Undo a removal: put the product back with its quantity and note.

    Idempotent (a second tap on Undo changes nothing): a product already back in the cart
    keeps its line. The product must still be visible to the user.
    """
    product = None
    if (isinstance(product_id, str) and product_id.isascii() and product_id.isdigit()
            and len(product_id) < 10):
        product = db.session.scalar(visible_products(user).where(Product.id == int(product_id)))
    if product is None:
        raise DomainError(_("This product is no longer available."))
    step = max(product.order_multiple, 1)
    quantity = min(snap_quantity(parse_quantity(raw_quantity), step),
                   max(step, MAX_QUANTITY // step * step))
    note = clean_note(note)
    cart = cart_for(user)
    line = db.session.scalar(
        select(CartLine).where(CartLine.cart_id == cart.id, CartLine.product_id == product.id))
    if line is not None:
        return line
    last = db.session.scalar(select(func.max(CartLine.position)).where(CartLine.cart_id == cart.id))
    line = CartLine(cart_id=cart.id, product_id=product.id, quantity=quantity, note=note,
                    position=(last if last is not None else -1) + 1)
    db.session.add(line)
    db.session.flush()
    return line
