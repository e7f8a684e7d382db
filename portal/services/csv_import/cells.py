"""Strict parsers for one cell of an imported file (and for the catalog's edit forms).

Each takes the stripped text of a cell and returns a plain value, or raises `CellProblem`
with a short reason that the report shows next to the line number and column. Money is
parsed to integer cents from the decimal text itself: no float is ever involved.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from portal.services import DomainError

_MONEY = re.compile(r"([0-9]{1,7})(?:[.,]([0-9]{1,2}))?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SKU = re.compile(r"[A-Z0-9][A-Z0-9._/-]*")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
TRUE = frozenset({"1", "yes", "y", "true", "oui", "o", "vrai", "x"})
FALSE = frozenset({"0", "no", "n", "false", "non", "faux"})


class CellProblem(DomainError):
    """This cell cannot be used; the message says why."""


def text(value: str, max_len: int, required: bool = False) -> str:
    """Kept as typed. A cell starting with = + - or @ is data like any other: exports neutralize
    it when writing CSV; the HTML templates escape it."""
    if required and not value:
        raise CellProblem(_("required"))
    if len(value) > max_len:
        raise CellProblem(_("too long (at most %(n)s characters)", n=max_len))
    return value


# A product's service interval, in months: the back-office form and the products import.
INTERVAL_MONTHS = (1, 120)


def integer(value: str, minimum: int, maximum: int) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise CellProblem(_("a whole number is expected (digits only)"))
    number = int(value)
    if not minimum <= number <= maximum:
        raise CellProblem(_("must be between %(lo)s and %(hi)s", lo=minimum, hi=maximum))
    return number


def boolean(value: str) -> bool:
    folded = value.lower()
    if folded in TRUE:
        return True
    if folded in FALSE:
        return False
    raise CellProblem(_("yes or no is expected"))


def money(value: str) -> int:
    """'12,50', '12.50', '12.5' and '12' in euros -> cents. No thousands separators, no sign."""
    match = _MONEY.fullmatch(value)
    if match is None:
        raise CellProblem(_("an amount like 12,50 is expected (2 decimals at most, no thousands separator)"))  # noqa: E501
    whole, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(fraction)


def email(value: str) -> str:
    value = value.lower()
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise CellProblem(_("not a valid email address"))
    return value


def sku(value: str) -> str:
    value = value.upper()
    if not value:
        raise CellProblem(_("required"))
    if len(value) > 40 or not _SKU.fullmatch(value):
        raise CellProblem(_("letters, digits and . _ / - only, at most 40"))
    return value


def code(value: str, max_len: int = 40) -> str:
    if not value:
        raise CellProblem(_("required"))
    if len(value) > max_len or not _CODE.fullmatch(value):
        raise CellProblem(_("not a valid code"))
    return value


def gtin(value: str) -> str:
    """GTIN-8, 12, 13 or 14 digits with a valid check digit."""
    if not (value.isascii() and value.isdigit()) or len(value) not in (8, 12, 13, 14):
        raise CellProblem(_("a GTIN has 8, 12, 13 or 14 digits"))
    digits = [int(d) for d in value]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    if (10 - total % 10) % 10 != check:
        raise CellProblem(_("the GTIN check digit is wrong"))
    return value


def choice(value: str, options) -> str:
    folded = value.lower()
    if folded not in options:
        raise CellProblem(_("one of: %(options)s", options=", ".join(options)))
    return folded


def allowed_multiples(case_pack: int) -> tuple[int, ...]:
    """The steps a quantity may move by: the unit, half a case (even packs), a full case."""
    steps = {1, case_pack}
    if case_pack % 2 == 0:
        steps.add(case_pack // 2)
    return tuple(sorted(steps))


def order_multiple_problem(case_pack: int, order_multiple: int) -> str | None:
    if order_multiple not in allowed_multiples(case_pack):
        return _("must be %(options)s for a case of %(pack)s",
                 options=" / ".join(str(s) for s in allowed_multiples(case_pack)), pack=case_pack)
    return None
