"""My account: language, password, sign out; a buyer's own limits and budget."""

from datetime import UTC, datetime

from flask import current_app, flash, g, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.access import SIGNED_IN, allow
from portal.blueprints.account import bp
from portal.errors import error_response
from portal.extensions import db, limiter
from portal.rendering import render
from portal.security import retry_after_seconds
from portal.services import DomainError
from portal.services.accounts import WrongCurrentPassword, change_password
from portal.services.approvals import limits_of


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two entries differ."))],
        render_kw={"autocomplete": "new-password"},
    )


def _password_check_key() -> str:
    return f"current-password:{current_user.get_id().partition(':')[0]}"


def _wrong_current_password(response) -> bool:
    return bool(g.get("wrong_current_password"))


@bp.errorhandler(429)
def _password_check_paused(e):
    seconds = retry_after_seconds()
    minutes = max(1, round(seconds / 60))
    detail = ngettext("Too many wrong current passwords. Please try again in %(num)s minute.",
                      "Too many wrong current passwords. Please try again in %(num)s minutes.",
                      minutes)
    return error_response(429, detail, headers={"Retry-After": str(seconds)})


@bp.route("/", methods=["GET", "POST"])
@allow(SIGNED_IN)
@limiter.limit(lambda: current_app.config["PASSWORD_CHECK_RATE_LIMIT"], methods=["POST"],
               key_func=_password_check_key, deduct_when=_wrong_current_password)
def index():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.password.data)
        except DomainError as exc:
            db.session.rollback()
            g.wrong_current_password = isinstance(exc, WrongCurrentPassword)
            form.password.errors.append(str(exc))
        else:
            db.session.commit()
            # Other devices are signed out; this one gets a fresh session. (The real object,
            # not the proxy: login_user(current_user) would make the proxy point at itself.)
            user = current_user._get_current_object()
            session.clear()
            login_user(user)
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("account.index"), 303)
    status = 422 if form.is_submitted() else 200
    return render("account/index.html", form=form, status_code=status,
                  limits=limits_of(current_user, datetime.now(UTC)))
