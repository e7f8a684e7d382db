"""The latest shipment card on a customer's home: when it left, with which carrier, and the
tracking link, one tap from signing in (dealers follow their deliveries this way)."""

from datetime import UTC, datetime, timedelta

from portal.access import CUSTOMERS
from portal.home_cards import home_card
from portal.services import orders
from portal.services.orders import visible_orders

WINDOW = timedelta(days=90)  # shipments of orders placed in the last three months


@home_card(6, CUSTOMERS, "orders/_shipment_card.html")
def shipment_card(user) -> dict | None:
    found = orders.latest_shipment(visible_orders(user), datetime.now(UTC) - WINDOW)
    if found is None:
        return None
    shipment, order = found
    return {"shipment": shipment, "order": order}
