"""The delivery promise and what happens after: stock reserved per warehouse, a date for
every line, the cut-off countdown, substitutes.

- `dates`: pure rules (calendars, cut-off, holidays, splitting a line into dated parts).
- `promise`: the serving warehouse, calendars read once per request, a line's dated parts,
  the countdown; `now()` is the clock (CLOCK_NOW pins it for tests and demos).
- `stock`: reserve on placing, release on cancel/reject, fit after trims and shipments,
  refuse an over-shipment.
- `substitutes`: the seller's substitute list and what a buyer may be offered instead.
- `collection`: the branches where consumers collect (click-and-collect) and their route.
"""

from portal.services.delivery.admin import (
    CalendarInvalid,
    cutoff_text,
    find_warehouse,
    set_calendar,
    warehouse_rows,
)
from portal.services.delivery.collection import Branch, branch, branches, collection_route
from portal.services.delivery.dates import (
    Calendar,
    Countdown,
    Part,
    countdown,
    french_holidays,
    order_parts,
    parse_cutoff,
    parse_working_days,
    split,
)
from portal.services.delivery.promise import (
    Route,
    Zone,
    calendar_of,
    countdown_for,
    countdown_on,
    line_parts,
    local,
    now,
    order_route,
    route,
    serving_warehouse_id,
    sites,
    zone_of,
)
from portal.services.delivery.stock import (
    OverShipment,
    fit_order,
    release_order,
    reserve_order,
    reserved_by_order,
    reserved_of,
    take_for_shipment,
)
from portal.services.delivery.substitutes import (
    Offered,
    mark_no_substitute,
    offers_instead,
    offers_substitute,
    refuse_marked,
    set_substitutes,
    substitutes_of,
    swap_line,
)
from portal.services.delivery.zones import (
    delete_zone,
    find_zone,
    jobsite_of,
    jobsites_in,
    jobsites_of,
    save_zone,
    set_jobsite_zone,
    zone_choices,
    zone_name,
    zones_by_warehouse,
)

__all__ = [
    "Calendar", "Countdown", "Part", "countdown", "french_holidays", "parse_cutoff",
    "parse_working_days", "split",
    "calendar_of", "countdown_for", "line_parts", "local", "now", "serving_warehouse_id",
    "sites", "Route", "Zone", "route", "zone_of",
    "OverShipment", "fit_order", "release_order", "reserve_order", "reserved_by_order",
    "take_for_shipment", "reserved_of",
    "Offered", "offers_instead", "mark_no_substitute", "offers_substitute", "refuse_marked",
    "set_substitutes", "substitutes_of", "swap_line",
    "order_parts", "CalendarInvalid", "cutoff_text", "find_warehouse", "set_calendar",
    "warehouse_rows", "find_zone", "save_zone", "zone_choices", "zones_by_warehouse",
    "Branch", "branch", "branches", "collection_route", "countdown_on", "order_route",
    "delete_zone", "jobsite_of", "jobsites_in", "jobsites_of", "set_jobsite_zone", "zone_name",
]
