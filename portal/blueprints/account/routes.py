"""My account: language, password, sign out; a buyer's own limits and budget."""

from datetime import UTC, datetime

from flask import flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.access import SIGNED_IN, allow
from portal.blueprints.account import bp
from portal.extensions import db
from portal.rendering import render
from portal.services import DomainError
from portal.services.accounts import change_password
from portal.services.buyer_limits import limits_of


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


@bp.route("/", methods=["GET", "POST"])
@allow(SIGNED_IN)
def index():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.password.data)
        except DomainError as exc:
            db.session.rollback()
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
