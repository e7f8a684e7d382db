"""The buyer's home card: "Quick order" and "Paste a list", one tap away."""

from portal.access import BUYERS
from portal.home_cards import home_card
from portal.services.selling import can_order


@home_card(20, BUYERS, "quick_order/_home_card.html")
def quick_order_card(user) -> dict | None:
    return {} if can_order(user) else None
