"""The server-side cart (one per user, it follows them across devices).

A use-case module: it changes the session and never commits. Prices are not stored here;
they are read from the price list when the cart is shown (cart_summary) and frozen
when an order is placed (checkout).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import bindparam, case, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, contains_eager

from portal.database import read
from portal.extensions import db
from portal.models import Cart, CartLine, Product, User
from portal.services import DomainError
from portal.services.navigation import cart_count, cart_count_read
from portal.services.quantities import MAX_QUANTITY, parse_quantity
from portal.services.selling import (
    QuantityRule,
    can_order,
    offers_for,
    require_quantity,
    visible_products,
)
from portal.services.text import clean_line


def _upsert(model):
    """INSERT ... ON CONFLICT for the database in use (both dialects spell it the same)."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


@dataclass(frozen=True)
class _Slot:
    cart_id: int
    first: int  # the position of a line added now (after the last one)
    lines: int  # how many lines the cart holds


# The cart's id, its last position and its number of lines in one statement, built once.
_SLOT = select(
    Cart.id,
    select(func.max(CartLine.position)).where(CartLine.cart_id == Cart.id).scalar_subquery(),
    select(func.count(CartLine.id)).where(CartLine.cart_id == Cart.id).scalar_subquery(),
).where(Cart.user_id == bindparam("user_id"))


def _slot(user: User) -> _Slot:
    """Where the user's cart takes its next lines; the cart is created on first use.

    Two first adds at once (a double tap) both find no cart: the later insert does nothing
    instead of failing on the unique user_id, and both go on with the one cart.
    """
    row = read(_SLOT, {"user_id": user.id}).first()
    if row is None:
        db.session.execute(_upsert(Cart).values(user_id=user.id, company_id=user.company_id)
                           .on_conflict_do_nothing(index_elements=[Cart.user_id]))
        row = read(_SLOT, {"user_id": user.id}).one()
    cart_id, last, lines = row
    return _Slot(cart_id, (last if last is not None else -1) + 1, lines)


def _lines_upsert(insert):
    """Lines inserted, or their quantity added to the line already there (see _add_lines)."""
    added = insert.excluded
    return insert.on_conflict_do_update(
        index_elements=[CartLine.cart_id, CartLine.product_id],
        set_={"quantity": CartLine.quantity + added.quantity,
              "note": case((added.note != "", added.note), else_=CartLine.note)},
        where=CartLine.quantity + added.quantity <= MAX_QUANTITY,
    ).returning(CartLine)


# One line's upsert per database, its values bound at execution: SQLAlchemy keeps its compiled
# form. Building and compiling it on every add was a sixth of an add to cart's time.
_ONE_LINE: dict = {}


def _one_line_upsert():
    dialect = db.session.get_bind().dialect.name
    if dialect not in _ONE_LINE:
        _ONE_LINE[dialect] = _lines_upsert(_upsert(CartLine).values(
            {column: bindparam(f"line_{column}") for column in
             ("cart_id", "product_id", "quantity", "note", "position")}))
    return _ONE_LINE[dialect]


def _add_lines(user: User, rows: dict[int, tuple[int, str]]) -> dict[int, CartLine]:
    """Add {product id: (quantity, note)} to the user's cart in one statement; {product id:
    its line}, as the database left it.

    A new product gets a line at the end; a product already there has the quantity added by
    the database itself (quantity = quantity + n), so simultaneous adds all count, and an
    add that would pass MAX_QUANTITY changes nothing (it is missing from the answer).
    A note replaces the line's note only when one is given.
    """
    slot = _slot(user)
    values = [{"cart_id": slot.cart_id, "product_id": product_id, "quantity": quantity,
               "note": note, "position": slot.first + n}
              for n, (product_id, (quantity, note)) in enumerate(rows.items())]
    if len(values) == 1:  # an add from a product page or a row: the statement built once
        statement = _one_line_upsert()
        parameters = {f"line_{column}": value for column, value in values[0].items()}
    else:
        statement, parameters = _lines_upsert(_upsert(CartLine).values(values)), None
    # The lines come back whole; one already in the session takes the new quantity.
    found = {line.product_id: line for line in db.session.scalars(
        statement, parameters, execution_options={"populate_existing": True})}
    if len(found) != len(rows):
        raise DomainError(_("The quantity cannot exceed %(max)s.", max=MAX_QUANTITY))
    # The header's count after the add, without a statement: a line at or after the slot's
    # first position is one this add made (a line already there kept its own).
    db.session.info[_COUNTED] = (user.id, slot.lines + sum(line.position >= slot.first
                                                            for line in found.values()))
    return found


# The count after an add reaches the header's memo (navigation) once the add is committed;
# a rollback, or another write to the cart after the add, drops it: the header counts again.
_COUNTED = "portal.cart_count_after_add"
_CART_TABLES = {Cart.__table__, CartLine.__table__}


@event.listens_for(Session, "after_commit")
def _tell_the_count(session):
    counted = session.info.pop(_COUNTED, None)
    if counted is not None:
        cart_count_read(*counted)


@event.listens_for(Session, "after_transaction_end")
def _drop_the_count(session, _transaction):
    session.info.pop(_COUNTED, None)  # a rollback (after_commit took a committed one)


@event.listens_for(Session, "after_flush")
def _lines_flushed(session, _context):
    if _COUNTED in session.info and any(isinstance(obj, (Cart, CartLine)) for obj in (
            *session.new, *session.dirty, *session.deleted)):
        del session.info[_COUNTED]


@event.listens_for(Session, "do_orm_execute")
def _lines_written(state):
    if _COUNTED in state.session.info and not state.is_select and \
            getattr(state.statement, "table", None) in _CART_TABLES:
        del state.session.info[_COUNTED]


def add_to_cart(user: User, product: Product, quantity: int, note: str = "") -> CartLine:
    """Add `quantity` of a (visible) product to the user's cart, or increase its line.

    Atomic: two adds at the same instant (a double tap, two phones) both count.
    """
    if not can_order(user):
        raise DomainError(_("Your account cannot order."))
    if product.discontinued:
        raise DomainError(_("This product is discontinued."))
    offer = offers_for(user).get(product)
    if offer is None or not offer.sellable:
        raise DomainError(_("This product has no price for your account yet. Please contact us."))
    require_quantity(offer.rule, quantity)
    return _add_lines(user, {product.id: (quantity, note[:500])})[product.id]


def cart_line_count(user: User) -> int:
    """How many lines the user's cart holds (the badge in the bottom bar)."""
    return cart_count(user)  # the header's count: kept by an add, else one statement


# -- Cart page: changing lines (quick order, stepper, notes, remove and undo) ----------------
# Built on add_to_cart's rules above; added by the ordering feature (cart, quick order,
# checkout), which owns this module from now on.

MAX_NOTE = 500


def clean_note(raw) -> str:
    note = clean_line(raw)
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


# Built once: the cart page, checkout and place_order read the cart's lines on every request
# (building the statement and its cache key each time cost more than running it). The
# products come in the same rows (one statement, not a second one for 100 ids).
_CART_LINES = (
    select(CartLine).join(Cart).join(CartLine.product)
    .where(Cart.user_id == bindparam("user_id"))
    .options(contains_eager(CartLine.product))
    .order_by(CartLine.position, CartLine.id)
)


def cart_lines(user: User) -> list[CartLine]:
    """The cart's lines with their products (one query, however many lines)."""
    return list(db.session.scalars(_CART_LINES, {"user_id": user.id}))


def add_many(user: User, items: Iterable[tuple[Product, int, str]]) -> int:
    """add_to_cart's rules for many products at once: one price query, one cart load.

    Everything is checked before anything changes: one bad item and nothing is added. The
    adds themselves are one atomic statement (see _add_lines); a product listed twice is
    added once with both quantities.
    """
    items = list(items)
    if not can_order(user):
        raise DomainError(_("Your account cannot order."))
    offers = offers_for(user).load(p for p, _q, _n in items)
    for product, quantity, note in items:
        offer = offers[product.id]
        if offer is None or not offer.orderable:
            raise DomainError(_("%(sku)s cannot be ordered any more.", sku=product.sku))
        require_quantity(offer.rule, quantity)
        clean_note(note)
    if not items:
        return 0
    rows: dict[int, tuple[int, str]] = {}
    for product, quantity, note in items:
        before, before_note = rows.get(product.id, (0, ""))
        if before + quantity > MAX_QUANTITY:
            raise DomainError(_("The quantity cannot exceed %(max)s.", max=MAX_QUANTITY))
        rows[product.id] = (before + quantity, clean_note(note) or before_note)
    _add_lines(user, rows)
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
    quantity = QuantityRule.of(line.product.case_pack, line.product.order_multiple).snap(requested)
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
    quantity = QuantityRule.of(product.case_pack, product.order_multiple).snap(
        parse_quantity(raw_quantity))
    note = clean_note(note)
    slot = _slot(user)
    # Two taps on Undo at once: the later insert does nothing, both answer with the line.
    db.session.execute(_upsert(CartLine).values(
        cart_id=slot.cart_id, product_id=product.id, quantity=quantity, note=note,
        position=slot.first,
    ).on_conflict_do_nothing(index_elements=[CartLine.cart_id, CartLine.product_id]))
    return db.session.scalar(
        select(CartLine).where(CartLine.cart_id == slot.cart_id,
                               CartLine.product_id == product.id))
