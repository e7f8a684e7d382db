"""Company administration: the users of the company (invite, edit, disable, enable).

Only company admins reach these pages; every user id is looked up within their company, so
another company's user is a 404 like a missing one.
"""

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow, scoped_or_404
from portal.blueprints.company import bp, cards  # noqa: F401  (cards: the home card)
from portal.blueprints.company.common import (
    amount_input,
    confirm_then_do,
    save_or_render,
    unit_choices,
)
from portal.blueprints.company.forms import UserForm, allowance_in, int_or_none
from portal.models import CUSTOMER_ROLES, Role, User
from portal.models.labels import role_label
from portal.rendering import render
from portal.services import accounts, selling
from portal.services.accounts import UserData


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm()
    # Buyer first: the safe default for an invitation.
    order = (Role.BUYER, Role.APPROVER, Role.VIEWER, Role.COMPANY_ADMIN)
    form.role.choices = [(r.value, role_label(r)) for r in order
                         if r in CUSTOMER_ROLES]
    form.unit.choices = unit_choices(current_user.company_id, _("No unit (whole company)"))
    # A crew member's allowance is spent on their store, in its currency.
    allowance_in(form.yearly_allowance, selling.market_of(user or current_user).currency)
    if user is not None and request.method != "POST":
        form.name.data, form.role.data = user.name, user.role.value
        form.unit.data = str(user.unit_id or "")
        form.order_limit.data = amount_input(user.order_limit_cents)
        form.monthly_budget.data = amount_input(user.monthly_budget_cents)
        form.yearly_allowance.data = amount_input(user.yearly_allowance_cents)
    return form


def _user_data(form: UserForm) -> UserData:
    return UserData(name=form.name.data or "", role=form.role.data or "",
                    unit_id=int_or_none(form.unit.data),
                    order_limit_cents=form.order_limit.cents,
                    monthly_budget_cents=form.monthly_budget.cents,
                    yearly_allowance_cents=form.yearly_allowance.cents,
                    email=form.email.data or "")


@bp.get("/")
@allow(Role.COMPANY_ADMIN)
def index():
    units = {u.id: u.name for u in accounts.company_units(current_user.company_id)}
    return render("company/users.html", users=accounts.company_users(
        current_user.company_id), units=units)


@bp.route("/users/invite", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def invite():
    form = _user_form()
    form.email.flags.required = True
    return save_or_render(
        form, "company/user_form.html",
        lambda: accounts.invite_user(current_user, _user_data(form)),
        _("Invitation sent to %(email)s.", email=(form.email.data or "").strip().lower()),
        url_for("company.index"), user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def edit_user(user_id: int):
    user = scoped_or_404(User, user_id)
    form = _user_form(user)
    return save_or_render(
        form, "company/user_form.html",
        lambda: accounts.update_user(current_user, user, _user_data(form)),
        _("Changes to %(name)s saved.", name=user.name), url_for("company.index"), user=user)


@bp.route("/users/<int:user_id>/disable", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def disable_user(user_id: int):
    user = scoped_or_404(User, user_id)
    return _toggle_user(user, True, _("%(name)s is disabled and signed out.", name=user.name))


@bp.post("/users/<int:user_id>/enable")
@allow(Role.COMPANY_ADMIN)
def enable_user(user_id: int):
    user = scoped_or_404(User, user_id)
    return _toggle_user(user, False, _("%(name)s can sign in again.", name=user.name))


def _toggle_user(user: User, disabled: bool, success: str):
    return confirm_then_do(
        "company/user_disable.html",
        lambda: accounts.set_user_disabled(current_user, user, disabled),
        success, url_for("company.index"), user=user)
