"""Home card of the seller's admin tools: imports, exports, catalog and prices."""

from portal.home_cards import home_card
from portal.models import Role


@home_card(60, (Role.STAFF_ADMIN,), "imports/_home_card.html")
def tools_card(user) -> dict:
    return {}
