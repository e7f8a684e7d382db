"""Placed orders: what a buyer sees after submitting, and the order's history.

- `history`: who may see which order, the orders page (filters, paging, jobsites), the home
  card; `detail`: one order's page (timeline, who must decide now); `search`: the search
  text kept with each order.
- `events`: the order's timeline (stored as a code and parameters, written in the reader's
  language when shown); `line_names`: a line's product name in the reader's language.
- `tracking`: carrier tracking links and the latest shipment.

Front door: `visible_orders`, `history_page`, `order_view`, `find_order`, `new_event`,
`describe`, `line_name`, `tracking_url`, `matching` (the search condition).
"""

from portal.models.labels import ORDER_STATUS_LABELS as STATUS_LABELS
from portal.models.labels import order_status_label as status_label
from portal.models.labels import order_status_tone as status_tone
from portal.services.orders.detail import order_view
from portal.services.orders.events import describe, event_text, new_event
from portal.services.orders.history import (
    find_order,
    history_page,
    latest_orders_for_card,
    parse_filters,
    visible_jobsites,
    visible_orders,
)
from portal.services.orders.line_names import line_name, pick_name
from portal.services.orders.search import matching, refresh
from portal.services.orders.tracking import latest_shipment, tracking_url

__all__ = [
    "STATUS_LABELS", "describe", "event_text", "find_order", "history_page",
    "latest_orders_for_card", "latest_shipment", "line_name", "matching", "new_event",
    "order_view",
    "parse_filters", "pick_name", "refresh", "status_label", "status_tone", "tracking_url",
    "visible_jobsites", "visible_orders",
]
