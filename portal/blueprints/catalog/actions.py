"""The stepper, add to cart and add to a list: htmx swaps the row (or the product page's buy
box); without JavaScript each form posts and is redirected back (post → 303 → get)."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import BUYERS, allow
from portal.blueprints.catalog import bp
from portal.blueprints.catalog.helpers import lang, safe_next, visible_or_404
from portal.extensions import db
from portal.rendering import render, wants_fragment
from portal.services import DomainError, catalog, ordering
from portal.services.quantities import parse_quantity
from portal.services.selling import can_order


def _ordering_product_or_404(product_id: int):
    product = visible_or_404(product_id)
    if not can_order(current_user):
        abort(403)  # a pending or suspended company
    return product


def _answer(product, status: int = 200, quantity: int | None = None, **notice):
    """The row or the buy box again (htmx), or the whole product page (plain 422)."""
    user = current_user
    context = {"can_order": True, "next_url": safe_next(request.form.get("next"), product.id),
               "notice": dict(notice, product_id=product.id)}
    if "cart_count" in notice:
        context["cart_count"] = notice["cart_count"]
    if request.form.get("view") != "page" and wants_fragment():
        row = catalog.product_row(user, product, quantity)
        return render("catalog/_row.html", status_code=status, row=row, **context)
    page = catalog.product_page(user, product, lang(), quantity)
    return render("catalog/product.html", block="buy", status_code=status, page=page,
                  row=page.row, lists=ordering.lists_for(user), **context)


def _refused(product, problem: DomainError):
    db.session.rollback()
    return _answer(product, 422, error=str(problem),
                   suggestion=getattr(problem, "suggestion", None),
                   raw=(request.form.get("qty") or "")[:12])


@bp.post("/p/<int:product_id>/qty")
@allow(BUYERS)
def quantity(product_id: int):
    """A − / + tap or a typed quantity: the row again, with the price of that quantity."""
    product = _ordering_product_or_404(product_id)
    raw = request.form.get("use") or request.form.get("qty", "")
    try:
        chosen = catalog.choose_quantity(current_user, product, raw, request.form.get("step"))
    except DomainError as problem:
        return _refused(product, problem)
    if not wants_fragment():
        return redirect(url_for("catalog.product", product_id=product.id, qty=chosen), 303)
    return _answer(product, quantity=chosen)


@bp.post("/p/<int:product_id>/cart")
@allow(BUYERS)
def add_to_cart(product_id: int):
    product = _ordering_product_or_404(product_id)
    try:
        wanted = parse_quantity(request.form.get("qty", ""))
        ordering.add_to_cart(current_user, product, wanted)
    except DomainError as problem:
        return _refused(product, problem)
    db.session.commit()
    message = _("Added: %(qty)s × %(name)s", qty=wanted, name=product.name(lang()))
    if not wants_fragment():
        flash(message, "success")
        return redirect(safe_next(request.form.get("next"), product.id), 303)
    return _answer(product, quantity=wanted, added=message,
                   cart_count=ordering.cart_line_count(current_user))


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
    try:
        wanted = parse_quantity(request.form.get("qty", ""))
        if not raw_list:
            target = ordering.default_list(current_user)
        ordering.add_to_list(current_user, target, product, wanted)
    except DomainError as problem:
        return _refused(product, problem)
    db.session.commit()
    message = _("Added to %(list)s: %(qty)s × %(name)s", list=target.name, qty=wanted,
                name=product.name(lang()))
    if not wants_fragment():
        flash(message, "success")
        return redirect(safe_next(request.form.get("next"), product.id), 303)
    return _answer(product, quantity=wanted, added=message)
