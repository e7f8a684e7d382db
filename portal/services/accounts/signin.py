"""Sign-in, password reset and invitations. Use cases: they change the session, never commit."""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from portal.config import secret_keys
from portal.extensions import db
from portal.models import TokenPurpose, User, UserToken
from portal.security import end_all_sessions
from portal.services import DomainError
from portal.services.accounts.passwords import (
    burn_time,
    hash_password,
    policy_problem,
    verify_password,
)
from portal.services.messaging import email_link, queue_email


def find_user_by_email(email: str) -> User | None:
    email = (email or "").strip().lower()
    if not email or len(email) > 254:
        return None
    return db.session.scalar(select(User).where(User.email == email))


def authenticate(email: str, password: str) -> User | None:
    """The user if the pair is right and the account usable; None otherwise, whatever the cause.

    Unknown email, wrong password and disabled account take the same time and look the same.
    """
    user = find_user_by_email(email)
    if user is None:
        burn_time(password)
        return None
    if not verify_password(user.password_hash, password) or user.disabled:
        return None
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _binding(user: User, nonce: str, key: str | None = None) -> str:
    """A keyed fingerprint of the account's password hash as it is now: once the password
    is set or changed (by this link, another link or the account page), every link issued
    before no longer matches, without a list of links to find and revoke."""
    key = (key or current_app.config["SECRET_KEY"]).encode()
    message = f"{user.id}:{nonce}:{user.password_hash or ''}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def issue_token(user: User, purpose: TokenPurpose, now: datetime | None = None) -> str:
    """A link secret "<nonce>.<binding>"; only its digest is stored."""
    now = now or datetime.now(UTC)
    hours = current_app.config[
        "RESET_TOKEN_HOURS" if purpose == TokenPurpose.RESET else "INVITE_TOKEN_HOURS"
    ]
    nonce = secrets.token_urlsafe(32)
    token = f"{nonce}.{_binding(user, nonce)}"
    db.session.add(UserToken(user_id=user.id, purpose=purpose, token_hash=_digest(token),
                             expires_at=now + timedelta(hours=hours)))
    return token


def request_password_reset(email: str) -> None:
    """Queue a reset email if the account exists; the caller answers the same either way."""
    user = find_user_by_email(email)
    if user is None or user.disabled:
        return
    token = issue_token(user, TokenPurpose.RESET)
    link = email_link("auth.set_password", for_user=user, token=token)
    queue_email("reset", user.email, user.language or "fr", "reset_password", user=user,
                link=link, hours=current_app.config["RESET_TOKEN_HOURS"])


def send_invitation(user: User, invited_by: User | None = None) -> None:
    token = issue_token(user, TokenPurpose.INVITE)
    link = email_link("auth.set_password", for_user=user, token=token)
    queue_email("invite", user.email, user.language or "fr", "invite", user=user, link=link,
                invited_by=invited_by, days=current_app.config["INVITE_TOKEN_HOURS"] // 24)


def token_user(token: str, now: datetime | None = None) -> UserToken | None:
    """The live token row (unused, unexpired, account enabled), or None."""
    now = now or datetime.now(UTC)
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(UserToken).where(UserToken.token_hash == _digest(token)))
    if row is None or row.used_at is not None or row.expires_at <= now or row.user.disabled:
        return None
    nonce, _dot, binding = token.partition(".")
    # A link sent before a key rotation still opens while its key is in SECRET_KEY_FALLBACKS.
    if not any(hmac.compare_digest(binding, _binding(row.user, nonce, key))
               for key in secret_keys(current_app.config)):
        return None  # the password changed since this link was sent
    return row


def set_password_with_token(token: str, password: str, now: datetime | None = None) -> User:
    """Use the token once, set the password, end every other session.

    The view signs the user in right away (the link proved the mailbox): a sign-in at `now`.
    """
    now = now or datetime.now(UTC)
    row = token_user(token, now)
    if row is None:
        raise DomainError(_("This link has expired or was already used."))
    problem = policy_problem(password, row.user.email)
    if problem:
        raise DomainError(problem)
    # Conditional update: of two tabs using the same link, only one wins.
    claimed = db.session.execute(
        update(UserToken).where(UserToken.id == row.id, UserToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        raise DomainError(_("This link has expired or was already used."))
    user = row.user
    user.password_hash = hash_password(password)
    user.last_login_at = now
    end_all_sessions(user)
    return user


class WrongCurrentPassword(DomainError):
    """The account page's current password did not match (the view counts these)."""


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise WrongCurrentPassword(_("Your current password is not right."))
    problem = policy_problem(new, user.email)
    if problem:
        raise DomainError(problem)
    user.password_hash = hash_password(new)
    end_all_sessions(user)
