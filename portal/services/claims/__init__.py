"""Claims after a delivery: the buyer reports a short, damaged or wrong line from the phone
(within CLAIM_WINDOW_DAYS of its delivery, never more units than were delivered), the
seller's staff settle it by reshipping or crediting.

- `rules`: pure rules (`line_claims`: what may still be reported; `check_report`).
- `actions`: `report`, `reship`, `credit` (timeline entry, e-mail and webhook follow).
- `queries`: `for_order`, the lookups scoped to a customer, the staff's `queue`.
"""

from portal.services.claims.actions import credit, report, reship
from portal.services.claims.queries import (
    OrderClaims,
    claim_for_customer,
    claim_for_staff,
    for_order,
    line_for_customer,
    line_state,
    open_count,
    queue,
    reship_from,
    shipment_for_customer,
)
from portal.services.claims.rules import (
    REASON_LABELS,
    STATUS_LABELS,
    Delivered,
    LineClaims,
    check_report,
    line_claims,
)

__all__ = [
    "REASON_LABELS", "STATUS_LABELS", "Delivered", "LineClaims", "OrderClaims", "check_report",
    "claim_for_customer", "claim_for_staff", "credit", "for_order", "line_claims",
    "line_for_customer", "line_state", "open_count", "queue", "report", "reship", "reship_from",
    "shipment_for_customer",
]
