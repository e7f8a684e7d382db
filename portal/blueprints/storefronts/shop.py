"""Buying without an account on a consumer storefront: the visitor's add to cart (a guest
is made then) and the guest's details before checkout (services/storefronts/guests.py)."""

from datetime import UTC, datetime

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user

from portal.access import BUYERS, PUBLIC, allow
from portal.blueprints.storefronts import bp
from portal.extensions import limiter
from portal.rendering import render
from portal.services import storefronts
from portal.usecases import moved_on, run
from portal.web import current_front

DETAILS = ("name", "email", "phone", "line1", "postal_code", "city")


def _signed_in_as(result):
    buyer, made, line = result
    if made:
        lang = session.get("lang")
        session.clear()  # a fresh session for the new guest (no fixation)
        if lang:
            session["lang"] = lang
        login_user(buyer)
        session["seen"] = int(datetime.now(UTC).timestamp())
    flash(_("Added to your cart: %(qty)s × %(name)s", qty=line.quantity,
            name=line.product.name(str(get_locale()))), "success")
    return redirect(url_for("catalog.product", product_id=line.product_id), 303)


@bp.post("/shop/cart/<int:product_id>")
@allow(PUBLIC)
@limiter.limit("30 per hour", methods=["POST"],
               exempt_when=lambda: current_user.is_authenticated)
def add(product_id: int):
    """A visitor's (or a guest's) add to cart; signed-in buyers use the catalog's own."""
    front = current_front()
    if not storefronts.sells_to_visitors(front):
        abort(404)
    try:
        return run(lambda: storefronts.add_as_visitor(front, current_user, product_id,
                                                       request.form.get("qty", "1")),
                   refused=lambda problem: moved_on(str(problem), url_for(
                       "catalog.product", product_id=product_id), "error"),
                   done=_signed_in_as)
    except LookupError:
        abort(404)


def _details_page(details, errors=None, status_code=200):
    return render("storefronts/details.html", status_code=status_code, details=details,
                  errors=errors or {}, collects=storefronts.collects_somewhere())


@bp.route("/shop/details", methods=["GET", "POST"])
@allow(BUYERS)
def details():
    """Name, e-mail and delivery address of a guest, before the checkout."""
    if not storefronts.sells_to_visitors(current_front()):
        abort(404)
    if request.method != "POST":
        return _details_page(storefronts.details_of(current_user))
    typed = storefronts.Details(**{k: request.form.get(k, "")[:300] for k in DETAILS})
    return run(lambda: storefronts.save_details(current_user, typed),
               refused=lambda problem: _details_page(typed, problem.errors, 422),
               done=lambda _address: redirect(url_for("checkout.index"), 303))
