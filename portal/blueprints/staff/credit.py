"""The credit queue: orders on credit hold (release, raise the limit or ask for prepayment)
and orders awaiting their transfer (record the payment)."""

from datetime import UTC, datetime

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.staff import bp
from portal.models import Role
from portal.rendering import render
from portal.services import DomainError, backoffice, credit
from portal.usecases import moved_on, run


def _queue(status: int = 200):
    return render("staff/credit.html", status_code=status, held=credit.held_orders(),
                  awaiting=credit.awaiting_payment())


@bp.get("/credit")
@allow(Role.STAFF_ADMIN)
def credit_queue():
    return _queue()


def _limit_cents() -> int | None:
    try:
        return backoffice.parse_money_cents(request.form.get("limit", ""))
    except ValueError:
        raise DomainError(_("Enter an amount in euros, for example 5000 or 5000,50."),
                          field="limit") from None


DECISIONS = {
    "release": lambda order_id, now: credit.release(current_user, order_id, now),
    "raise": lambda order_id, now: credit.raise_limit(current_user, order_id, _limit_cents(),
                                                      now),
    "prepay": lambda order_id, now: credit.ask_prepayment(current_user, order_id, now),
    "paid": lambda order_id, now: credit.record_payment(current_user, order_id, now),
}


@bp.post("/credit/<int:order_id>")
@allow(Role.STAFF_ADMIN)
def credit_decide(order_id: int):
    decide = DECISIONS.get(request.form.get("decision", ""))

    def action():
        if decide is None:
            raise DomainError(_("Choose a decision from the page."))
        return decide(order_id, datetime.now(UTC))

    def refused(problem):
        flash(str(problem), "error")
        return _queue()

    return run(action, refused, lambda order: moved_on(
        _("Order %(number)s: decision saved, the buyer is told by e-mail.",
          number=order.number), url_for("staff.credit_queue")))
