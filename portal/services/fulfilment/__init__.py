"""Fulfilment of orders by the seller's staff.

`rules` holds the state machine as a pure table (which action, from which status, by which
role) and the shipment rules; `actions` the use cases that apply them; `queue` the listing.
"""

from portal.services.fulfilment.actions import (
    Conflict,
    Forbidden,
    ShipmentInvalid,
    backorder_line,
    cancel,
    confirm,
    mark_delivered,
    record_shipment,
)
from portal.services.fulfilment.rules import (
    OPEN_STATUSES,
    STATUS_LABELS,
    TRANSITIONS,
    Action,
    Verdict,
    allowed_actions,
    status_label,
    verdict,
)

__all__ = [
    "OPEN_STATUSES", "STATUS_LABELS", "TRANSITIONS", "Action", "Conflict", "Forbidden",
    "ShipmentInvalid", "Verdict", "allowed_actions", "backorder_line", "cancel", "confirm",
    "mark_delivered", "record_shipment", "status_label", "verdict",
]
