"""Reorder a past order: what changed since then, then add to or replace the cart.

The pure rules (`preview_line`, `pick_error`) take plain values and say, line by line, what
would be ordered now: the price now against the price paid, stock below the quantity, a
discontinued product swapped for its replacement, a product no longer sold to this customer,
a quantity snapped to the selling unit. `build_preview` loads those values (a bounded number
of queries whatever the order's size), with each line's delivery dates (to the order's
jobsite) and, for a line that would wait for its lead time, the in-stock substitute the buyer
may take instead; `apply_reorder` puts the chosen lines in the cart; the product and price
always come from the server, never from the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from portal.extensions import db
from portal.models import Cart, Order, OrderLine, Product
from portal.services import DomainError, delivery
from portal.services.navigation import cart_count
from portal.services.quantities import parse_quantity
from portal.services.selling import (
    QuantityRule,
    Reason,
    Tier,
    offers_for,
    quantity_message,
    quote,
    snap_quantity,
)

# Why a line looks different now (several may apply to one line).
UNAVAILABLE = Reason.UNAVAILABLE  # not sold to this customer any more, or unknown
DISCONTINUED = Reason.DISCONTINUED  # discontinued and no replacement can be offered
REPLACED = "replaced"  # discontinued; its replacement is offered instead
NO_PRICE = "no_price"  # visible but not priced for this customer
SNAPPED = "snapped"  # the old quantity is not a multiple of the selling unit any more
PRICE_UP = "price_up"
PRICE_DOWN = "price_down"
LOW_STOCK = "low_stock"  # less in stock than the quantity: the rest will be backordered


@dataclass(frozen=True)
class PastLine:
    line_id: int
    product_id: int
    sku: str
    name: str
    quantity: int
    unit_price_cents: int


@dataclass(frozen=True)
class Offer:
    """A product as this customer can buy it today."""

    product_id: int
    sku: str
    name: str
    order_multiple: int
    stock: int
    tiers: tuple[Tier, ...]
    discontinued: bool = False


@dataclass(frozen=True)
class LineChange:
    line_id: int
    sku_then: str
    name_then: str
    quantity_then: int
    paid_unit_cents: int
    changes: tuple[str, ...]
    selectable: bool
    # What would be ordered now (None when nothing can be).
    product_id: int | None = None
    sku: str = ""
    name: str = ""
    quantity: int = 0
    order_multiple: int = 1
    unit_price_cents: int | None = None
    stock: int = 0

    @property
    def price_delta_cents(self) -> int:
        if self.unit_price_cents is None:
            return 0
        return self.unit_price_cents - self.paid_unit_cents

    @property
    def line_total_cents(self) -> int:
        return (self.unit_price_cents or 0) * self.quantity


def _rule(order_multiple: int, tiers) -> QuantityRule:
    # A reorder never suggests a full case: the buyer picks their old quantity again.
    return QuantityRule.of(1, order_multiple, tiers)


def _orderable_quantity(quantity: int, offer: Offer) -> int:
    """The old quantity moved up to the selling unit and the smallest priced quantity."""
    found = _rule(offer.order_multiple, offer.tiers).problem(quantity)
    return found[1] if found and found[1] else quantity


def preview_line(past: PastLine, current: Offer | None,
                 replacement: Offer | None = None) -> LineChange:
    """What reordering this past line would give today, and why it differs."""
    then = dict(line_id=past.line_id, sku_then=past.sku, name_then=past.name,
                quantity_then=past.quantity, paid_unit_cents=past.unit_price_cents)
    if current is None:
        return LineChange(changes=(UNAVAILABLE,), selectable=False, **then)
    changes: list[str] = []
    target = current
    if current.discontinued:
        if replacement is None or replacement.discontinued or not replacement.tiers:
            return LineChange(changes=(DISCONTINUED,), selectable=False, **then)
        target = replacement
        changes.append(REPLACED)
    if not target.tiers:
        return LineChange(changes=(NO_PRICE,), selectable=False, **then)
    quantity = _orderable_quantity(past.quantity, target)
    if quantity != past.quantity:
        changes.append(SNAPPED)
    now = quote(target.tiers, quantity)
    unit_price = now.unit_price_cents if now else None
    if unit_price is not None and unit_price > past.unit_price_cents:
        changes.append(PRICE_UP)
    elif unit_price is not None and unit_price < past.unit_price_cents:
        changes.append(PRICE_DOWN)
    if target.stock < quantity:
        changes.append(LOW_STOCK)
    return LineChange(changes=tuple(changes), selectable=True, product_id=target.product_id,
                      sku=target.sku, name=target.name, quantity=quantity,
                      order_multiple=target.order_multiple, unit_price_cents=unit_price,
                      stock=target.stock, **then)


@dataclass(frozen=True)
class ChangeSummary:
    """What changed across a whole preview, for the summary shown above its lines."""

    price: int  # lines whose unit price went up or down
    stock: int  # lines with less in stock than the quantity
    replaced: int  # discontinued lines swapped for their replacement
    gone: int  # lines that cannot be reordered at all
    affected: tuple[LineChange, ...]  # each changed line once, in the order's order
    total_then_cents: int  # the past lines as they were paid
    total_now_cents: int  # the lines that can be ordered now, at today's price

    @property
    def changed(self) -> bool:
        return bool(self.affected)


GONE = (UNAVAILABLE, DISCONTINUED, NO_PRICE)


def summarize_changes(lines: list[LineChange]) -> ChangeSummary:
    """Counts of each kind of change, the changed lines, and the total then against now."""

    def count(*codes: str) -> int:
        return sum(1 for line in lines if any(c in codes for c in line.changes))

    return ChangeSummary(
        price=count(PRICE_UP, PRICE_DOWN), stock=count(LOW_STOCK), replaced=count(REPLACED),
        gone=count(*GONE), affected=tuple(line for line in lines if line.changes),
        total_then_cents=sum(line.quantity_then * line.paid_unit_cents for line in lines),
        total_now_cents=sum(line.line_total_cents for line in lines if line.selectable))


def pick_error(quantity: int, order_multiple: int, tiers) -> Reason | None:
    """Why a quantity typed on the preview cannot be ordered (a selling Reason) or None."""
    found = _rule(order_multiple, tiers).problem(quantity)
    return found[0] if found else None


# -- Loading and applying ------------------------------------------------------------------

@dataclass(frozen=True)
class ReorderPreview:
    order: Order
    lines: list[LineChange]
    cart_lines: int
    products: Mapping[int, Product]
    tiers: Mapping[int, tuple[Tier, ...]]
    # By line id: its delivery parts (delivery.Part), and the substitute offered instead of a
    # line that would wait (delivery.Offered).
    parts: Mapping[int, tuple] = field(default_factory=dict)
    instead: Mapping[int, object] = field(default_factory=dict)

    @property
    def selectable_count(self) -> int:
        return sum(1 for line in self.lines if line.selectable)

    @property
    def summary(self) -> ChangeSummary:
        return summarize_changes(self.lines)

    @property
    def nothing_to_decide(self) -> bool:
        """Same products, prices and stock, every line orderable, an empty cart: the buyer
        may go straight to checkout ("order now")."""
        return (not self.summary.changed and self.cart_lines == 0 and bool(self.lines)
                and self.selectable_count == len(self.lines))


# The past order's lines as plain rows, in Order.lines' order (by position): no OrderLine
# objects built for a 100-line order; the statement is built once.
_PAST_LINES = (
    select(OrderLine.id, OrderLine.product_id, OrderLine.sku, OrderLine.name,
           OrderLine.quantity, OrderLine.unit_price_cents)
    .where(OrderLine.order_id == bindparam("order_id"))
    .order_by(OrderLine.position)
)


def build_preview(user, order: Order, lang: str = "fr") -> ReorderPreview:
    """The change list of `order` for `user` (who must be allowed to see the order)."""
    past = [PastLine(*row) for row in db.session.execute(_PAST_LINES, {"order_id": order.id})]
    shelf = offers_for(user)
    loaded = shelf.load({p.product_id for p in past})
    # The products this buyer may see, with the replacements their offers came with.
    seen = [o for o in (*loaded.values(), *(shelf.peek(o.product.replacement_id)
                                            for o in loaded.values()
                                            if o is not None and o.product.replacement_id))
            if o is not None and o.visible]
    products = {o.product.id: o.product for o in seen}
    tiers = {o.product.id: o.tiers for o in seen}
    stock = {o.product.id: o.in_stock for o in seen}

    def offer(pid):
        product = products.get(pid)
        if product is None:
            return None
        return Offer(product.id, product.sku, product.name(lang), product.order_multiple,
                     stock[pid], tiers[pid], product.discontinued)

    lines = []
    for line in past:
        current = offer(line.product_id)
        replacement = None
        if current is not None and current.discontinued:
            replacement = offer(products[line.product_id].replacement_id)
        lines.append(preview_line(line, current, replacement))
    parts, instead = _promise(user, order, lines)
    for offered in instead.values():
        products[offered.product.id] = offered.product
        tiers[offered.product.id] = shelf.peek(offered.product.id).tiers
    return ReorderPreview(order, lines, cart_count(user), products, tiers, parts, instead)


def _promise(user, order: Order, lines: list[LineChange]) -> tuple[dict, dict]:
    """Each orderable line's delivery dates to the order's jobsite, and for a line that would
    wait for its lead time the substitute in stock (the cart's rule: services/delivery)."""
    jobsite = order.jobsite if order.company_id == user.company_id else None
    serving = delivery.route(user.company, jobsite)
    moment = delivery.now()
    shelf = offers_for(user)
    parts = {c.line_id: delivery.line_parts(shelf.peek(c.product_id), c.quantity, serving, moment)
             for c in lines if c.selectable}
    short = [c for c in lines if any(not p.in_stock for p in parts.get(c.line_id, ()))]
    found = delivery.offers_instead(user, [(c.product_id, c.quantity) for c in short]) \
        if short else {}
    return parts, {c.line_id: found[c.product_id] for c in short if c.product_id in found}


class ReorderInvalid(DomainError):
    """Some picked quantities cannot be ordered; `errors` maps line ids to messages."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(_("Some quantities need a fix."))
        self.errors = errors


def validate_picks(preview: ReorderPreview, picked: list[int], quantities: Mapping[int, str],
                   substitutes: Mapping[int, str] | None = None) -> list[tuple[Product, int]]:
    """The (product, quantity) pairs to order, or ReorderInvalid naming each bad line.

    Line ids come from the form: only selectable lines of this very order count. A line whose
    offered substitute was ticked (`substitutes`: line id -> that product's id) orders the
    substitute, at the quantity typed moved up to its selling unit.
    """
    substitutes = substitutes or {}
    by_line = {c.line_id: c for c in preview.lines if c.selectable}
    chosen = [by_line[i] for i in dict.fromkeys(picked) if i in by_line]
    if not chosen:
        raise DomainError(_("Choose at least one line to order."))
    errors: dict[int, str] = {}
    result = []
    for change in chosen:
        raw = quantities.get(change.line_id, str(change.quantity))
        try:
            quantity = parse_quantity(raw)
        except DomainError as e:
            errors[change.line_id] = str(e)
            continue
        product_id, multiple = change.product_id, change.order_multiple
        offered = preview.instead.get(change.line_id)
        if offered is not None and substitutes.get(change.line_id) == str(offered.product.id):
            product_id, multiple = offered.product.id, offered.product.order_multiple
            quantity = snap_quantity(quantity, multiple)
        tiers = preview.tiers.get(product_id, ())
        code = pick_error(quantity, multiple, tiers)
        if code:
            errors[change.line_id] = quantity_message(code, _rule(multiple, tiers))
            continue
        result.append((preview.products[product_id], quantity))
    if errors:
        raise ReorderInvalid(errors)
    return result


def replace_cart(user, lines: list[tuple[Product, int]]) -> None:
    """Empty the user's cart, then add these lines: "Replace my cart"."""
    from portal.services.ordering import cart as cart_service

    cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    if cart is not None:
        # Through the collection (delete-orphan) so the cart object stays consistent,
        # and flushed before the new lines meet the (cart, product) unique constraint.
        cart.lines.clear()
        db.session.flush()
    for product, quantity in lines:
        cart_service.add_to_cart(user, product, quantity)


def apply_reorder(user, preview: ReorderPreview, picked: list[int],
                  quantities: Mapping[int, str], mode: str,
                  substitutes: Mapping[int, str] | None = None) -> int:
    """Put the picked lines in the cart ("add" adds to same-product lines); returns a count."""
    from portal.services.ordering import cart as cart_service

    if mode not in ("add", "replace"):
        raise DomainError(_("Choose whether to add to your cart or replace it."))
    lines = validate_picks(preview, picked, quantities, substitutes)
    if mode == "replace":
        replace_cart(user, lines)
    else:
        for product, quantity in lines:
            cart_service.add_to_cart(user, product, quantity)
    return len(lines)
