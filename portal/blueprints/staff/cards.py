"""The back-office card on staff home pages."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from portal.access import STAFF
from portal.home_cards import home_card
from portal.services import backoffice


@home_card(1, STAFF, "staff/_home_card.html")
def staff_card(user) -> dict:
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    count, cents = backoffice.today_totals(user, datetime.now(UTC), tz)
    return {"today_count": count, "today_cents": cents,
            "pending_applications": backoffice.pending_applications(user),
            "waiting_approval": backoffice.waiting_approval(user)}
