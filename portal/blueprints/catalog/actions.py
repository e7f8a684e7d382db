"""The stepper, add to cart and add to a list: htmx swaps the row (or the product page's buy
box); without JavaScript each form posts and is redirected back (post → 303 → get)."""

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import BUYERS, allow
from portal.blueprints.catalog import bp
from portal.blueprints.catalog.helpers import lang, safe_next, visible_or_404
from portal.rendering import render, wants_fragment
from portal.services import DomainError, catalog, content, ordering
from portal.services.quantities import parse_quantity
from portal.services.selling import can_order
from portal.usecases import fragment_or_moved_on, run


def _ordering_product_or_404(product_id: int):
    product = visible_or_404(product_id)
    if not can_order(current_user):
        abort(403)  # a pending or suspended company
    return product


def _row_view() -> bool:
    return request.form.get("view") != "page" and wants_fragment()


def _answer_reads(product) -> dict:
    """What the answer reads besides the offers: the row's thumbnail, or the buy box's lists."""
    if _row_view():
        return {"thumbs": content.thumbnails([product.id])}
    return {"lists": ordering.lists_for(current_user)}


def _answer(product, status: int = 200, quantity: int | None = None, reads: dict | None = None,
            **notice):
    """The row or the buy box again (htmx), or the whole product page (plain 422). `reads`:
    `_answer_reads` already done (in the use case's transaction)."""
    user = current_user
    context = {"can_order": True, "next_url": safe_next(request.form.get("next"), product.id),
               "notice": dict(notice, product_id=product.id),
               **(reads if reads is not None else _answer_reads(product))}
    if "cart_count" in notice:
        context["cart_count"] = notice["cart_count"]
    if _row_view():
        row = catalog.product_row(user, product, quantity)
        return render("catalog/_row.html", status_code=status, row=row, **context)
    if wants_fragment():  # htmx swaps the buy box alone: no breadcrumb or tier table to build
        row = catalog.product_row(user, product, quantity, per_warehouse=True)
        return render("catalog/product.html", block="buy", status_code=status, row=row,
                      **context)
    page = catalog.product_page(user, product, lang(), quantity)
    return render("catalog/product.html", block="buy", status_code=status, page=page,
                  row=page.row, **context)


def _refused(product, problem: DomainError):
    """The row or buy box again with why, and what to pick instead (run answers 422)."""
    return _answer(product, error=str(problem),
                   suggestion=getattr(problem, "suggestion", None),
                   raw=(request.form.get("qty") or "")[:12])


@bp.post("/p/<int:product_id>/qty")
@allow(BUYERS)
def quantity(product_id: int):
    """A − / + tap or a typed quantity: the row again, with the price of that quantity."""
    product = _ordering_product_or_404(product_id)
    raw = request.form.get("use") or request.form.get("qty", "")
    return run(lambda: catalog.choose_quantity(current_user, product, raw,
                                               request.form.get("step")),
               refused=lambda problem: _refused(product, problem),
               done=lambda chosen: fragment_or_moved_on(
                   lambda: _answer(product, quantity=chosen), None,
                   url_for("catalog.product", product_id=product.id, qty=chosen)))


@bp.post("/p/<int:product_id>/cart")
@allow(BUYERS)
def add_to_cart(product_id: int):
    product = _ordering_product_or_404(product_id)
    def action() -> tuple[int, dict | None]:
        wanted = parse_quantity(request.form.get("qty", ""))
        ordering.add_to_cart(current_user, product, wanted)
        # The fragment's reads before the commit: after it, they would open a transaction of
        # their own (on PostgreSQL a BEGIN and a ROLLBACK more); they stay loaded through it.
        return wanted, _answer_reads(product) if wants_fragment() else None

    return run(action, refused=lambda problem: _refused(product, problem),
               done=lambda added: _added(product, added[0], _(
                   "Added: %(qty)s × %(name)s", qty=added[0], name=product.name(lang())),
                   with_cart_count=True, reads=added[1]), keep_loaded=True)


def _added(product, quantity: int, message: str, with_cart_count: bool = False,
           reads: dict | None = None):
    """htmx: the row or buy box saying so (and the bar's new cart count); else back, flashed."""
    def fragment():
        notice = {"cart_count": ordering.cart_line_count(current_user)} if with_cart_count else {}
        return _answer(product, quantity=quantity, reads=reads, added=message, **notice)

    return fragment_or_moved_on(fragment, message, safe_next(request.form.get("next"), product.id))


@bp.post("/p/<int:product_id>/list")
@allow(BUYERS)
def add_to_list(product_id: int):
    product = _ordering_product_or_404(product_id)
    raw_list = request.form.get("list_id", "")
    if raw_list:
        if not (raw_list.isascii() and raw_list.isdigit() and len(raw_list) < 10):
            abort(404)
        target = ordering.find_list(current_user, int(raw_list))
        if target is None:
            abort(404)
    else:
        target = None

    def action():
        wanted = parse_quantity(request.form.get("qty", ""))
        chosen = target or ordering.default_list(current_user)
        ordering.add_to_list(current_user, chosen, product, wanted)
        return chosen, wanted

    return run(action, refused=lambda problem: _refused(product, problem),
               done=lambda added: _added(product, added[1], _(
                   "Added to %(list)s: %(qty)s × %(name)s", list=added[0].name, qty=added[1],
                   name=product.name(lang()))))
