"""Settings: defaults here, then instance/config.py, then PORTAL_* environment variables.

Every setting is listed in the README with its variable.
"""

import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside debug/testing


class Defaults:
    SECRET_KEY = DEFAULT_SECRET_KEY
    # Empty means the embedded SQLite file instance/portal.sqlite3.
    DATABASE_URL = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Public base URL used in emails (never the request's Host header).
    BASE_URL = "http://127.0.0.1:8000"
    # Anonymous visitors may browse the catalog (without prices).
    PUBLIC_CATALOG = True
    # What anonymous visitors learn of stock: "presence" (in stock / on order) or "quantity"
    # (the counts per warehouse that customers see).
    PUBLIC_STOCK_DETAIL = "presence"
    MAIL_HOST = "127.0.0.1"
    MAIL_PORT = 1025
    MAIL_FROM = "Portail Pro <no-reply@portal.test>"
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    # Flask-Limiter storage: memory:// for one process, redis://host:6379 for several.
    RATELIMIT_STORAGE_URI = "memory://"
    # Redis unreachable: count in memory (per process) until it answers again, not a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;100 per hour"
    # Failed sign-ins per address and account together: stops a guesser without locking the
    # owner out from elsewhere.
    LOGIN_PAIR_RATE_LIMIT = "5 per minute;30 per hour"
    # Failed sign-ins per account from browsers that never signed in to it (SECURITY.md's
    # cap); browsers that did are counted by the pair limit only, so the owner is never locked.
    ACCOUNT_LOGIN_RATE_LIMIT = "100 per hour"
    # Wrong current passwords on the account page, per account.
    PASSWORD_CHECK_RATE_LIMIT = "5 per 15 minutes"  # noqa: S105 - a rate, not a secret
    # Reset links live one hour, invitations seven days.
    RESET_TOKEN_HOURS = 1
    INVITE_TOKEN_HOURS = 24 * 7
    # Buyers in the field keep a longer session than seller staff.
    BUYER_SESSION_HOURS = 12
    STAFF_SESSION_MINUTES = 30
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # 500 quick-order lines or a CSV of a few MB fit; larger bodies get a 413 page.
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    MAX_FORM_PARTS = 2000
    WTF_CSRF_TIME_LIMIT = 3600
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")
    # Number of reverse proxies in front of gunicorn whose X-Forwarded-* headers are trusted.
    PROXY_COUNT = 0
    # Argon2id cost; tests lower it to stay fast.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_KIB = 65536
    # Hours before an approver gets a reminder about a waiting order.
    APPROVAL_REMINDER_HOURS = 24
    SQLALCHEMY_TRACK_MODIFICATIONS = False


# Environment variables read on top of the file config: PORTAL_<NAME>.
ENV_SETTINGS = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "BASE_URL": str,
    "PUBLIC_CATALOG": "bool",
    "PUBLIC_STOCK_DETAIL": str,
    "MAIL_HOST": str,
    "MAIL_PORT": int,
    "MAIL_FROM": str,
    "MAIL_USE_TLS": "bool",
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "RATELIMIT_STORAGE_URI": str,
    "LOGIN_RATE_LIMIT": str,
    "LOGIN_PAIR_RATE_LIMIT": str,
    "ACCOUNT_LOGIN_RATE_LIMIT": str,
    "PASSWORD_CHECK_RATE_LIMIT": str,
    "SESSION_COOKIE_SECURE": "bool",
    "REMEMBER_COOKIE_SECURE": "bool",
    "PROXY_COUNT": int,
    "MAX_CONTENT_LENGTH": int,
    "APPROVAL_REMINDER_HOURS": int,
    "BUYER_SESSION_HOURS": int,
    "STAFF_SESSION_MINUTES": int,
}


STOCK_DETAILS = ("presence", "quantity")


def check_settings(settings) -> None:
    """Refuse to start on a setting whose value would silently mean something else."""
    if settings["PUBLIC_STOCK_DETAIL"] not in STOCK_DETAILS:
        raise RuntimeError(f"PUBLIC_STOCK_DETAIL must be one of {', '.join(STOCK_DETAILS)}, "
                           f"not {settings['PUBLIC_STOCK_DETAIL']!r}.")


def from_environment(environ=os.environ) -> dict:
    """Collect PORTAL_* variables, converted to the type of each setting."""
    found = {}
    for name, kind in ENV_SETTINGS.items():
        raw = environ.get(f"PORTAL_{name}")
        if raw is None:
            continue
        if kind == "bool":
            found[name] = raw.strip().lower() in {"1", "true", "yes", "on"}
        else:
            found[name] = kind(raw)
    return found
