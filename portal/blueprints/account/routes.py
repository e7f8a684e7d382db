"""My account: language, password, sign out; a buyer's own limits and budget."""

from datetime import UTC, datetime

from flask import current_app, g, session, url_for
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
from portal.extensions import limiter
from portal.rendering import render
from portal.security import retry_after_seconds
from portal.services.accounts import WrongCurrentPassword, change_password
from portal.services.approvals import limits_of
from portal.usecases import form_page, moved_on


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
    return isinstance(g.get("refusal"), WrongCurrentPassword)


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

    return form_page(form, lambda: change_password(current_user, form.current.data,
                                                   form.password.data),
                     page=lambda error: render("account/index.html", form=form, limits=limits_of(
                         current_user, datetime.now(UTC))),
                     done=_signed_in_again, fallback="password")


def _signed_in_again(_result):
    """Other devices are signed out; this one gets a fresh session. (The real object, not the
    proxy: login_user(current_user) would make the proxy point at itself.)"""
    user = current_user._get_current_object()
    session.clear()
    login_user(user)
    return moved_on(_("Your password is changed. Other devices are signed out."),
                    url_for("account.index"))
