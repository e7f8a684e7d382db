"""Actions on a past order: reorder with a change preview, add its lines to a list."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import BUYERS, CUSTOMERS, allow
from portal.blueprints.orders import bp
from portal.extensions import db
from portal.rendering import render
from portal.services import DomainError, ordering, orders
from portal.services.selling import can_order


def _ids(values) -> list[int]:
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 12]


def _preview(order_id: int):
    order = orders.get_order_or_404(current_user, order_id)
    if not can_order(current_user):
        abort(403)
    return ordering.build_preview(current_user, order, str(get_locale()))


@bp.get("/<int:order_id>/reorder")
@allow(BUYERS)
def reorder(order_id: int):
    preview = _preview(order_id)
    return render("orders/reorder.html", preview=preview, errors={}, typed={}, picked=None,
                  message=None)


@bp.post("/<int:order_id>/reorder")
@allow(BUYERS)
def reorder_apply(order_id: int):
    preview = _preview(order_id)
    picked = _ids(request.form.getlist("line"))
    typed = {c.line_id: request.form.get(f"qty-{c.line_id}", "") for c in preview.lines}
    action = request.form.get("action", "")
    try:
        count = ordering.apply_reorder(current_user, preview, picked, typed, action)
    except DomainError as e:
        db.session.rollback()
        return render("orders/reorder.html", block="reorder_form", status_code=422,
                      preview=preview, errors=getattr(e, "errors", {}), typed=typed,
                      picked=set(picked), message=str(e))
    db.session.commit()
    if action == "replace":
        flash(ngettext("Your cart now holds %(num)s line from order %(number)s.",
                       "Your cart now holds %(num)s lines from order %(number)s.", count,
                       number=preview.order.number), "success")
    else:
        flash(ngettext("%(num)s line from order %(number)s added to your cart.",
                       "%(num)s lines from order %(number)s added to your cart.", count,
                       number=preview.order.number), "success")
    return redirect(url_for("cart.index"), 303)


@bp.get("/<int:order_id>/to-list")
@allow(CUSTOMERS)
def to_list(order_id: int):
    order = orders.get_order_or_404(current_user, order_id)
    return render("orders/to_list.html", order=order,
                  lists=ordering.editable_lists(current_user), error=None, new_name="")


@bp.post("/<int:order_id>/to-list")
@allow(CUSTOMERS)
def to_list_apply(order_id: int):
    order = orders.get_order_or_404(current_user, order_id)
    raw_list = request.form.get("list_id", "")
    new_name = request.form.get("new_name", "")
    try:
        result = ordering.add_order_to_list(
            current_user, order, _ids([raw_list])[0] if _ids([raw_list]) else None, new_name)
    except DomainError as e:
        db.session.rollback()
        return render("orders/to_list.html", status_code=422, order=order,
                      lists=ordering.editable_lists(current_user), error=str(e),
                      new_name=new_name)
    db.session.commit()
    flash(ngettext("%(num)s line of order %(number)s added to the list.",
                   "%(num)s lines of order %(number)s added to the list.", result.added,
                   number=order.number), "success")
    if result.skipped:
        flash(_("Not available any more, left out: %(items)s", items=", ".join(result.skipped)),
              "warning")
    return redirect(url_for("lists.detail", list_id=result.shopping_list.id), 303)
