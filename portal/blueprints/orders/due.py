"""The "Due to reorder" card on a buyer's home page and its one-tap "add what's due"; the
weekly e-mail of it (asked for on the account page, stopped from the e-mail in one tap)."""

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.access import BUYERS, PUBLIC, allow
from portal.blueprints.orders import bp
from portal.extensions import csrf, db
from portal.home_cards import home_card
from portal.rendering import render
from portal.services import ordering
from portal.services.delivery import now
from portal.services.selling import can_order
from portal.usecases import moved_on, run


# After the latest order and shipment cards: a dealer reads his tracking first.
@home_card(8, BUYERS, "orders/_due_card.html")
def due_card(user) -> dict | None:
    if not can_order(user):
        return None
    items = ordering.due_for(user, now())
    return {"items": items} if items else None


@home_card(9, BUYERS, "orders/_service_card.html")
def service_card(user) -> dict | None:
    """Products to replace now, or successors of discontinued ones the buyer bought."""
    if not can_order(user):
        return None
    items = ordering.service_due_for(user, now())
    return {"items": items} if items else None


@bp.post("/due/to-cart")
@allow(BUYERS)
def due_to_cart():
    return run(lambda: ordering.add_due_to_cart(current_user, now()),
               refused=lambda problem: moved_on(str(problem), url_for("home.index"), "error"),
               done=lambda count: moved_on(ngettext(
                   "%(num)s product due to reorder added to your cart.",
                   "%(num)s products due to reorder added to your cart.", count),
                   url_for("cart.index")))


@bp.post("/due/digest")
@allow(BUYERS)
def due_digest():
    wanted = request.form.get("due_digest") == "1"
    ordering.set_due_digest(current_user, wanted)
    db.session.commit()
    return moved_on(_("You will get the weekly e-mail of what is due to reorder.") if wanted
                    else _("You will no longer get the weekly e-mail of what is due to reorder."),
                    url_for("account.index") + "#digest")


@bp.route("/due/digest/stop/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def stop_digest(token: str):
    """From the e-mail, without a password: the signed token names the user and can only turn
    the e-mail off. A GET asks (mail scanners open links), a POST stops: the page's button, or
    the mail client's one-click unsubscribe (RFC 8058), which sends no CSRF token."""
    user = ordering.digest_user(token)
    if user is None:
        abort(404)
    if request.method == "POST":
        ordering.set_due_digest(user, False)
        db.session.commit()
    return render("orders/digest_stop.html", user=user, stopped=request.method == "POST")


csrf.exempt(stop_digest)
