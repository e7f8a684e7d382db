"""The "Due to reorder" card on a buyer's home page and its one-tap "add what's due"."""

from flask import url_for
from flask_babel import ngettext
from flask_login import current_user

from portal.access import BUYERS, allow
from portal.blueprints.orders import bp
from portal.home_cards import home_card
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


@bp.post("/due/to-cart")
@allow(BUYERS)
def due_to_cart():
    return run(lambda: ordering.add_due_to_cart(current_user, now()),
               refused=lambda problem: moved_on(str(problem), url_for("home.index"), "error"),
               done=lambda count: moved_on(ngettext(
                   "%(num)s product due to reorder added to your cart.",
                   "%(num)s products due to reorder added to your cart.", count),
                   url_for("cart.index")))
