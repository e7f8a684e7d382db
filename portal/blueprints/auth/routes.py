"""Sign in and out, forgotten password, invitations, language switch."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from portal.access import PUBLIC, SIGNED_IN, allow
from portal.blueprints.auth import bp
from portal.blueprints.auth.devices import is_known_device, remember_device
from portal.blueprints.auth.forms import ForgotForm, LoginForm, SetPasswordForm
from portal.errors import error_response
from portal.extensions import db, limiter
from portal.rendering import render
from portal.security import end_all_sessions, retry_after_seconds
from portal.services import accounts, storefronts
from portal.usecases import form_page
from portal.web import current_front


def _safe_next(target: str | None) -> str:
    """Only a local path: never an absolute URL or a scheme-relative one."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


def _login_pair_key() -> str:
    """The address and the account together: an attacker hammering one account is stopped
    without locking its owner, who signs in from elsewhere (an account-wide count would let
    anyone lock anyone out)."""
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"login:{get_remote_address()}:{email}"


def _login_account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:254]


def _failed_login(response) -> bool:
    return response.status_code == 422


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"],
               deduct_when=_failed_login)
@limiter.limit(lambda: current_app.config["LOGIN_PAIR_RATE_LIMIT"], methods=["POST"],
               key_func=_login_pair_key, deduct_when=_failed_login)
@limiter.limit(lambda: current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"], methods=["POST"],
               key_func=_login_account_key, deduct_when=_failed_login,
               exempt_when=is_known_device)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method != "POST":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None and not storefronts.may_sign_in(user, current_front()):
            user = None  # another storefront's account: the same answer as a wrong password
        if user is not None:
            lang = session.get("lang")
            session.clear()  # no fixation: a fresh session for the signed-in user
            login_user(user, remember=form.remember.data)
            session["seen"] = int(datetime.now(UTC).timestamp())
            if lang and not user.language:
                user.language = lang
            user.last_login_at = datetime.now(UTC)
            db.session.commit()
            return remember_device(redirect(_safe_next(form.next.data), 303), user.email)
        form.password.errors.append(_("Wrong email or password."))
        return render("auth/login.html", form=form, status_code=422)
    status = 422 if form.is_submitted() else 200
    return render("auth/login.html", form=form, status_code=status)


@bp.errorhandler(429)
def _sign_in_paused(e):
    """A paused sign-in still offers the way in that no sign-in limit blocks: a reset link
    sent to the owner's mailbox."""
    seconds = retry_after_seconds()
    minutes = max(1, round(seconds / 60))
    detail = ngettext("Too many failed sign-ins. Please try again in %(num)s minute, or get "
                      "a link by email to set a new password.",
                      "Too many failed sign-ins. Please try again in %(num)s minutes, or get "
                      "a link by email to set a new password.", minutes)
    return error_response(429, detail, headers={"Retry-After": str(seconds)},
                          template="auth/login_limited.html")


@bp.post("/logout")
@allow(SIGNED_IN)
def logout():
    end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    response = redirect(url_for("auth.login"), 303)
    # Nothing of this user stays on the phone: the pages kept for offline reading, the
    # changes waiting to be sent, the service worker (static/js/offline.js).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/password/forgot", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit("5 per minute;30 per hour", methods=["POST"])
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the address has an account.
        return render("auth/forgot_sent.html", email=form.email.data)
    return render("auth/forgot.html", form=form, status_code=422 if form.is_submitted() else 200)


@bp.route("/password/set/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit("20 per hour", methods=["POST"])
def set_password(token: str):
    row = accounts.token_user(token)
    if row is None:
        return render("auth/link_expired.html", status_code=410)
    form = SetPasswordForm()
    return form_page(form, lambda: accounts.set_password_with_token(
                         token, form.password.data, datetime.now(UTC)),
                     page=lambda error: render("auth/set_password.html", form=form,
                                               user=row.user),
                     done=_signed_in_with_new_password, fallback="password")


def _signed_in_with_new_password(user):
    """The link proved the mailbox and the password was just chosen: signed in on a fresh
    session (no fixation), like a sign-in, instead of typing it again."""
    lang = session.get("lang")
    logout_user()
    session.clear()
    login_user(user)
    session["seen"] = int(datetime.now(UTC).timestamp())
    if lang:
        session["lang"] = lang
    flash(_("Your password is set. Welcome!"), "success")
    return remember_device(redirect(url_for("home.index"), 303), user.email)


@bp.post("/language")
@allow(PUBLIC)
def switch_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.language = lang
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")), 303)
