"""Quick order: type, paste or upload lines, see each one checked, add them all to the cart.

Every action is a plain form post first; htmx re-checks one row as it is edited, suggests
SKUs as they are typed and adds blank rows without reloading the page.
"""

import secrets
from datetime import UTC, datetime

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import BUYERS, allow
from portal.blueprints.quick_order import bp, cards  # noqa: F401 (registers the home card)
from portal.blueprints.quick_order.forms import (
    BLANK_ROWS,
    Collected,
    Row,
    collect,
    removed_row,
    typed_rows,
)
from portal.blueprints.quick_order.tally import Tally
from portal.rendering import render, wants_fragment
from portal.services import ordering
from portal.services.ordering import MAX_LINES, RawLine
from portal.services.selling import can_order
from portal.usecases import moved_on, run

# Forms whose ready lines were added while their mistakes stayed on the page: a reload of
# that answer posts the same form again and must not add the lines a second time.
ADDED_BATCHES = "qo_added"
KEEP_BATCHES = 5


def _lang() -> str:
    return str(get_locale())


def _require_ordering():
    if not can_order(current_user):
        abort(403)


def _page(collected: Collected | None = None, result=None, message: str = "",
          extra_rows: int = 0, status: int = 200, notice: str = ""):
    """The whole form again: checked rows (or the typed ones), blank rows, notices."""
    collected = collected or Collected()
    if result is not None and not result.lines:
        result = None  # nothing typed: the form again, not an empty report
    if result is not None:
        rows = [Row(i, r.sku, r.quantity_text, r) for i, r in enumerate(result.lines)]
        paste = ""
    else:
        rows = [Row(i, r.sku, r.quantity) for i, r in enumerate(collected.rows)]
        paste = collected.paste
    start = len(rows)
    blank = extra_rows or (BLANK_ROWS if not rows else 0)
    rows += [Row(i) for i in range(start, min(start + blank, MAX_LINES))]
    return render("quick_order/index.html", block="quick_order", status_code=status,
                  rows=rows, result=result, collected=collected, paste=paste,
                  message=message or collected.error, next_index=len(rows), notice=notice,
                  tally=Tally.of_result(result) if result is not None else None,
                  batch=secrets.token_urlsafe(12))


def _checked():
    """The posted lines, checked (None when they could not be read: see collected.error)."""
    collected = collect(request.form, request.files)
    if collected.error:
        return collected, None
    return collected, ordering.run_check(current_user, collected.lines, _lang())


@bp.get("/")
@allow(BUYERS, when=can_order)
def index():
    return _page()


@bp.get("/rows")
@allow(BUYERS)
def rows():
    """Blank rows appended at the end of the form (htmx), with the next "Add rows" button."""
    _require_ordering()
    start = request.args.get("start", "0")
    start = int(start) if start.isascii() and start.isdigit() and len(start) < 4 else 0
    new = [Row(i) for i in range(start, min(start + BLANK_ROWS, MAX_LINES))]
    return render("quick_order/_more_rows.html", rows=new, next_index=start + len(new))


@bp.get("/suggest")
@allow(BUYERS)
def suggest():
    _require_ordering()
    typed = request.args.get("q") or next(
        (v for k, v in request.args.items() if k.startswith("sku-")), "")
    return render("quick_order/_suggest.html",
                  suggestions=ordering.suggest(current_user, typed, _lang()))


@bp.post("/line")
@allow(BUYERS)
def line():
    """One row checked alone (htmx, as it is edited): its status, or the whole row, or
    nothing when it was removed; with the page's summary recounted when it has one."""
    _require_ordering()
    rows = typed_rows(request.form)
    removed = removed_row(request.form)
    if not wants_fragment() or len(rows) + (removed is not None) != 1:
        return redirect(url_for("quick_order.index"), 303)
    tally = Tally.parse(request.form.get("qo-state"))
    if removed is not None:
        if tally is not None:
            tally.update(removed, None)
        return render("quick_order/_line.html", part=None, tally=tally)
    row = rows[0]
    if not row.blank:
        row.result = ordering.run_check(
            current_user, [RawLine("row", 1, row.sku, row.quantity)], _lang()).lines[0]
        row.sku, row.quantity = row.result.sku, row.result.quantity_text
    if tally is not None:
        tally.update(row.index, row.result)
    bad = row.result is not None and row.result.status == ordering.ERROR
    part = "_status.html" if request.args.get("part") == "status" else "_row.html"
    return render("quick_order/_line.html", part=part, row=row, tally=tally,
                  status_code=422 if bad else 200)


@bp.post("/code")
@allow(BUYERS, when=can_order)
def code():
    """A SKU or barcode number typed in the scan field or read by the camera: the first blank
    row (else a new one) filled with its product and default quantity, checked."""
    raw = request.form.get("code", "")[:60]
    return run(lambda: ordering.code_to_row(current_user, raw, _lang()),
               refused=lambda problem: _code_answer(None, scan_error=str(problem),
                                                    scan_code=raw.strip()),
               done=lambda result: _code_answer(result))


def _code_answer(result, **scan):
    if result is None and not wants_fragment():
        return _page(status=422, message=scan["scan_error"])
    if result is None:
        return render("quick_order/_code_answer.html", status_code=422, row=None, tally=None,
                      **scan)
    if not wants_fragment():
        return _page(Collected(), ordering.QuickOrderResult((result,), result.product.currency))
    rows = typed_rows(request.form)
    blank = next((r for r in rows if r.blank), None)
    index = blank.index if blank else max((r.index for r in rows), default=-1) + 1
    tally = Tally.parse(request.form.get("qo-state"))
    if tally is not None:
        tally.update(index, result)
    added = _("Line %(n)s: %(qty)s × %(name)s (%(sku)s).", n=index + 1, qty=result.quantity,
              name=result.product.name, sku=result.sku)
    return render("quick_order/_code_answer.html", row=Row(index, result.sku,
                  result.quantity_text, result), replace=blank is not None, tally=tally,
                  next_index=index + 1, scan_added=added,
                  status_code=422 if result.status == ordering.ERROR else 200)


@bp.post("/check")
@allow(BUYERS)
def check():
    _require_ordering()
    collected, result = _checked()
    adding_rows = "add_rows" in request.form
    if result is not None and not result.lines and not adding_rows:
        return _page(collected, message=_("Enter at least one SKU and quantity."), status=422)
    bad = result is None or bool(result.errors)
    return _page(collected, result, extra_rows=BLANK_ROWS if adding_rows else 0,
                 status=422 if bad else 200)


@bp.post("/add")
@allow(BUYERS)
def add():
    _require_ordering()
    collected, result = _checked()
    if result is None:
        return _page(collected, status=422)
    keep = "keep_errors" in request.form and bool(result.errors)
    if keep and request.form.get("batch", "") in session.get(ADDED_BATCHES, []):
        return _kept(result, _("These lines were already added to your cart."))
    return run(lambda: ordering.add_all_to_cart(current_user, result, skip_errors=keep),
               refused=lambda problem: _page(collected, result, message=str(problem)),
               done=lambda count: _added(result, count, keep))


def _added(result, count: int, keep: bool):
    if keep:
        batch = request.form.get("batch", "")[:40]
        session[ADDED_BATCHES] = [*session.get(ADDED_BATCHES, [])[-(KEEP_BATCHES - 1):], batch]
        return _kept(result, ngettext("%(num)d line added to your cart.",
                                      "%(num)d lines added to your cart.", count))
    # "Order all" (every line ready) goes on to checkout; "Add all to cart" to the cart.
    then = "checkout.index" if request.args.get("then") == "checkout" else "cart.index"
    return moved_on(_("Lines added to your cart: %(n)s.", n=count), url_for(then))


def _kept(result, added: str):
    """The page again with only the lines still to fix: nothing dropped silently."""
    errors = result.errors
    kept = ordering.QuickOrderResult(tuple(errors), result.currency)
    still = ngettext("The line below still needs a fix: it was not added.",
                     "The %(num)d lines below still need a fix: they were not added.",
                     len(errors))
    return _page(Collected(), kept, notice=f"{added} {still}")


@bp.post("/save-list")
@allow(BUYERS)
def save_list():
    _require_ordering()
    collected, result = _checked()
    if result is None:
        return _page(collected, status=422)
    return run(lambda: ordering.save_as_list(current_user, result,
                                             request.form.get("list_name", ""), datetime.now(UTC)),
               refused=lambda problem: _page(collected, result, message=str(problem)),
               done=lambda saved: _saved(result, saved))


def _saved(result, saved):
    flash(ngettext("List “%(name)s” saved with %(num)s line.",
                   "List “%(name)s” saved with %(num)s lines.", len(result.orderable),
                   name=saved.name), "success")
    if result.errors:
        flash(_("Lines left out because of an error: %(n)s.", n=len(result.errors)), "warning")
    return redirect(url_for("lists.detail", list_id=saved.id), 303)
