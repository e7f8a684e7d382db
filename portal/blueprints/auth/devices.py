"""Known devices: a browser where an account signed in before.

SECURITY.md caps failed sign-ins per account (100 an hour), and the issue of targeted
lockouts asks that a stranger hammering an account never locks its owner out. Both hold
when the account-wide cap counts only browsers the account has never signed in from: a
successful sign-in leaves a signed cookie naming the account (as a keyed digest, not the
address), and a sign-in from that browser is counted per address and account only. An owner
on a new device who meets the cap is offered a reset link by email, which no cap blocks.
"""

import hashlib
import hmac

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from portal.config import secret_keys

COOKIE = "portal_device"
MAX_AGE = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    # Signed with SECRET_KEY, still read when signed with a SECRET_KEY_FALLBACKS key.
    return URLSafeSerializer(list(reversed(secret_keys(current_app.config))), salt="known-device")


def _account_digests(email: str) -> set[str]:
    """The digest under every accepted key: a key rotation does not forget known devices."""
    return {_account_digest(email, key) for key in secret_keys(current_app.config)}


def _account_digest(email: str, key: str | None = None) -> str:
    key = str(key or current_app.secret_key).encode()
    normalised = (email or "").strip().lower()[:254].encode()
    return hmac.new(key, normalised, hashlib.sha256).hexdigest()[:32]


def is_known_device() -> bool:
    """Whether this browser signed in before to the account named in the sign-in form."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return False
    try:
        accounts = _serializer().loads(raw)
    except BadSignature:
        return False
    return isinstance(accounts, list) and bool(
        _account_digests(request.form.get("email", "")) & set(accounts))


def remember_device(response, email: str):
    """After a successful sign-in: this browser is known to the account (up to 5 accounts)."""
    accounts = []
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            loaded = _serializer().loads(raw)
            accounts = [a for a in loaded if isinstance(a, str)] if isinstance(loaded, list) else []
        except BadSignature:
            accounts = []
    digest, known = _account_digest(email), _account_digests(email)
    accounts = [digest, *[a for a in accounts if a not in known]][:5]
    response.set_cookie(COOKIE, _serializer().dumps(accounts), max_age=MAX_AGE, httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax")
    return response
