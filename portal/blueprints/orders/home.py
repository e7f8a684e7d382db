"""The orders card on a customer's home page: newest order, and "repeat my last order"."""

from portal.access import CUSTOMERS
from portal.home_cards import home_card
from portal.services import orders
from portal.services.selling import can_order


@home_card(5, CUSTOMERS, "orders/_home_card.html")
def orders_card(user) -> dict | None:
    newest, repeat = orders.latest_orders_for_card(user)
    if newest is None:
        return None
    return {"newest": newest, "repeat": repeat if can_order(user) else None}
