"""The catalog's card on the customers' home page: a search box and "Browse the catalog"."""

from portal.access import CUSTOMERS
from portal.home_cards import home_card


@home_card(10, CUSTOMERS, "catalog/_home_card.html")
def catalog_card(user) -> dict:
    return {}
