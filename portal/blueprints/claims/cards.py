"""Home card of the claims to settle, for warehouse staff and staff admins."""

from portal.home_cards import home_card
from portal.models import Role
from portal.services import claims


@home_card(21, (Role.FULFILMENT, Role.STAFF_ADMIN), "claims/_home_card.html")
def claims_card(user) -> dict | None:
    count = claims.open_count()
    return {"open_count": count} if count else None
