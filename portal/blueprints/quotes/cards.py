"""Home cards: quotes answered for the buyer, requests waiting for the seller."""

from portal.access import BUYERS
from portal.home_cards import home_card
from portal.models import QuoteStatus, Role
from portal.services import quotes


@home_card(5, BUYERS, "quotes/_home_card.html")
def buyer_card(user) -> dict | None:
    mine = quotes.customer_quotes(user)
    if not mine:
        return None
    return {"answered": sum(1 for q in mine if q.status == QuoteStatus.SENT),
            "waiting": sum(1 for q in mine if q.status == QuoteStatus.REQUESTED)}


@home_card(2, (Role.STAFF_ADMIN, Role.SALES_REP), "quotes/_desk_card.html")
def desk_card(user) -> dict:
    return {"waiting": quotes.waiting_count(user)}
