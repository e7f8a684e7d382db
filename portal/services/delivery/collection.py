"""Click-and-collect: the seller's branches where consumers collect their orders.

A warehouse marked as a collection point (with its opening hours, written by the seller) is
a branch. An order collected there is promised from that branch's own stock, ready the day
it would have left (no transit: `Calendar.collected`); what the branch does not hold comes on
the product's lead time. Read from the warehouses already loaded for the request (`sites`).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.services.delivery.promise import Route, sites


@dataclass(frozen=True)
class Branch:
    id: int
    code: str
    name: str
    city: str
    opening_hours: str

    @property
    def place(self) -> str:
        """What a buyer reads: "Lyon" (the town, else the warehouse's name)."""
        return self.city or self.name


def branches() -> list[Branch]:
    """The collection points, by name."""
    found = [Branch(s.id, s.code, s.name, s.city, s.opening_hours)
             for s in sites().values() if s.collection_point]
    return sorted(found, key=lambda b: (b.place.casefold(), b.id))


def branch(warehouse_id: int | None) -> Branch | None:
    """The collection point with this id; None for any other warehouse (or none)."""
    return next((b for b in branches() if b.id == warehouse_id), None)


def collection_route(warehouse_id: int) -> Route:
    """Where an order collected at this branch is served from: the branch alone (an order's
    own: `promise.order_route`)."""
    return Route(warehouse_id, None, collect=True)
