"""Fulfilment of orders by the seller's staff.

`rules` holds the state machine as a pure table (which action, from which status, by which
role) and the shipment rules; `actions` the use cases that apply them; `collection` an order
collected at its branch (click-and-collect); `proof` the proof of delivery of a shipment;
`queue` the listing (`queue_page`, the staff's order page and the home card's count).
"""

from portal.models.labels import ORDER_STATUS_LABELS as STATUS_LABELS
from portal.models.labels import order_status_label as status_label
from portal.services.fulfilment import notify
from portal.services.fulfilment.actions import (
    Conflict,
    Forbidden,
    ShipmentInvalid,
    backorder_line,
    cancel,
    confirm,
    mark_delivered,
    record_shipment,
    shipment_proposal,
    shipment_warehouse,
)
from portal.services.fulfilment.collection import mark_collected
from portal.services.fulfilment.proof import Photo, record_delivery, store_photo
from portal.services.fulfilment.queue import (
    open_count,
    order_for_staff,
    recent_events,
    statuses_for,
    warehouses,
)
from portal.services.fulfilment.queue import queue as queue_page
from portal.services.fulfilment.rules import (
    OPEN_STATUSES,
    TRANSITIONS,
    Action,
    Verdict,
    allowed_actions,
    verdict,
)

__all__ = [
    "open_count", "order_for_staff", "queue_page", "recent_events", "statuses_for", "warehouses",
    "OPEN_STATUSES", "STATUS_LABELS", "TRANSITIONS", "Action", "Conflict", "Forbidden",
    "ShipmentInvalid", "Verdict", "allowed_actions", "backorder_line", "cancel", "confirm",
    "mark_collected", "mark_delivered", "record_shipment", "shipment_proposal", "status_label",
    "verdict",
    "Photo", "notify", "record_delivery", "shipment_warehouse", "store_photo",
]
