"""Pay by card: a POST sends the payer to the provider's page (303, or HX-Redirect for htmx);
the provider's webhook (no session, no CSRF token: its signature is the proof) settles the
order. The order page includes card_payments/_pay_by_card.html in its payment panel."""

from datetime import UTC, datetime

from flask import current_app, flash, g, redirect, request, url_for
from flask_login import current_user

from portal.access import CUSTOMERS, PUBLIC, allow
from portal.blueprints.card_payments import bp
from portal.extensions import csrf
from portal.security import CSP
from portal.services import card_payments
from portal.usecases import run

RETURNS = ("paid", "cancelled")


def _go(target: str):
    if request.headers.get("HX-Request") == "true":
        return "", 204, {"HX-Redirect": target}
    return redirect(target, 303)


@bp.post("/orders/<int:order_id>")
@allow(CUSTOMERS)
def pay(order_id: int):
    back = url_for("orders.detail", order_id=order_id)

    def refused(problem):
        flash(str(problem), "error")
        return _go(back)

    return run(lambda: card_payments.start(current_user, order_id), refused, _go)


@bp.post("/webhook")
@allow(PUBLIC)
@csrf.exempt
def webhook():
    return run(lambda: card_payments.receive(request.get_data(),
                                             request.headers.get("Stripe-Signature", ""),
                                             datetime.now(UTC)),
               lambda problem: (str(problem), problem.status),
               lambda outcome: ({"received": outcome}, 200))


@bp.app_template_global()
def card_payment(order) -> dict:
    """What the order's payment panel shows: the card button (offered), or the payment being
    confirmed after the provider sent the payer back (`?card=paid`), or that they turned back."""
    if not card_payments.offered() or order.status != "awaiting_payment":
        return {"offered": False, "returned": ""}
    returned = request.args.get("card", "")
    g.card_checkout_form = True
    return {"offered": True, "returned": returned if returned in RETURNS else ""}


@bp.after_app_request
def _allow_the_checkout_form(response):
    """A page with the card button posts a form whose answer is a redirect to the provider's
    page: its CSP lets forms go there (browsers check form-action on the redirect too)."""
    if g.get("card_checkout_form"):
        policy = current_app.extensions.get("portal.csp", CSP)
        response.headers["Content-Security-Policy"] = policy.replace(
            "form-action 'self'", f"form-action 'self' {card_payments.checkout_origin()}")
    return response
