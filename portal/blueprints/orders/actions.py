"""Actions on a past order: reorder with a change preview, add its lines to a list."""


from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import BUYERS, CUSTOMERS, allow
from portal.blueprints.orders import bp
from portal.rendering import render
from portal.services import ordering, orders
from portal.services.selling import can_order
from portal.usecases import moved_on, run

ORDER_NOW = "order_now"


def _ids(values) -> list[int]:
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 12]


def _order_or_404(order_id: int):
    return orders.find_order(current_user, order_id) or abort(404)


def _preview(order_id: int):
    order = _order_or_404(order_id)
    if not can_order(current_user):
        abort(403)
    return ordering.build_preview(current_user, order, str(get_locale()))


@bp.get("/<int:order_id>/reorder")
@allow(BUYERS)
def reorder(order_id: int):
    preview = _preview(order_id)
    # Its lines tell the same few delivery dates over and over: each put in words once.
    return render("orders/reorder.html", preview=preview, errors={}, typed={}, picked=None,
                  message=None)


@bp.post("/<int:order_id>/reorder")
@allow(BUYERS)
def reorder_apply(order_id: int):
    preview = _preview(order_id)
    picked = _ids(request.form.getlist("line"))
    typed = {c.line_id: request.form.get(f"qty-{c.line_id}", "") for c in preview.lines}
    instead = {line_id: request.form.get(f"use-{line_id}", "") for line_id in preview.instead}
    action = request.form.get("action", "")
    # "Order now" (nothing to decide, empty cart): the lines go to the cart, then checkout
    # proposes the order's place and PO number.
    mode = "add" if action == ORDER_NOW else action
    return run(lambda: ordering.apply_reorder(current_user, preview, picked, typed, mode, instead),
               refused=lambda problem: render(
                   "orders/reorder.html", block="reorder_form", preview=preview,
                   errors=getattr(problem, "errors", {}), typed=typed, picked=set(picked),
                   message=str(problem), used=instead),
               done=lambda count: _reordered_answer(action, count, preview.order))


def _reordered_answer(action: str, count: int, order):
    if action == ORDER_NOW:
        return redirect(url_for("checkout.index", repeat=order.id), 303)
    return moved_on(_reordered(action, count, order.number), url_for("cart.index"))


def _reordered(action: str, count: int, number: str) -> str:
    if action == "replace":
        return ngettext("Your cart now holds %(num)s line from order %(number)s.",
                        "Your cart now holds %(num)s lines from order %(number)s.", count,
                        number=number)
    return ngettext("%(num)s line from order %(number)s added to your cart.",
                    "%(num)s lines from order %(number)s added to your cart.", count,
                    number=number)


@bp.get("/<int:order_id>/to-list")
@allow(CUSTOMERS)
def to_list(order_id: int):
    order = _order_or_404(order_id)
    return render("orders/to_list.html", order=order,
                  lists=ordering.lists_for(current_user), error=None, new_name="")


@bp.post("/<int:order_id>/to-list")
@allow(CUSTOMERS)
def to_list_apply(order_id: int):
    order = _order_or_404(order_id)
    raw_list = request.form.get("list_id", "")
    new_name = request.form.get("new_name", "")
    return run(lambda: ordering.add_order_to_list(
                   current_user, order, _ids([raw_list])[0] if _ids([raw_list]) else None,
                   new_name),
               refused=lambda problem: render(
                   "orders/to_list.html", order=order,
                   lists=ordering.lists_for(current_user), error=str(problem),
                   new_name=new_name),
               done=lambda result: _added_to_list(order, result))


def _added_to_list(order, result):
    flash(ngettext("%(num)s line of order %(number)s added to the list.",
                   "%(num)s lines of order %(number)s added to the list.", result.added,
                   number=order.number), "success")
    if result.skipped:
        flash(_("Not available any more, left out: %(items)s", items=", ".join(result.skipped)),
              "warning")
    return redirect(url_for("lists.detail", list_id=result.shopping_list.id), 303)
