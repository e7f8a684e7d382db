"""Quantities typed by people: ASCII digits only, within bounds.

WTForms' IntegerField accepts '١٢', '１２' and '1_000' (Python's int() does); we do not.
"""

from flask_babel import gettext as _

from portal.services import DomainError

MAX_QUANTITY = 99_999


def parse_quantity(raw, maximum: int = MAX_QUANTITY) -> int:
    text = (raw if isinstance(raw, str) else str(raw if raw is not None else "")).strip()
    if not text:
        raise DomainError(_("Enter a quantity."))
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise DomainError(_("Enter a whole number of units, digits only."))
    value = int(text)
    if value < 1:
        raise DomainError(_("The quantity must be at least 1."))
    if value > maximum:
        raise DomainError(_("The quantity cannot exceed %(max)s.", max=maximum))
    return value
