"""Settings: defaults here, then instance/config.py, then PORTAL_* environment variables.

Any setting can come from PORTAL_<NAME>, read as the type of its value before (bool, int,
float, list or tuple as commas or a JSON array, dict as JSON, timedelta as seconds). The
README lists the settings an operator is expected to change.
"""

import json
import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside debug/testing


class Defaults:
    SECRET_KEY = DEFAULT_SECRET_KEY
    # Former keys, still accepted (never used to sign) while they age out: sessions, device
    # cookies and emailed links signed with them keep working after a rotation.
    SECRET_KEY_FALLBACKS: list = []
    # Empty means the embedded SQLite file instance/portal.sqlite3.
    DATABASE_URL = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Where `portal build` writes the bundles and the app reads them; empty: inside the package
    # (portal/static/dist). Point it outside the install to keep old hashes across releases.
    STATIC_BUILD_DIR = ""
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
    # Implicit TLS from the first byte (port 465), instead of STARTTLS (MAIL_USE_TLS).
    MAIL_SSL = False
    # Seconds an SMTP server may stay silent before the worker gives up on this batch.
    MAIL_TIMEOUT = 20.0
    # `portal worker`: its queue lives in Redis when this is set (redis://host:6379/1),
    # otherwise in the portal's own database (SQLite file beside it, or PostgreSQL tables).
    WORKER_REDIS_URL = ""
    WORKER_THREADS = 2
    # Seconds a worker holds an import it claimed; after that (the worker died) another
    # one takes it over. Longer than the longest commit (100,000 customer rows: 79 s measured).
    WORKER_LEASE_SECONDS = 600
    # Failed deliveries are retried this many times, waiting 1, 2, 4... minutes, then dead.
    WORKER_MAX_ATTEMPTS = 8
    # /readyz reports a problem when no worker wrote its heartbeat for this long.
    WORKER_SEEN_SECONDS = 300
    # Flask-Limiter storage: memory:// for one process, redis://host:6379 for several.
    RATELIMIT_STORAGE_URI = "memory://"
    # /api/v1: requests per token, counted in the limiter's store (README "API").
    API_RATE_LIMIT = "600 per minute"
    # Webhooks: tries before a delivery is dead (30 s, 1 min, 2 min ... between them), the
    # seconds a receiver may take to answer, and whether plain http:// URLs are accepted
    # beyond loopback (never in production).
    WEBHOOK_MAX_ATTEMPTS = 10
    WEBHOOK_TIMEOUT = 10.0
    WEBHOOKS_ALLOW_HTTP = False
    # The seller: its country's VAT rates apply (README "Money"), and the bank details a
    # prepaid order's proforma shows.
    SELLER_COUNTRY = "FR"
    SELLER_NAME = "Portail Pro SAS"
    SELLER_IBAN = "FR76 3000 6000 0112 3456 7890 189"
    SELLER_BIC = "AGRIFRPP"
    # What every invoice prints about the seller (README "Invoices and statements").
    SELLER_ADDRESS = "12 rue des Artisans"
    SELLER_POSTAL_CODE = "69007"
    SELLER_CITY = "Lyon"
    SELLER_SIRET = "12345678900012"
    SELLER_VAT_NUMBER = "FR32123456789"
    SELLER_LEGAL_FORM = "SAS au capital de 50 000 €, RCS Lyon 123 456 789"
    # "portal": invoices are issued here when goods ship; "erp": the seller's ERP issues them.
    INVOICES_ISSUED_BY = "portal"
    # Overdue reminders: days after the due date of each step (hourly in `portal worker`).
    INVOICE_REMINDER_DAYS = (1, 15, 30)
    # An unpaid proforma: reminded after this many days of waiting, cancelled after these.
    PROFORMA_REMINDER_DAYS = 3
    PROFORMA_EXPIRY_DAYS = 7
    # Card payment on Stripe's hosted page (README "Storefronts"): offered only when both keys
    # are set. STRIPE_API_BASE (empty: Stripe's own) points the library at a stand-in of the
    # provider on loopback, for tests and demos; its page's origin is then the checkout's.
    STRIPE_SECRET_KEY = ""
    STRIPE_WEBHOOK_SECRET = ""
    STRIPE_API_BASE = ""
    # Portals sharing one Redis database keep their counts apart with their own prefix.
    RATELIMIT_KEY_PREFIX = ""
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
    # Pins the clock of the delivery promise (cut-off countdown, dates) to an ISO datetime, e.g.
    # "2026-12-10T09:30:00+01:00": for tests and demos only; empty in production.
    CLOCK_NOW = ""
    LANGUAGES = ("fr", "en")
    # Seconds a process keeps the storefronts (host names, colours) before reading them again;
    # an edit is seen at once by the process that made it, by the others within this delay.
    STOREFRONTS_REFRESH_SECONDS = 60
    # The file an edit touches so every process of this machine reads the storefronts again
    # (empty: storefronts.stamp in the instance folder).
    STOREFRONTS_STAMP_FILE = ""
    # Requests a serving process answers before it freezes what it holds for good out of the
    # garbage collector's full passes (portal/memory.py); 0: never.
    GC_FREEZE_AFTER_REQUESTS = 200
    # Number of reverse proxies in front of gunicorn whose X-Forwarded-* headers are trusted.
    PROXY_COUNT = 0
    # Argon2id cost; tests lower it to stay fast.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_KIB = 65536
    # Hours before an approver gets a reminder about a waiting order.
    APPROVAL_REMINDER_HOURS = 24
    # Hours an approval email's one-decision link stays usable (README "Approve from the email").
    APPROVAL_LINK_HOURS = 72
    # Days after a delivery during which the buyer may report a short, damaged or wrong line
    # (services/claims).
    CLAIM_WINDOW_DAYS = 14
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # Stored files (product images and documents, pages, attachments; README "Stored files"):
    # "local" keeps them under STORAGE_DIR (empty: instance/media), "s3" in an S3-compatible
    # bucket that every host shares. STORAGE_PUBLIC_URL, when a CDN or the bucket serves the
    # public files itself, replaces the portal's /media/ in their links.
    STORAGE_BACKEND = "local"
    STORAGE_DIR = ""
    STORAGE_PUBLIC_URL = ""
    STORAGE_S3_ENDPOINT_URL = ""
    STORAGE_S3_BUCKET = ""
    STORAGE_S3_ACCESS_KEY = ""
    STORAGE_S3_SECRET_KEY = ""  # noqa: S105 - empty: set by the operator
    STORAGE_S3_REGION = ""
    # Uploads larger than these are refused (413) before anything is stored.
    STORAGE_MAX_IMAGE_BYTES = 10_000_000
    STORAGE_MAX_PDF_BYTES = 20_000_000
    # A CSV import of media may name https URLs: the worker downloads each within this many
    # seconds, from public addresses only. MEDIA_FETCH_LOOPBACK (tests only, refused
    # otherwise) also lets it fetch plain http from 127.0.0.1.
    MEDIA_FETCH_TIMEOUT = 10
    MEDIA_FETCH_LOOPBACK = False
    # "text" (one line, key=value context) or "json" (one object per line, for a collector).
    LOG_FORMAT = "text"
    LOG_LEVEL = "INFO"
    # /metrics: with a token, only `Authorization: Bearer <token>` gets it; without one, only
    # direct (unproxied) requests from loopback. Anyone else gets a 404.
    METRICS_TOKEN = ""
    # Error reporting to Sentry (pip install "portal[sentry]") when set.
    SENTRY_DSN = ""
    SENTRY_ENVIRONMENT = "production"
    SENTRY_TRACES_SAMPLE_RATE = 0.0


STOCK_DETAILS = ("presence", "quantity")
LOG_FORMATS = ("text", "json")


def check_settings(settings) -> None:
    """Refuse to start on a setting whose value would silently mean something else."""
    if settings.get("LOG_FORMAT", "text") not in LOG_FORMATS:
        raise RuntimeError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, "
                           f"not {settings['LOG_FORMAT']!r}.")
    if settings.get("STORAGE_BACKEND", "local") not in ("local", "s3"):
        raise RuntimeError(f"STORAGE_BACKEND must be local or s3, not "
                           f"{settings['STORAGE_BACKEND']!r}.")
    if settings.get("MEDIA_FETCH_LOOPBACK") and not settings.get("TESTING"):
        raise RuntimeError("MEDIA_FETCH_LOOPBACK is for tests only (it lets imports fetch "
                           "from this host).")
    if settings["PUBLIC_STOCK_DETAIL"] not in STOCK_DETAILS:
        raise RuntimeError(f"PUBLIC_STOCK_DETAIL must be one of {', '.join(STOCK_DETAILS)}, "
                           f"not {settings['PUBLIC_STOCK_DETAIL']!r}.")


# PORTAL_* variables that are not settings: read by the CLI, gunicorn_conf.py, the tests.
NOT_SETTINGS = {"INSTANCE_PATH", "DEMO", "TEST_DATABASE_URL", "CHROMIUM", "BIND"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingError(RuntimeError):
    """A PORTAL_* variable whose text cannot be read as its setting's type."""


def parse_value(name: str, raw: str, current):
    """`raw` read as the type of the setting's current value (its default or the file's)."""
    try:
        if isinstance(current, bool):
            word = raw.strip().lower()
            if word not in _TRUE | _FALSE:
                raise ValueError("expected 1/0, true/false, yes/no or on/off")
            return word in _TRUE
        if isinstance(current, int):
            return int(raw.strip())
        if isinstance(current, float):
            return float(raw.strip())
        if isinstance(current, timedelta):
            return timedelta(seconds=int(raw.strip()))
        if isinstance(current, list | tuple):
            # A JSON array when it looks like one (a value may contain a comma), else commas.
            items = (json.loads(raw) if raw.lstrip().startswith("[")
                     else [part.strip() for part in raw.split(",") if part.strip()])
            if not isinstance(items, list):
                raise ValueError("expected a JSON array or comma-separated values")
            return type(current)(items)
        if isinstance(current, dict):
            value = json.loads(raw)
            if not isinstance(value, dict):
                raise ValueError("expected a JSON object")
            return value
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        raise SettingError(f"PORTAL_{name}={raw!r} is not a valid {type(current).__name__} "
                           f"for {name}: {error}") from None
    return raw


def defaults() -> dict:
    return {name: getattr(Defaults, name) for name in dir(Defaults) if name.isupper()}


def _setting_variables(environ):
    for variable, raw in sorted(environ.items()):
        name = variable.removeprefix("PORTAL_")
        if variable.startswith("PORTAL_") and name not in NOT_SETTINGS:
            yield variable, name, raw


def from_environment(environ=os.environ, current: dict | None = None) -> dict:
    """Every PORTAL_<NAME> naming a known setting, converted to the type of its value in
    `current` (the app's config so far; the defaults when not given)."""
    current = defaults() if current is None else current
    return {name: parse_value(name, raw, current[name])
            for _variable, name, raw in _setting_variables(environ) if name in current}


def unknown_variables(current: dict, environ=os.environ) -> list[str]:
    """PORTAL_* names that match no setting (reported at start: a typo must not go unseen)."""
    return [variable for variable, name, _raw in _setting_variables(environ)
            if name not in current]


def secret_keys(settings) -> list[str]:
    """SECRET_KEY, then the SECRET_KEY_FALLBACKS: what our own signatures are checked with
    (itsdangerous wants the reverse order: the signing key last)."""
    return [settings["SECRET_KEY"], *(settings.get("SECRET_KEY_FALLBACKS") or [])]


def link_serializer(settings, salt: str):
    """Signs the tokens of links sent by e-mail (SHA-256, with `salt` keeping each kind
    apart); accepts every key of `secret_keys` and signs with SECRET_KEY."""
    import hashlib

    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(list(reversed(secret_keys(settings))), salt=salt,
                             signer_kwargs={"digest_method": hashlib.sha256})
