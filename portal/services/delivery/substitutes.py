"""Substitutes: the seller's list per product, and what a buyer is offered instead of a line
that cannot be delivered in time.

A line "cannot be served in time" when part of it waits for the lead time (not enough
available in any warehouse). Its substitutes are offered in the seller's order when the
selling policy says the buyer may see and order them and enough is available to serve the
whole quantity from stock: an invisible, discontinued or unpriced substitute is never shown.
Reads: one statement for the lists of a batch, then the policy's fixed statements.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import CartLine, Product, ProductSubstitute
from portal.services import DomainError
from portal.services.accounts import record
from portal.services.selling import offers_for, snap_quantity

MAX_SUBSTITUTES = 5


@dataclass(frozen=True)
class Offered:
    product: Product
    quantity: int  # the line's quantity snapped to the substitute's selling unit
    available: int


def substitute_ids(product_ids) -> dict[int, list[int]]:
    """{product id: [substitute ids in the seller's order]}, in one statement."""
    ids = list(set(product_ids))
    if not ids:
        return {}
    out: dict[int, list[int]] = {}
    for pid, sid in db.session.execute(
            select(ProductSubstitute.product_id, ProductSubstitute.substitute_id)
            .where(ProductSubstitute.product_id.in_(ids))
            .order_by(ProductSubstitute.product_id, ProductSubstitute.position)):
        out.setdefault(pid, []).append(sid)
    return out


def offers_instead(user, wanted: list[tuple[int, int]]) -> dict[int, Offered]:
    """For (product id, quantity) pairs short of stock: {product id: the first substitute
    the buyer may order with enough available}. Fixed statements for any batch."""
    lists = substitute_ids(pid for pid, _q in wanted)
    shelf = offers_for(user)
    shelf.load({sid for ids in lists.values() for sid in ids})
    out = {}
    for pid, quantity in wanted:
        for sid in lists.get(pid, ()):
            offer = shelf.get(sid)
            if offer is None or not offer.orderable:
                continue
            qty = snap_quantity(quantity, offer.product.order_multiple)
            if offer.verdict(qty).orderable and offer.in_stock >= qty:
                out[pid] = Offered(offer.product, qty, offer.in_stock)
                break
    return out


def offers_substitute(parts, no_substitute: bool) -> bool:
    """A line is offered a substitute when part of it waits for the lead time, unless the
    buyer marked it "no substitute" (that product and no other)."""
    return not no_substitute and any(not part.in_stock for part in parts)


def mark_no_substitute(line, raw) -> bool:
    """Mark a cart or list line "no substitute" ("1") or clear the mark (anything else);
    returns the mark now stored."""
    line.no_substitute = str(raw or "") == "1"
    db.session.flush()
    return line.no_substitute


def refuse_marked(line) -> None:
    if getattr(line, "no_substitute", False):
        raise DomainError(_("This line is marked \u201cno substitute\u201d: remove the mark "
                            "first."))


def swap_line(user, line: CartLine, raw_product_id) -> CartLine:
    """Put the offered substitute in place of the line (same place, same note); merged into
    the substitute's own line when the cart already has one."""
    refuse_marked(line)
    text = str(raw_product_id or "")
    sid = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
    offered = offers_instead(user, [(line.product_id, line.quantity)]).get(line.product_id)
    if sid is None or offered is None or offered.product.id != sid:
        raise DomainError(_("This substitute is not available any more."))
    existing = db.session.scalar(select(CartLine).where(CartLine.cart_id == line.cart_id,
                                                        CartLine.product_id == sid))
    if existing is not None:
        existing.quantity += offered.quantity
        db.session.delete(line)
        db.session.flush()
        return existing
    line.product_id = sid
    line.quantity = offered.quantity
    db.session.flush()
    db.session.refresh(line)
    return line


def set_substitutes(product: Product, actor, raw: str) -> list[Product]:
    """Replace the product's substitutes by the SKUs typed (one per line or comma-separated,
    in order). Unknown SKUs, the product itself and more than five are refused at the field."""
    skus = [s.strip().upper() for s in str(raw or "").replace(",", "\n").splitlines()
            if s.strip()]
    skus = list(dict.fromkeys(skus))
    if len(skus) > MAX_SUBSTITUTES:
        raise DomainError(_("Five substitutes at most."), field="substitutes")
    found = {p.sku.upper(): p for p in db.session.scalars(
        select(Product).where(Product.sku.in_(skus)))} if skus else {}
    unknown = [s for s in skus if s not in found]
    if unknown:
        raise DomainError(_("Unknown SKU: %(skus)s.", skus=", ".join(unknown[:5])),
                          field="substitutes")
    if product.sku.upper() in found:
        raise DomainError(_("A product cannot be its own substitute."), field="substitutes")
    chosen = [found[s] for s in skus]
    db.session.execute(delete(ProductSubstitute).where(ProductSubstitute.product_id == product.id))
    for position, sub in enumerate(chosen):
        db.session.add(ProductSubstitute(product_id=product.id, substitute_id=sub.id,
                                         position=position))
    record(actor, "product.substitutes", product, {"skus": [p.sku for p in chosen]})
    db.session.flush()
    return chosen


def substitutes_of(product: Product) -> list[Product]:
    ids = substitute_ids([product.id]).get(product.id, [])
    by_id = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]
