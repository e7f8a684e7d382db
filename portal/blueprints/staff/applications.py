"""Account applications queue: approve with the proposed terms in one tap, or reject."""

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms import ApproveForm, RejectForm, term_choices
from portal.models import AccountApplication, Role
from portal.rendering import render, wants_fragment
from portal.services import backoffice
from portal.usecases import run

DECIDED_SHOWN = 10
PENDING_SHOWN = 100


def _approve_form(application, choices, formdata=None) -> ApproveForm:
    form = ApproveForm(formdata=formdata, prefix=f"a{application.id}").use_choices(choices)
    if formdata is None:
        defaults = backoffice.approval_defaults(application.company.trade,
                                             set(choices["group_codes"]))
        form.fill(choices["group_codes"].get(defaults.group_code), None,
                  defaults.payment_terms, defaults.credit_limit_cents)
    return form


def _application_or_404(application_id: int) -> AccountApplication:
    application = backoffice.find_application(application_id)
    if application is None:
        abort(404)
    return application


def _card(application, status_code=200, **ctx):
    """The card alone for an htmx swap; otherwise back to the queue (post → redirect → get)."""
    if wants_fragment():
        return render_template("staff/_application_card.html", application=application,
                               **ctx), status_code, {"Vary": "HX-Request"}
    message = ctx.get("message") or ctx.get("problem")
    if message:
        flash(message, "error" if ctx.get("problem") else "success")
    return redirect(url_for("staff.applications"), 303)


def _queue(forms: dict | None = None, status_code: int = 200):
    pending, decided = backoffice.application_queue(PENDING_SHOWN, DECIDED_SHOWN)
    choices = term_choices()
    shown = {a.id: _approve_form(a, choices) for a in pending}
    shown.update(forms or {})
    return render("staff/applications.html", pending=pending, decided=decided, forms=shown,
                  status_code=status_code)


@bp.get("/applications")
@allow(Role.STAFF_ADMIN)
def applications():
    return _queue()


@bp.post("/applications/<int:application_id>/approve")
@allow(Role.STAFF_ADMIN)
def approve_application(application_id: int):
    application = _application_or_404(application_id)
    choices = term_choices()
    form = ApproveForm(prefix=f"a{application.id}").use_choices(choices)
    if not form.validate():
        if not wants_fragment():
            return _queue({application.id: form}, 422)
        return _card(application, 422, form=form, open_terms=True)
    return run(lambda: backoffice.approve_application(
                   application.id, current_user, backoffice.ApprovalChoice(**form.values()),
                   datetime.now(UTC)),
               refused=lambda problem: _refused_card(application_id, problem),
               done=lambda _result: _card(application, message=_(
                   "%(company)s is approved; the invitation is on its way.",
                   company=application.company.name)),
               status=409)


def _refused_card(application_id: int, problem):
    """Someone decided first: the card as it is now, with why."""
    return _card(backoffice.find_application(application_id), problem=str(problem))


@bp.route("/applications/<int:application_id>/reject", methods=["GET", "POST"])
@allow(Role.STAFF_ADMIN)
def reject_application(application_id: int):
    application = _application_or_404(application_id)
    form = RejectForm(prefix=f"r{application.id}")
    if form.validate_on_submit():
        return run(lambda: backoffice.reject_application(
                       application.id, current_user, form.reason.data, datetime.now(UTC)),
                   refused=lambda problem: _refused_card(application_id, problem),
                   done=lambda _result: _card(application, message=_(
                       "The application of %(company)s is rejected.",
                       company=application.company.name)),
                   status=409)
    status = 422 if form.is_submitted() else 200
    if wants_fragment():
        return render_template("staff/_application_card.html", application=application,
                               reject_form=form), status, {"Vary": "HX-Request"}
    return render("staff/reject.html", application=application, reject_form=form,
                  status_code=status)
