"""Shopping lists: who sees and edits which list, creating and editing lists and lines.

A use-case module: it changes the session and never commits. Showing a list against
today's catalog and ordering from it live in list_orders.

- A list belongs to one company and one owner; it is private or shared with the company.
- Shared lists are seen by every customer user of the company; a private list only by its
  owner (to anyone else it answers exactly like a missing list: 404).
- The owner edits a list; a company admin edits the shared lists too; everybody who sees a
  list may order from it. Only the owner shares or unshares a list.
- Lists survive catalog changes: a discontinued product stays with "replaced by X", and a
  product that is no longer visible shows as unavailable and is skipped when ordering.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, or_, select

from portal.database import prepared
from portal.extensions import db
from portal.models import (
    Product,
    Role,
    ShoppingList,
    ShoppingListLine,
    Unit,
    UnitKind,
    User,
)
from portal.services import DomainError, NotAllowed, NotFound
from portal.services.ordering.cart import clean_note
from portal.services.quantities import MAX_QUANTITY, parse_quantity
from portal.services.selling import QuantityRule, require_quantity, visible_products
from portal.services.text import clean_line

MAX_LIST_NAME = 120


# -- Who sees and edits which list -----------------------------------------------------------

def _own_or_shared(company_id, user_id):
    return (ShoppingList.company_id == company_id) & or_(
        ShoppingList.owner_id == user_id, ShoppingList.shared.is_(True)
    )


def _own(company_id, user_id):
    return (ShoppingList.company_id == company_id) & (ShoppingList.owner_id == user_id)


def _reachable(user: User):
    """Lists of the user's company that are the user's own or shared with the company."""
    return _own_or_shared(user.company_id, user.id)


def _editable(user: User):
    """Lists this user may change: their own, and the shared ones for a company admin."""
    rule = _own_or_shared if user.role == Role.COMPANY_ADMIN else _own
    return rule(user.company_id, user.id)


def can_edit(user: User, shopping_list: ShoppingList) -> bool:
    if user.company_id is None or shopping_list.company_id != user.company_id:
        return False
    if shopping_list.owner_id == user.id:
        return True
    return shopping_list.shared and user.role == Role.COMPANY_ADMIN


# The product page and every add to cart offer these lists: the statements are built once (a
# company admin's, everyone else's) and kept prepared, the user bound at execution.
_COMPANY, _USER = bindparam("company_id"), bindparam("user_id")
_LISTS_FOR = {admin: prepared(select(ShoppingList).where(rule(_COMPANY, _USER)).order_by(
    ShoppingList.owner_id != _USER, ShoppingList.name, ShoppingList.id))
              for admin, rule in ((True, _own_or_shared), (False, _own))}


def lists_for(user: User) -> list[ShoppingList]:
    """The lists this user may fill (own lists first), for "add to a list" choosers."""
    if user.company_id is None:
        return []
    return list(db.session.scalars(_LISTS_FOR[user.role == Role.COMPANY_ADMIN],
                                   {"company_id": user.company_id, "user_id": user.id}))


def find_list(user: User, list_id: int) -> ShoppingList | None:
    """A list this user may add to, or None (foreign and missing look the same)."""
    if user.company_id is None or not isinstance(list_id, int):
        return None
    return db.session.scalar(
        select(ShoppingList).where(ShoppingList.id == list_id, _editable(user))
    )


def default_list(user: User) -> ShoppingList:
    """The user's first own list, or a new private one named "My list"."""
    mine = _own(user.company_id, user.id)
    found = db.session.scalar(select(ShoppingList).where(mine).order_by(ShoppingList.id).limit(1))
    if found is None:
        found = ShoppingList(company_id=user.company_id, owner_id=user.id, name=_("My list"),
                             shared=False)
        db.session.add(found)
        db.session.flush()
    return found


def visible_list(user: User, list_id) -> ShoppingList | None:
    """A list this user may see; None for anything else (foreign, private, missing)."""
    if user.company_id is None or not isinstance(list_id, int):
        return None
    return db.session.scalar(
        select(ShoppingList).where(ShoppingList.id == list_id, _reachable(user))
    )


@dataclass(frozen=True)
class ListSummary:
    id: int
    name: str
    shared: bool
    mine: bool
    owner_name: str
    jobsite_name: str | None
    line_count: int


def visible_lists(user: User) -> list[ListSummary]:
    """Every list the user may see, own first, with line counts, in one query."""
    if user.company_id is None:
        return []
    count = (select(func.count(ShoppingListLine.id))
             .where(ShoppingListLine.list_id == ShoppingList.id)
             .correlate(ShoppingList).scalar_subquery())
    rows = db.session.execute(
        select(ShoppingList.id, ShoppingList.name, ShoppingList.shared,
               ShoppingList.owner_id, User.name, Unit.name, count)
        .join(User, User.id == ShoppingList.owner_id)
        .outerjoin(Unit, Unit.id == ShoppingList.unit_id)
        .where(_reachable(user))
        .order_by(ShoppingList.owner_id != user.id, ShoppingList.name, ShoppingList.id)
    ).all()
    return [ListSummary(i, name, shared, owner == user.id, owner_name, site, n)
            for i, name, shared, owner, owner_name, site, n in rows]


def jobsites_for(user: User) -> list[Unit]:
    """The jobsites a list may be kept for."""
    if user.company_id is None:
        return []
    return list(db.session.scalars(
        select(Unit).where(Unit.company_id == user.company_id, Unit.kind == UnitKind.JOBSITE,
                           Unit.archived.is_(False)).order_by(Unit.name, Unit.id)
    ))


# -- Creating, renaming, deleting ------------------------------------------------------------

def clean_name(raw: str | None) -> str:
    name = clean_line(raw)
    if not name:
        raise DomainError(_("Give the list a name."))
    if len(name) > MAX_LIST_NAME:
        raise DomainError(_("A list name can hold %(max)s characters at most.",
                            max=MAX_LIST_NAME))
    return name


def _jobsite_id(user: User, raw) -> int | None:
    """A jobsite id from a form, re-checked against the user's company."""
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if raw in ("", None):
        return None
    if isinstance(raw, str) and not (raw.isascii() and raw.isdigit() and len(raw) < 12):
        raise DomainError(_("Choose a jobsite from the list."))
    site_id = int(raw)
    if site_id not in {u.id for u in jobsites_for(user)}:
        raise DomainError(_("Choose a jobsite from the list."))
    return site_id


def create_list(user: User, name: str, shared: bool = False, jobsite=None) -> ShoppingList:
    if user.company_id is None:
        raise DomainError(_("Your account cannot keep lists."))
    shopping_list = ShoppingList(company_id=user.company_id, owner_id=user.id,
                                 name=clean_name(name), shared=bool(shared),
                                 unit_id=_jobsite_id(user, jobsite))
    db.session.add(shopping_list)
    db.session.flush()
    return shopping_list


def update_list(user: User, shopping_list: ShoppingList, name: str, shared: bool,
                jobsite=None) -> None:
    """Rename, re-file under a jobsite, and (owner only) share or unshare a list."""
    if not can_edit(user, shopping_list):
        raise NotAllowed()
    shopping_list.name = clean_name(name)
    shopping_list.unit_id = _jobsite_id(user, jobsite)
    if shopping_list.owner_id == user.id:
        shopping_list.shared = bool(shared)
    db.session.flush()


def delete_list(user: User, shopping_list: ShoppingList) -> None:
    if not can_edit(user, shopping_list):
        raise NotAllowed()
    db.session.delete(shopping_list)
    db.session.flush()


# -- Lines -----------------------------------------------------------------------------------

def add_to_list(user: User, shopping_list: ShoppingList, product: Product,
                quantity: int) -> ShoppingListLine:
    """Add `quantity` of a (visible) product to a list, or increase its line."""
    if not can_edit(user, shopping_list):
        raise DomainError(_("This list is not available."))
    require_quantity(QuantityRule.of(product.case_pack, product.order_multiple), quantity)
    line = db.session.scalar(
        select(ShoppingListLine).where(ShoppingListLine.list_id == shopping_list.id,
                                       ShoppingListLine.product_id == product.id)
    )
    if line is None:
        last = db.session.scalar(
            select(func.max(ShoppingListLine.position))
            .where(ShoppingListLine.list_id == shopping_list.id)
        )
        line = ShoppingListLine(list_id=shopping_list.id, product_id=product.id,
                                quantity=quantity,
                                position=(last if last is not None else -1) + 1)
        db.session.add(line)
    else:
        if line.quantity + quantity > MAX_QUANTITY:
            raise DomainError(_("The quantity cannot exceed %(max)s.", max=MAX_QUANTITY))
        line.quantity += quantity
    db.session.flush()
    return line


def _line(shopping_list: ShoppingList, line_id) -> ShoppingListLine:
    """A line of this very list (ids from forms are re-checked); 404 otherwise."""
    found = next((line for line in shopping_list.lines if line.id == line_id), None)
    if found is None:
        raise NotFound()
    return found


def update_line(user: User, shopping_list: ShoppingList, line_id: int, quantity_raw,
                note: str | None = None, step: str = "") -> str | None:
    """Set a line's quantity (typed, or one step up/down) and note.

    The quantity moves to the product's selling unit; returns a message when it was rounded.
    """
    if not can_edit(user, shopping_list):
        raise NotAllowed()
    line = _line(shopping_list, line_id)
    rule = QuantityRule.of(line.product.case_pack, line.product.order_multiple)
    quantity = parse_quantity(quantity_raw)
    message = None
    if step in ("up", "down"):
        quantity = rule.tap(quantity, up=step == "up")
    else:
        snapped = rule.snap(quantity)
        if snapped != quantity:
            message = _("Rounded to %(n)s: sold by %(step)s.", n=snapped, step=rule.step)
        quantity = snapped
    line.quantity = quantity
    if note is not None:
        line.note = clean_note(note)  # a longer note is refused, not cut
    db.session.flush()
    return message


def move_line(user: User, shopping_list: ShoppingList, line_id: int, direction: str) -> None:
    """Swap a line with its neighbour above or below (positions are renumbered 0..n-1)."""
    if not can_edit(user, shopping_list):
        raise NotAllowed()
    line = _line(shopping_list, line_id)
    lines = sorted(shopping_list.lines, key=lambda x: (x.position, x.id))
    index = lines.index(line)
    other = index - 1 if direction == "up" else index + 1 if direction == "down" else index
    if 0 <= other < len(lines):
        lines[index], lines[other] = lines[other], lines[index]
    for position, item in enumerate(lines):
        item.position = position
    db.session.flush()
    db.session.expire(shopping_list, ["lines"])


def remove_line(user: User, shopping_list: ShoppingList, line_id: int) -> None:
    if not can_edit(user, shopping_list):
        raise NotAllowed()
    shopping_list.lines.remove(_line(shopping_list, line_id))
    db.session.flush()


def mark_list_line(user: User, shopping_list: ShoppingList, line_id: int, raw) -> str:
    """Mark a list line "no substitute" or clear the mark; the notice to show."""
    from portal.services import delivery

    if not can_edit(user, shopping_list):
        raise NotAllowed()
    marked = delivery.mark_no_substitute(_line(shopping_list, line_id), raw)
    return _("Marked: no substitute.") if marked else _("Substitutes allowed again.")


def swap_to_replacement(user: User, shopping_list: ShoppingList, line_id: int,
                        raw_substitute: str = "") -> None:
    """Put the replacement of a discontinued product in place of the line's product, or, when
    `raw_substitute` names it, the in-stock substitute offered for a line that would wait.

    When the product put in place is already on the list, the quantities are added up there.
    """
    from portal.services import delivery

    if not can_edit(user, shopping_list):
        raise NotAllowed()
    line = _line(shopping_list, line_id)
    product = line.product
    if raw_substitute:
        delivery.refuse_marked(line)
        offered = delivery.offers_instead(user, [(product.id, line.quantity)]).get(product.id)
        if offered is None or str(offered.product.id) != raw_substitute:
            raise DomainError(_("This substitute is not available any more."))
        replacement = offered.product
    else:
        replacement = (find_visible_product(user, product.replacement_id)
                       if product.discontinued and product.replacement_id else None)
    if replacement is None:
        raise DomainError(_("There is no replacement to offer for this product."))
    quantity = QuantityRule.of(replacement.case_pack, replacement.order_multiple).snap(
        line.quantity)
    existing = next((x for x in shopping_list.lines if x.product_id == replacement.id), None)
    if existing is not None:
        existing.quantity = min(existing.quantity + quantity, MAX_QUANTITY)
        shopping_list.lines.remove(line)
    else:
        line.product_id = replacement.id
        line.quantity = quantity
    db.session.flush()
    db.session.expire(shopping_list, ["lines"])


def find_visible_product(user: User, product_id: int | None) -> Product | None:
    if product_id is None:
        return None
    return db.session.scalar(visible_products(user).where(Product.id == product_id))
