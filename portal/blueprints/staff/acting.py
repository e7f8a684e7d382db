"""Order on behalf: switch the session to a customer's buyer, and back to the staff member.

While acting, a guard runs before every request: the staff member must still be allowed
(re-read from the database), the staff idle limit applies, and "Sign out" ends the staff
member's sessions rather than the customer's (whose session version is never touched).
"""

import time

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.access import SIGNED_IN, allow
from portal.blueprints.staff import bp
from portal.blueprints.staff.customers import customer_or_404
from portal.extensions import db
from portal.models import Role, User
from portal.security import end_all_sessions
from portal.services import backoffice
from portal.usecases import moved_on, run

SEEN_KEY = "acting_seen"


def _switch_to(user: User, acting: dict | None = None) -> None:
    """A fresh session (no fixation, no leftovers of the previous identity)."""
    lang = session.get("lang")
    session.clear()
    login_user(user)
    now = int(time.time())
    session["seen"] = now
    if lang:
        session["lang"] = lang
    if acting is not None:
        session[backoffice.ACTING_KEY] = acting
        session[SEEN_KEY] = now


@bp.post("/customers/<int:company_id>/act-as/<int:user_id>")
@allow(Role.STAFF_ADMIN, Role.SALES_REP)
def act_as(company_id: int, user_id: int):
    company = customer_or_404(company_id)
    customer = backoffice.actable_user(company, user_id)
    if customer is None:
        abort(404)
    return run(lambda: backoffice.start_acting(current_user._get_current_object(), company,
                                               customer),
               # A refusal is told on the customer's page the tap came from.
               refused=lambda problem: moved_on(str(problem), url_for(
                   "staff.customer", company_id=company.id), "error"),
               done=lambda acting: _switch_to(customer, acting)
               or redirect(url_for("quick_order.index"), 303))


@bp.post("/acting/stop")
@allow(SIGNED_IN)
def stop_acting():
    acting = session.get(backoffice.ACTING_KEY)
    if not acting:
        return redirect(url_for("home.index"), 303)
    staff = backoffice.returning_staff(acting)
    customer = current_user._get_current_object()
    company_id = customer.company_id
    if staff is None:
        _end_everything()
        return redirect(url_for("auth.login"), 303)
    backoffice.stop_acting(staff, customer)
    db.session.commit()
    _switch_to(staff)
    flash(_("You are back to your own account."), "success")
    if company_id and backoffice.may_act_for(staff, company_id):
        return redirect(url_for("staff.customer", company_id=company_id), 303)
    return redirect(url_for("staff.index"), 303)


def _end_everything() -> None:
    logout_user()
    session.clear()


@bp.before_app_request
def _guard_acting():
    """Acting sessions live only as long as the staff member may act for this customer."""
    acting = session.get(backoffice.ACTING_KEY)
    if acting is None or request.endpoint in (None, "assets.bundle", "static"):
        return None
    now = int(time.time())
    idle = current_app.config["STAFF_SESSION_MINUTES"] * 60
    if backoffice.acting_staff() is None or now - session.get(SEEN_KEY, 0) > idle:
        _end_everything()
        flash(_("Your session as this customer has ended. Please sign in again."), "info")
        return None
    session[SEEN_KEY] = now
    if request.endpoint == "auth.logout" and request.method == "POST":
        # Signing out ends the staff member's sessions, never the customer's.
        staff = backoffice.returning_staff(acting)
        if staff is not None:
            end_all_sessions(staff)
            db.session.commit()
        _end_everything()
        flash(_("You are signed out."), "info")
        return redirect(url_for("auth.login"), 303)
    return None
