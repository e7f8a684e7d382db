"""Cards on a user's home page. Each feature registers the cards it owns.

A card is a template (rendered with the provider's context) shown to some roles; a provider
returning None hides the card. Features stay independent of the home page's code.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    order: int
    roles: frozenset
    template: str
    provider: Callable  # (user) -> dict | None


CARDS: list[Card] = []


def home_card(order: int, roles, template: str):
    def register(provider):
        CARDS.append(Card(order, frozenset(roles), template, provider))
        CARDS.sort(key=lambda c: c.order)
        return provider

    return register


def cards_for(user) -> list[tuple[str, dict]]:
    shown = []
    for card in CARDS:
        if user.role in card.roles:
            context = card.provider(user)
            if context is not None:
                shown.append((card.template, context))
    return shown
