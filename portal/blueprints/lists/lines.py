"""The lines of a list: quantity and note, order, removal, replacement; ordering from it.

With htmx each action answers the #list_lines block (422 with the message on a refusal);
without JavaScript it answers 303 back to the list page.
"""

from flask import flash, redirect, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import BUYERS, CUSTOMERS, allow
from portal.blueprints.lists import bp
from portal.blueprints.lists.routes import show_list
from portal.extensions import db
from portal.rendering import render, wants_fragment
from portal.services import DomainError, ordering
from portal.services.navigation import cart_count


def _ids(values) -> list[int]:
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 12]


def _line_action(list_id: int, action):
    """Run one line action on an editable list, commit, answer the lines or a redirect."""
    shopping_list = ordering.get_editable_or_404(current_user, list_id)
    try:
        notice = action(shopping_list)
    except DomainError as e:
        db.session.rollback()
        shopping_list = ordering.get_editable_or_404(current_user, list_id)
        return show_list(shopping_list, 422, block="list_lines", line_error=str(e))
    db.session.commit()
    if wants_fragment():
        return show_list(shopping_list, block="list_lines", line_notice=notice)
    if notice:
        flash(notice, "info")
    return redirect(url_for("lists.detail", list_id=list_id), 303)


@bp.post("/<int:list_id>/line/<int:line_id>")
@allow(CUSTOMERS)
def update_line(list_id: int, line_id: int):
    form = request.form
    return _line_action(list_id, lambda lst: ordering.update_list_line(
        current_user, lst, line_id, form.get(f"qty-{line_id}", form.get("quantity", "")),
        form.get(f"note-{line_id}", form.get("note")), form.get("step", "")))


@bp.post("/<int:list_id>/line/<int:line_id>/move")
@allow(CUSTOMERS)
def move_line(list_id: int, line_id: int):
    direction = request.args.get("dir") or request.form.get("dir", "")
    return _line_action(list_id, lambda lst: ordering.move_line(
        current_user, lst, line_id, direction))


@bp.post("/<int:list_id>/line/<int:line_id>/remove")
@allow(CUSTOMERS)
def remove_line(list_id: int, line_id: int):
    return _line_action(list_id, lambda lst: ordering.remove_list_line(
        current_user, lst, line_id))


@bp.post("/<int:list_id>/line/<int:line_id>/swap")
@allow(CUSTOMERS)
def swap_line(list_id: int, line_id: int):
    return _line_action(list_id, lambda lst: ordering.swap_to_replacement(
        current_user, lst, line_id))


@bp.post("/<int:list_id>/to-cart")
@allow(BUYERS)
def to_cart(list_id: int):
    shopping_list = ordering.get_list_or_404(current_user, list_id)
    chosen = None if request.form.get("all") else _ids(request.form.getlist("line"))
    try:
        outcome = ordering.add_lines_to_cart(current_user, shopping_list, chosen,
                                                str(get_locale()))
    except DomainError as e:
        db.session.rollback()
        if not wants_fragment():
            return show_list(ordering.get_list_or_404(current_user, list_id), 422,
                             messages=[(str(e), "error")])
        return _cart_answer(list_id, [(str(e), "error")], 422)
    db.session.commit()
    messages = []
    if outcome.added:
        messages.append((ngettext("%(num)s line added to your cart.",
                                  "%(num)s lines added to your cart.", outcome.added), "success"))
    if outcome.skipped:
        messages.append((_("Left out: %(items)s.", items="; ".join(outcome.skipped)),
                         "warning"))
    return _cart_answer(list_id, messages)


def _cart_answer(list_id: int, messages, status_code: int = 200):
    if wants_fragment():
        return render("lists/detail.html", block="list_notice", status_code=status_code,
                      messages=messages, cart_count=cart_count(current_user), oob=True)
    for message, category in messages:
        flash(message, category)
    return redirect(url_for("lists.detail", list_id=list_id), 303)
