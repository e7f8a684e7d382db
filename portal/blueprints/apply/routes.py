"""Open a trade account: a public form; staff review the application in the back office."""

from flask import redirect, url_for
from flask_babel import get_locale
from sqlalchemy.exc import IntegrityError

from portal.access import PUBLIC, allow
from portal.blueprints.apply import bp
from portal.blueprints.apply.forms import ApplicationForm
from portal.extensions import db, limiter
from portal.rendering import render
from portal.services import backoffice
from portal.services.accounts import find_user_by_email
from portal.usecases import at_field, run


def _data(form: ApplicationForm) -> backoffice.ApplicationData:
    return backoffice.ApplicationData(**{name: form[name].data or "" for name in (
        "company_name", "legal_id", "trade", "address_line", "postal_code", "city",
        "contact_name", "email", "phone")})


def _legal_id_error(form: ApplicationForm) -> bool:
    check = backoffice.check_legal_id(form.legal_id.data)
    if check.problem:
        form.legal_id.errors = [*form.legal_id.errors, backoffice.legal_id_message(check)]
    return bool(check.problem)


def _tell_owner(email: str) -> None:
    owner = find_user_by_email(email)
    if owner is not None:
        backoffice.tell_owner_of_application(owner)
        db.session.commit()


@bp.route("/", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit("5 per hour", methods=["POST"])
def index():
    form = ApplicationForm()
    if form.is_submitted():
        valid = form.validate()
        # Always say what is wrong with the SIRET/VAT, even when other fields are missing.
        if not form.legal_id.errors and form.legal_id.data and _legal_id_error(form):
            valid = False
        if valid:
            try:
                return run(lambda: backoffice.submit_application(_data(form), str(get_locale())),
                           refused=lambda problem: _form_again(form, problem),
                           done=lambda _result: redirect(url_for("apply.sent"), 303))
            except IntegrityError:  # the same email registered a moment ago: the same answer
                db.session.rollback()
                _tell_owner(form.email.data)
                return redirect(url_for("apply.sent"), 303)
        return render("apply/index.html", form=form, status_code=422)
    return render("apply/index.html", form=form)


def _form_again(form, problem):
    """The form with the refusal under its field (the email when it names none)."""
    at_field(form, problem, "email")
    return render("apply/index.html", form=form)


@bp.get("/sent")
@allow(PUBLIC)
def sent():
    return render("apply/sent.html")
