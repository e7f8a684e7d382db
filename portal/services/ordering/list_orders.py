"""A shopping list as the catalog stands today, ordering from it, filling it from an order.

A use-case module next to lists (which says who sees and edits a list): it changes
the session and never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager

from portal.extensions import db
from portal.models import Order, Product, ShoppingList, ShoppingListLine, Unit, User
from portal.services import DomainError, NotFound, delivery
from portal.services.ordering.lists import can_edit, create_list, find_list
from portal.services.quantities import MAX_QUANTITY
from portal.services.selling import offers_for

# -- Showing a list --------------------------------------------------------------------------

@dataclass(frozen=True)
class LineView:
    line: ShoppingListLine
    product: Product
    visible: bool  # the user may still see the product
    available: bool  # visible and not discontinued: it can be ordered
    replacement: Product | None  # a visible replacement of a discontinued product
    unit_price_cents: int | None
    order_multiple: int
    parts: tuple = ()  # delivery.Part: when this quantity would arrive, if ordered now
    substitute: object = None  # delivery.Offered: in stock now, when part of this line waits

    @property
    def discontinued(self) -> bool:
        return self.product.discontinued


@dataclass(frozen=True)
class ListView:
    shopping_list: ShoppingList
    lines: list[LineView]
    editable: bool
    currency: str

    @property
    def available_count(self) -> int:
        return sum(1 for v in self.lines if v.available)


# Built once (its cache key cost more than running it); the products come in the same rows.
_LIST_LINES = (
    select(ShoppingListLine).join(ShoppingListLine.product)
    .where(ShoppingListLine.list_id == bindparam("list_id"))
    .options(contains_eager(ShoppingListLine.product))
    .order_by(ShoppingListLine.position, ShoppingListLine.id)
)


def list_view(user: User, shopping_list: ShoppingList) -> ListView:
    """The list's lines with what the catalog says now, in a bounded number of queries."""
    lines = list(db.session.scalars(_LIST_LINES, {"list_id": shopping_list.id}))
    shelf = offers_for(user)
    offers = shelf.load(line.product for line in lines)
    serving, moment = _serving(user, shopping_list), delivery.now()
    views = []
    for line in lines:
        product, offer = line.product, offers[line.product_id]
        seen = offer.visible
        # A discontinued product's replacement is loaded with it when the buyer may see it.
        found = shelf.peek(product.replacement_id) if product.discontinued else None
        replacement = found.product if found is not None and found.visible else None
        quote = offer.prices.quote(line.quantity) if (seen and offer.prices) else None
        available = seen and not product.discontinued
        views.append(LineView(line, product, seen, available, replacement,
                              quote.unit_price_cents if quote else None, offer.rule.step,
                              delivery.line_parts(offer, line.quantity, serving, moment)
                              if available and quote else ()))
    short = [(v.product.id, v.line.quantity) for v in views
             if delivery.offers_substitute(v.parts, v.line.no_substitute)]
    if short:
        instead = delivery.offers_instead(user, short)
        views = [replace(v, substitute=instead.get(v.product.id)) for v in views]
    currency = user.company.currency if user.company else "EUR"
    return ListView(shopping_list, views, can_edit(user, shopping_list), currency)


def _serving(user: User, shopping_list: ShoppingList) -> delivery.Route:
    """The warehouse that would serve the list: its jobsite's, else the buyer's last one's."""
    unit_id = shopping_list.unit_id or user.last_jobsite_id
    jobsite = db.session.get(Unit, unit_id) if unit_id else None
    if jobsite is not None and jobsite.company_id != user.company_id:
        jobsite = None
    return delivery.route(user.company, jobsite)


# -- Ordering from a list, filling a list from an order --------------------------------------

@dataclass(frozen=True)
class Outcome:
    added: int
    skipped: list[str]  # "name (reason)", said to the user
    shopping_list: ShoppingList | None = None


def add_lines_to_cart(user: User, shopping_list: ShoppingList,
                      line_ids: list[int] | None = None, lang: str = "fr") -> Outcome:
    """Add every line (or the chosen ones) to the cart; unavailable lines are skipped, said.

    Line ids come from a form: only lines of this list count.
    """
    from portal.services.ordering import cart as cart_service

    view = list_view(user, shopping_list)
    chosen = view.lines
    if line_ids is not None:
        wanted = set(line_ids)
        chosen = [v for v in view.lines if v.line.id in wanted]
        if not chosen:
            raise DomainError(_("Select at least one line."))
    if not chosen:
        raise DomainError(_("This list is empty."))
    added, skipped = 0, []
    for v in chosen:
        name = f"{v.product.name(lang)} {v.product.sku}"
        if not v.available:
            if v.replacement is not None:
                reason = _("discontinued, replaced by %(sku)s", sku=v.replacement.sku)
            elif v.discontinued and v.visible:
                reason = _("discontinued")
            else:
                reason = _("no longer available")
            skipped.append(f"{name} ({reason})")
            continue
        try:
            # add_to_cart checks everything before it changes anything: no savepoint needed.
            added_line = cart_service.add_to_cart(user, v.product, v.line.quantity, v.line.note)
            added_line.no_substitute = added_line.no_substitute or v.line.no_substitute
        except DomainError as e:
            skipped.append(f"{name} ({e})")
            continue
        added += 1
    return Outcome(added, skipped, shopping_list)


def add_order_to_list(user: User, order: Order, list_id: int | None,
                      new_name: str = "") -> Outcome:
    """Copy a past order's lines (still visible products) into a list the user may edit.

    `order` must come from services.orders (already scoped to the user).
    """
    if list_id is not None:
        shopping_list = find_list(user, list_id)
        if shopping_list is None:
            raise NotFound()
    elif (new_name or "").strip():
        shopping_list = create_list(user, new_name)
    else:
        raise DomainError(_("Choose a list, or give a name for a new one."))
    offers = offers_for(user).load({line.product_id for line in order.lines})
    added, skipped = 0, []
    for line in order.lines:
        offer = offers.get(line.product_id)
        if offer is None or not offer.visible:
            skipped.append(line.sku)
            continue
        product = offer.product
        quantity = offer.rule.snap(line.quantity)
        existing = next((x for x in shopping_list.lines if x.product_id == product.id), None)
        if existing is not None:
            existing.quantity = min(existing.quantity + quantity, MAX_QUANTITY)
        else:
            position = max((x.position for x in shopping_list.lines), default=-1) + 1
            shopping_list.lines.append(ShoppingListLine(product_id=product.id,
                                                        quantity=quantity, position=position))
        added += 1
    db.session.flush()
    return Outcome(added, skipped, shopping_list)
