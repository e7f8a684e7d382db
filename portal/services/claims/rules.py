"""The rules of a claim, as pure functions: how much of a line may still be reported, until
when, and whether a typed report holds. Plain values in, values out; `now` is a parameter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.models import ClaimReason, ClaimStatus
from portal.services import DomainError
from portal.services.text import clean_text

REASON_LABELS = {
    ClaimReason.SHORT: _l("Short (missing units)"),
    ClaimReason.DAMAGED: _l("Damaged"),
    ClaimReason.WRONG: _l("Wrong product"),
}
STATUS_LABELS = {
    ClaimStatus.OPEN: _l("To settle"),
    ClaimStatus.RESHIPPED: _l("Reshipped"),
    ClaimStatus.CREDITED: _l("Credited"),
}
NOTE_MAX = 500


@dataclass(frozen=True)
class Delivered:
    """Units of one line in one delivered shipment, and when they were handed over."""

    quantity: int
    at: datetime


@dataclass(frozen=True)
class LineClaims:
    """What a buyer may still report on one order line."""

    delivered: int  # units of the line delivered so far (replacements included)
    claimed: int  # units already reported on it
    left: int  # units that may be reported now
    closes_at: datetime | None  # the end of the window of the latest delivery

    @property
    def open(self) -> bool:
        return self.left > 0


def line_claims(deliveries: Sequence[Delivered], claimed: int, now: datetime,
                window_days: int) -> LineClaims:
    """Units delivered within the window may be reported, never more than were delivered in
    all minus those already reported."""
    window = timedelta(days=window_days)
    delivered = sum(d.quantity for d in deliveries)
    recent = sum(d.quantity for d in deliveries if d.at <= now < d.at + window)
    closes = max((d.at + window for d in deliveries), default=None)
    return LineClaims(delivered, claimed, max(0, min(recent, delivered - claimed)), closes)


def check_report(state: LineClaims, raw_reason: str, raw_qty: str, raw_note: str,
                 now: datetime) -> tuple[ClaimReason, int, str]:
    """(reason, quantity, note) of a report on one line, or DomainError at its field."""
    if state.delivered == 0:
        raise DomainError(_("Nothing of this line has been delivered yet."))
    if state.closes_at is not None and now >= state.closes_at:
        raise DomainError(_("Problems with this line could be reported until %(date)s.",
                            date=_when(state.closes_at)))
    if state.left == 0:
        raise DomainError(_("Every delivered unit of this line has already been reported."))
    try:
        reason = ClaimReason((raw_reason or "").strip())
    except ValueError:
        raise DomainError(_("Choose what is wrong."), field="reason") from None
    text = (raw_qty or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 6) or int(text) == 0:
        raise DomainError(_("Enter how many units, digits only."), field="quantity")
    qty = int(text)
    if qty > state.left:
        raise DomainError(ngettext(
            "At most %(num)s unit can be reported: %(delivered)s delivered, %(claimed)s "
            "already reported.",
            "At most %(num)s units can be reported: %(delivered)s delivered, %(claimed)s "
            "already reported.", state.left, delivered=state.delivered,
            claimed=state.claimed), field="quantity")
    note = clean_text(raw_note or "")
    if len(note) > NOTE_MAX:
        raise DomainError(_("Keep the note under %(max)s characters.", max=NOTE_MAX),
                          field="note")
    return reason, qty, note


def _when(at: datetime) -> str:
    from portal.formatting import format_datetime

    return format_datetime(at, "medium")
