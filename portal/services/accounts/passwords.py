"""Password hashing (argon2id) and the password policy (ASVS 6.2: length, common lists)."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 128

# Passwords people pick first; a longer list would live in a data file.
COMMON = {
    "motdepasse123", "motdepasse1234", "password1234", "password12345", "passwordpassword",
    "azertyuiop12", "azertyuiop123", "qwertyuiop12", "qwertyuiop123", "123456789012",
    "1234567890123", "azerty123456", "qwerty123456", "bonjour12345", "soleil123456",
    "iloveyou1234", "administrator", "changeme1234", "welcome12345", "bienvenue123",
    "bienvenue1234", "chantier1234", "restaurant12", "portail12345", "demo-password",
}


@cache
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def hasher() -> PasswordHasher:
    cfg = current_app.config
    return _hasher(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_KIB"])


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Every answer costs one argon2 verification, even for an account without a password
    (a pending applicant, an invited user): a quick "no" would tell who they are."""
    if not stored_hash:
        burn_time(password)
        return False
    try:
        return hasher().verify(stored_hash, password)
    except VerificationError:
        return False
    except InvalidHashError:
        burn_time(password)
        return False


# Verified when there is no real hash to check, so every failed answer takes the same time.
_DUMMY_HASH_CACHE: dict = {}


def burn_time(password: str) -> None:
    key = (current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_KIB"])
    if key not in _DUMMY_HASH_CACHE:
        _DUMMY_HASH_CACHE[key] = hash_password("not-a-real-password-at-all")
    verify_password(_DUMMY_HASH_CACHE[key], password)


def policy_problem(password: str, email: str = "") -> str | None:
    """Why this password is refused, or None. Messages are translated."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)s characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)s characters.", n=MAX_LENGTH)
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) <= 2:
        return _("This password is too common. Choose another one.")
    if email and lowered == email.lower():
        return _("Your password must differ from your email.")
    return None
