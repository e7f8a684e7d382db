"""The cart page: lines priced now, a stepper per line, notes, remove with undo, totals.

Every change is a plain form post (303 back to the cart); for htmx the answer is the line
alone, with the totals and the bottom bar's badge swapped out of band.
"""



from flask import abort, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import BUYERS, allow
from portal.blueprints.cart import bp
from portal.extensions import db
from portal.rendering import render, wants_fragment
from portal.services import delivery, ordering
from portal.services.selling import can_order
from portal.usecases import run

UNDO_KEY = "cart_undo"  # the last removed line, for "Undo" without JavaScript


def _render(template: str, **context):
    """A cart page or fragment. Its lines tell the same few delivery dates over and over (a
    100-line cart: 100 dates, 3 or 4 different ones): each is put in words once per page."""
    return render(template, **context)


def _line_or_404(line_id: int):
    if not can_order(current_user):
        abort(403)
    line = ordering.find_line(current_user, line_id)
    if line is None:
        abort(404)
    return line


def _answer(line_id: int | None, error: str = "", notice: str = "", removed=None,
            typed: str = "", typed_note: str | None = None):
    """After a change: htmx gets the line (+ totals, badge); a plain post goes back to the
    cart, or sees it again with the error (422)."""
    status = 422 if error else 200
    if not wants_fragment() and not error:
        return redirect(url_for("cart.index"), 303)
    summary = ordering.summarize(current_user, delivery.now())
    context = {"summary": summary, "error": error, "notice": notice, "error_line": line_id,
               "typed": typed, "typed_note": typed_note, "cart_count": summary.count}
    if not wants_fragment():
        return _render("cart/index.html", status_code=status, undo=None, **context)
    return _render("cart/_line_update.html", status_code=status, oob=True, removed=removed,
                  line_id=line_id, view=summary.view_of(line_id), **context)


@bp.get("/")
@allow(BUYERS, when=can_order)
def index():
    summary = ordering.summarize(current_user, delivery.now())
    return _render("cart/index.html", summary=summary, undo=session.pop(UNDO_KEY, None))


@bp.post("/line/<int:line_id>/qty")
@allow(BUYERS)
def quantity(line_id: int):
    """The line's form: quantity typed or tapped, and the note when the form carries one
    (a note typed just before a tap on + is kept, not lost)."""
    line = _line_or_404(line_id)
    form = request.form
    raw = form.get("set") or form.get("quantity", "")
    typed_note = form.get("note")
    return run(lambda: ordering.update_cart_line(line, raw, typed_note),
               refused=lambda problem: _answer(line_id, error=str(problem), typed=raw[:12],
                                               typed_note=(typed_note or "")[:500]),
               done=lambda changed: _answer(line_id, notice=_changed_notice(line, *changed)))


def _changed_notice(line, change, note_changed: bool) -> str:
    if change and change.snapped:
        return _("Rounded up to %(n)s: sold in steps of %(step)s.", n=change.quantity,
                 step=line.product.order_multiple)
    return _("Note saved.") if note_changed else ""


@bp.post("/line/<int:line_id>/note")
@allow(BUYERS)
def note(line_id: int):
    line = _line_or_404(line_id)
    return run(lambda: ordering.set_note(line, request.form.get("note", "")),
               refused=lambda problem: _answer(line_id, error=str(problem)),
               done=lambda _result: _answer(line_id, notice=_("Note saved.")))


@bp.post("/line/<int:line_id>/no-substitute")
@allow(BUYERS)
def no_substitute(line_id: int):
    """One tap marks the line "no substitute" (value 1) or clears the mark (value 0)."""
    line = _line_or_404(line_id)
    return run(lambda: delivery.mark_no_substitute(line, request.form.get("no_substitute")),
               refused=lambda problem: _answer(line_id, error=str(problem)),
               done=lambda marked: _answer(line_id, notice=_("Marked: no substitute.") if marked
                                           else _("Substitutes allowed again.")))


@bp.post("/line/<int:line_id>/remove")
@allow(BUYERS)
def remove(line_id: int):
    line = _line_or_404(line_id)
    name = line.product.name(str(get_locale()))
    removed = ordering.remove_cart_line(line)
    db.session.commit()
    undo = {"product_id": removed.product_id, "quantity": removed.quantity,
            "note": removed.note, "name": name}
    if not wants_fragment():
        session[UNDO_KEY] = undo
    return _answer(line_id, removed=undo)


@bp.post("/line/restore")
@allow(BUYERS)
def restore():
    if not can_order(current_user):
        abort(403)
    form = request.form
    return run(lambda: ordering.restore_line(current_user, form.get("product_id", ""),
                                             form.get("quantity", ""), form.get("note", "")),
               refused=_not_restored,
               done=lambda line: _answer(line.id, notice=_("Put back in your cart.")))


def _not_restored(problem):
    """The removed line's undo offered again, with why it could not come back."""
    old = request.form.get("line", "")
    undo = {k: request.form.get(k, "")[:200] for k in ("product_id", "quantity", "note", "name")}
    return _answer(int(old) if old.isdigit() and len(old) < 10 else None, error=str(problem),
                   removed=undo)
