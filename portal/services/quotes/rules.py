"""The quotes' pure rules: typed prices and discounts, validity dates, what changed between
two versions. Plain values in, values out (or ValueError with the message to show)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

# A unit price above this is a typing mistake, whatever the product.
MAX_PRICE_CENTS = 10_000_000  # 100,000.00 per unit
# ... and so is a quoted price this many times the customer's own price.
MAX_OVER_LIST = 10
VALID_DAYS_MAX = 365
_SPACES = re.compile(r"[\s\u00a0\u202f€]+")
_MONEY = re.compile(r"(\d{1,9})(?:[.,](\d{1,2}))?")
_PERCENT = re.compile(r"(\d{1,3})(?:[.,](\d{1,2}))?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_price(raw, list_price_cents: int | None = None) -> int | None:
    """'12,50', '12.5', '1 200' -> cents; '' -> None. ValueError: negative, zero, letters,
    three decimals, above MAX_PRICE_CENTS or MAX_OVER_LIST times the customer's price."""
    text = _SPACES.sub("", str(raw or ""))
    if not text:
        return None
    match = _MONEY.fullmatch(text) if text.isascii() else None
    if match is None:
        if text.startswith("-"):
            raise ValueError(_("Enter a price above zero."))
        raise ValueError(_("Enter a price in digits, such as 12,50."))
    cents = int(match.group(1)) * 100 + int((match.group(2) or "").ljust(2, "0"))
    if cents <= 0:
        raise ValueError(_("Enter a price above zero."))
    if cents > MAX_PRICE_CENTS or (list_price_cents and cents > list_price_cents * MAX_OVER_LIST):
        raise ValueError(_("This price looks like a typing mistake: check it."))
    return cents


def parse_discount(raw) -> int | None:
    """'10', '7,5' (%) -> basis points (1000, 750); '' -> None. ValueError at 100 % and over."""
    text = _SPACES.sub("", str(raw or "")).rstrip("%")
    if not text:
        return None
    match = _PERCENT.fullmatch(text) if text.isascii() else None
    if match is None:
        raise ValueError(_("Enter a discount in percent, such as 7,5."))
    basis_points = int(match.group(1)) * 100 + int((match.group(2) or "").ljust(2, "0"))
    if basis_points >= 10000:
        raise ValueError(_("A discount is below 100 %."))
    if basis_points == 0:
        raise ValueError(_("Enter a discount above zero, or leave it empty."))
    return basis_points


def discounted(list_price_cents: int, discount_bp: int) -> int:
    """The customer's price less the discount, rounded half up to the cent (at least 1)."""
    return max(1, (list_price_cents * (10000 - discount_bp) * 2 + 10000) // 20000)


def clean_valid_until(raw, today: date) -> date:
    """The validity date: today at the earliest, within a year. ValueError otherwise."""
    text = str(raw or "").strip()
    if not text:
        raise ValueError(_("Choose until when the prices hold."))
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        chosen = date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("Enter a date such as %(example)s.",
                           example=(today + timedelta(days=30)).isoformat())) from None
    if chosen < today:
        raise ValueError(_("This date is past: prices must hold from today at least."))
    if chosen > today + timedelta(days=VALID_DAYS_MAX):
        raise ValueError(_("Choose a date within a year."))
    return chosen


def quote_number(year: int, quote_id: int) -> str:
    return f"DEV-{year}-{quote_id:06d}"


@dataclass(frozen=True)
class LineChange:
    """One line of a version beside the same line of the version before."""

    position: int
    now: object  # the line (QuoteLine or any object with the same fields)
    before: object | None
    price_changed: bool
    quantity_changed: bool
    product_changed: bool
    was_cents: int | None = None  # the price before (see `price_before`)

    @property
    def changed(self) -> bool:
        return self.price_changed or self.quantity_changed or self.product_changed


def price_before(line) -> int | None:
    """What a line's price was: quoted, else the buyer's target, else his own price."""
    for cents in (line.unit_price_cents, line.target_price_cents, line.list_price_cents):
        if cents is not None:
            return cents
    return None


def compare(now_lines, before_lines) -> list[LineChange]:
    """Lines matched by position: what changed in price (see `price_before`), quantity and
    product."""
    before = {line.position: line for line in before_lines}
    rows = []
    for line in now_lines:
        old = before.get(line.position)
        was = price_before(old) if old is not None else None
        rows.append(LineChange(
            line.position, line, old, old is not None and was != line.unit_price_cents,
            old is not None and old.quantity != line.quantity,
            old is not None and old.product_id != line.product_id, was))
    return rows
