"""One-page checkout: ship to, delivery date, PO number, notes; then "Place order".

The form carries a single-use token: a double tap, a retry after a dropped connection or a
second tab submits it again, and every replay lands on the one order it placed.
"""

from functools import cache

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.access import BUYERS, allow
from portal.blueprints.checkout import bp
from portal.extensions import db
from portal.models import OrderStatus
from portal.rendering import render
from portal.services import approvals, contracts, credit, delivery, ordering, orders, storefronts
from portal.services.backoffice import acting_staff
from portal.services.selling import can_order, rate_label
from portal.usecases import run

# Longest text shown back in each field (what is typed stays, bounded). The rules judge the
# whole text: a cut could turn "2027-01-26      x" into a valid date.
FIELDS = {"place": 40, "requested_date": 20, "po_number": 200, "notes": 4000, "token": 100,
          "payment": 20}


# A public buyer's service code (services/contracts).
FIELDS["service_code"] = 200


def _require_ordering():
    if not can_order(current_user):
        abort(403)
    if storefronts.is_guest(current_user):
        # A guest gives a name, an e-mail and where to deliver first (then comes back).
        abort(redirect(url_for("storefronts.details"), 303))


def _order_url(order) -> str:
    return url_for("orders.detail", order_id=order.id)


def _page(form: ordering.CheckoutForm, errors: dict | None = None, status: int = 200,
          places=None, lines=None):
    """The checkout page. `places` and the cart's `lines`, when the caller has them already,
    are not read again; the lines are read once for every summary of the page."""
    user = current_user._get_current_object()  # read a dozen times below
    now = delivery.now()  # dates and cut-off are told at the portal's clock
    places = ordering.delivery_places(user) if places is None else places
    lines = ordering.cart_lines(user) if lines is None else lines
    chosen = next((p for p in places if p.key == form.place), None)
    summary = ordering.summarize(user, now,
                                 jobsite_id=chosen.jobsite_id if chosen else None,
                                 lines=lines,
                                 collect_at=chosen.warehouse_id if chosen else None)
    # Each line's VAT rate and delivery dates are put in words once per page, not per line.
    return render("checkout/index.html", status_code=status, form=form, errors=errors or {},
                  places=places, summary=summary, company=user.company,
                  collects=ordering.collects(user),
                  ready={p.key: ordering.summarize(user, now, lines=lines,
                                                   collect_at=p.warehouse_id).ready_on
                         for p in places if p.warehouse_id is not None},
                  credit=credit.preview(user.company, summary.total_cents),
                  terms=ordering.payment_terms_label(user.company.payment_terms),
                  earliest=ordering.earliest_date(ordering.local_today(now)),
                  rate_label=cache(rate_label))


def _confirmation(order, needs) -> str:
    if order.status == OrderStatus.PENDING_APPROVAL and needs:
        return _("Order %(number)s sent for approval to %(who)s.", number=order.number,
                 who=needs[0].approver_label)
    if order.status == OrderStatus.PENDING_APPROVAL:
        return _("Order %(number)s is waiting for approval.", number=order.number)
    if order.pay_at_collection and order.status == OrderStatus.SUBMITTED:
        return _("Order %(number)s placed. We tell you by e-mail when it is ready to collect; "
                 "you pay it at the branch.", number=order.number)
    if order.status == OrderStatus.AWAITING_PAYMENT:
        return _("Order %(number)s placed. We prepare it once its payment is received: the "
                 "bank details are below.", number=order.number)
    if order.status == OrderStatus.CREDIT_HOLD:
        return _("Order %(number)s placed. It waits for a credit check before it is prepared.",
                 number=order.number)
    return _("Order %(number)s placed.", number=order.number)


def _placed(order, needs=(), replay: bool = False):
    # A replay whose first answer's message still waits in the session adds no second one.
    if not (replay and session.get("_flashes")):
        flash(_confirmation(order, needs), "success")
    return redirect(_order_url(order), 303)


@bp.get("/")
@allow(BUYERS)
def index():
    _require_ordering()
    lines = ordering.cart_lines(current_user)
    if not lines:
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("cart.index"), 303)
    places = ordering.delivery_places(current_user)
    repeated = _repeated_order()
    place, po = ordering.checkout_defaults(current_user, places, delivery.now(), repeated)
    form = ordering.CheckoutForm(place=place or ordering.default_place(current_user, places),
                                 po_number=po, token=ordering.new_submit_token())
    return _page(form, places=places, lines=lines)


def _repeated_order():
    """The order being repeated ("order now" on a reorder preview), if this user may see it:
    its place and PO number are proposed. Anything else is ignored."""
    raw = request.args.get("repeat", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        return None
    return orders.find_order(current_user, int(raw))


@bp.post("/")
@allow(BUYERS)
def place():
    _require_ordering()
    typed = {k: request.form.get(k, "") for k in FIELDS}
    form = ordering.CheckoutForm(**typed)
    shown = ordering.CheckoutForm(**{k: typed[k][:n] for k, n in FIELDS.items()})
    existing = ordering.find_by_token(current_user, form.token)
    if existing is not None:
        return _placed(existing, replay=True)
    try:
        return run(lambda: ordering.place_order(current_user, form, delivery.now(),
                                                on_behalf_by=acting_staff()),
                   refused=lambda problem: _refused(problem, shown, form.token),
                   done=lambda placed: _placed(placed.order, placed.needs))
    except IntegrityError as e:  # at the commit: another submit of the same form won
        db.session.rollback()
        return _lost_race(e, form.token)


def _refused(problem, shown: ordering.CheckoutForm, token: str):
    """Fields to fix (422); nobody to approve (409: refused, not parked where nobody can
    decide it; what was typed stays in the form); an emptied cart: a race lost."""
    if isinstance(problem, ordering.EmptyCart):
        return _lost_race(problem, token)
    if isinstance(problem, (approvals.NobodyToApprove, contracts.ContractRefused)):
        flash(str(problem), "error")
    return _page(shown, getattr(problem, "errors", None))


def _lost_race(error: Exception, token: str):
    """A submit that met another one: a replay of the same form finds its order; another tab
    or phone of this buyer that ordered the cart first shows that order; else the cart."""
    existing = ordering.find_by_token(current_user, token)
    if existing is not None:
        return _placed(existing, replay=True)
    if isinstance(error, IntegrityError):
        raise error
    if isinstance(error, ordering.AlreadyOrdered) and error.order is not None:
        flash(str(error), "info")
        return redirect(_order_url(error.order), 303)
    flash(str(error), "warning")
    return redirect(url_for("cart.index"), 303)
