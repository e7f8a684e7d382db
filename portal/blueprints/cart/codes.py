"""Adding to the cart by code: a SKU or barcode number typed in the "Add by code" field, or
read by the camera (static/js/scan.js posts the same form). One endpoint, one rule
(services/ordering/scan.py). htmx gets the line added (or why not, 422) and the cart badge;
a plain post goes to the cart page, or back to the catalog's field with why it was refused.
"""

from flask import flash, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal.access import BUYERS, allow
from portal.blueprints.cart import bp
from portal.rendering import render, wants_fragment
from portal.services import catalog, ordering
from portal.services.selling import can_order
from portal.usecases import run


@bp.post("/code")
@allow(BUYERS, when=can_order)
def add_code():
    code, qty = request.form.get("code", "")[:60], request.form.get("qty")
    return run(lambda: ordering.add_code_to_cart(current_user, code, qty),
               refused=lambda problem: _answer(scan_error=str(problem), scan_code=code.strip()),
               done=lambda added: _answer(scan_added=added.message(str(get_locale()))))


def _answer(**scan):
    if wants_fragment():
        return render("cart/_scan_answer.html", status_code=422 if "scan_error" in scan else 200,
                      cart_count=ordering.cart_line_count(current_user), **scan)
    if "scan_added" in scan:
        flash(scan["scan_added"], "success")
        return redirect(url_for("cart.index"), 303)
    tree = catalog.CategoryTree(current_user, str(get_locale()))
    return render("catalog/index.html", status_code=422, tree=tree, **scan)
