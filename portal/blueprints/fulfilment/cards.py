"""Home card of the fulfilment queue for warehouse staff and staff admins."""

from portal.home_cards import home_card
from portal.models import Role
from portal.services import fulfilment


@home_card(20, (Role.FULFILMENT, Role.STAFF_ADMIN), "fulfilment/_home_card.html")
def fulfilment_card(user) -> dict:
    return {"open_count": fulfilment.open_count()}
