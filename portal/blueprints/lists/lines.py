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
from portal.blueprints.lists.routes import editable_or_404, show_list, visible_or_404
from portal.rendering import render, wants_fragment
from portal.services import ordering
from portal.services.navigation import cart_count
from portal.usecases import run


def _ids(values) -> list[int]:
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 12]


def _line_action(list_id: int, action):
    """Run one line action on an editable list, commit, answer the lines or a redirect."""
    shopping_list = editable_or_404(list_id)
    return run(lambda: action(shopping_list),
               refused=lambda problem: show_list(editable_or_404(list_id), block="list_lines",
                                                 line_error=str(problem)),
               done=lambda notice: _lines_answer(shopping_list, notice))


def _lines_answer(shopping_list, notice: str | None):
    if wants_fragment():
        return show_list(shopping_list, block="list_lines", line_notice=notice)
    if notice:
        flash(notice, "info")
    return redirect(url_for("lists.detail", list_id=shopping_list.id), 303)


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
        current_user, lst, line_id, request.form.get("product_id", "")[:12]))


@bp.post("/<int:list_id>/line/<int:line_id>/no-substitute")
@allow(CUSTOMERS)
def no_substitute(list_id: int, line_id: int):
    return _line_action(list_id, lambda lst: ordering.mark_list_line(
        current_user, lst, line_id, request.form.get("no_substitute", "")[:2]))


@bp.post("/<int:list_id>/code")
@allow(CUSTOMERS)
def add_code(list_id: int):
    """A SKU or barcode number typed or scanned (the same form): its product added to the list
    with its default quantity; htmx gets the line said and the lines again."""
    shopping_list = editable_or_404(list_id)
    code, qty = request.form.get("code", "")[:60], request.form.get("qty")
    return run(lambda: ordering.add_code_to_list(current_user, shopping_list, code, qty),
               refused=lambda problem: _code_answer(shopping_list, 422, scan_error=str(problem),
                                                    scan_code=code.strip()),
               done=lambda added: _code_answer(shopping_list, 200,
                                               scan_added=added.message(str(get_locale()))))


def _code_answer(shopping_list, status_code: int, **scan):
    if wants_fragment():
        return show_list(shopping_list, status_code, block="scan_answer", **scan)
    if status_code == 200:
        flash(scan["scan_added"], "success")
        return redirect(url_for("lists.detail", list_id=shopping_list.id), 303)
    return show_list(shopping_list, status_code, **scan)


@bp.post("/<int:list_id>/to-cart")
@allow(BUYERS)
def to_cart(list_id: int):
    shopping_list = visible_or_404(list_id)
    chosen = None if request.form.get("all") else _ids(request.form.getlist("line"))
    return run(lambda: ordering.add_lines_to_cart(current_user, shopping_list, chosen,
                                                  str(get_locale())),
               refused=lambda problem: _cart_refused(list_id, str(problem)),
               done=lambda outcome: _cart_answer(list_id, _added_messages(outcome)))


def _cart_refused(list_id: int, message: str):
    if not wants_fragment():
        return show_list(visible_or_404(list_id), 422, messages=[(message, "error")])
    return _cart_answer(list_id, [(message, "error")], 422)


def _added_messages(outcome) -> list[tuple[str, str]]:
    messages = []
    if outcome.added:
        messages.append((ngettext("%(num)s line added to your cart.",
                                  "%(num)s lines added to your cart.", outcome.added), "success"))
    if outcome.skipped:
        messages.append((_("Left out: %(items)s.", items="; ".join(outcome.skipped)),
                         "warning"))
    return messages


def _cart_answer(list_id: int, messages, status_code: int = 200):
    if wants_fragment():
        return render("lists/detail.html", block="list_notice", status_code=status_code,
                      messages=messages, cart_count=cart_count(current_user), oob=True)
    for message, category in messages:
        flash(message, category)
    return redirect(url_for("lists.detail", list_id=list_id), 303)
