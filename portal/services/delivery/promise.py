"""The delivery promise told to a buyer: which warehouse serves them, each warehouse's
calendar, the dated parts of a line and the cut-off countdown.

Warehouses are read once per request (one statement); everything else is the pure rules of
`dates` applied to the selling policy's offers (their `holdings`, available per warehouse).
`now()` is the portal's clock: UTC now, or CLOCK_NOW (an ISO datetime, tests and demos only).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import select

from portal.extensions import db
from portal.models import DeliveryZone, Warehouse
from portal.services.delivery.dates import Calendar, Countdown, Part, countdown, split
from portal.services.selling import per_request


def now() -> datetime:
    """The time the delivery promise is told at (CLOCK_NOW pins it for tests and demos)."""
    pinned = current_app.config.get("CLOCK_NOW") if has_app_context() else None
    if pinned:
        moment = datetime.fromisoformat(pinned)
        # Always UTC, as the rest of the portal stores moments.
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def zone() -> ZoneInfo:
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris") \
        if has_app_context() else "Europe/Paris"
    return ZoneInfo(name or "Europe/Paris")


def local(moment: datetime) -> datetime:
    """`moment` in the seller's timezone: cut-offs and working days are the seller's."""
    return moment.astimezone(zone())


@dataclass(frozen=True)
class Zone:
    id: int
    warehouse_id: int
    name: str
    transit_days: int
    cutoff_minutes: int | None
    delivery_days: str | None


@dataclass(frozen=True)
class Site:
    id: int
    code: str
    name: str
    calendar: Calendar
    zones: dict[int, Zone] = field(default_factory=dict)
    city: str = ""
    collection_point: bool = False  # consumers may collect their orders there
    opening_hours: str = ""


def _load() -> dict[int, Site]:
    """Warehouses and their delivery zones in one statement (an outer join)."""
    found: dict[int, Site] = {}
    rows = db.session.execute(
        select(Warehouse, DeliveryZone)
        .outerjoin(DeliveryZone, DeliveryZone.warehouse_id == Warehouse.id)
        .order_by(Warehouse.id, DeliveryZone.id))
    for w, z in rows:
        site = found.get(w.id) or found.setdefault(w.id, Site(
            w.id, w.code, w.name, Calendar.of(w.cutoff_minutes, w.working_days,
                                              w.holidays_closed),
            city=w.city, collection_point=w.collection_point, opening_hours=w.opening_hours))
        if z is not None:
            site.zones[z.id] = Zone(z.id, w.id, z.name, z.transit_days, z.cutoff_minutes,
                                    z.delivery_days)
    return found


def sites() -> dict[int, Site]:
    """Every warehouse with its calendar and zones, by id, once per request."""
    return per_request(("delivery", "warehouses"), _load)


def calendar_of(warehouse_id: int | None) -> Calendar:
    site = sites().get(warehouse_id) if warehouse_id is not None else None
    return site.calendar if site else Calendar()


def zone_of(zone_id: int | None) -> Zone | None:
    if zone_id is None:
        return None
    return next((site.zones[zone_id] for site in sites().values() if zone_id in site.zones),
                None)


@dataclass(frozen=True)
class Route:
    """Where a jobsite is served from: the warehouse and, when the jobsite is in one of its
    delivery zones, the zone (its transit, truck days and cut-off change the dates)."""

    warehouse_id: int | None
    zone: Zone | None = None
    # Collected at this warehouse (a branch): only its own stock, ready with no transit.
    collect: bool = False

    def calendar(self, warehouse_id: int | None = None) -> Calendar:
        """The calendar of a part leaving `warehouse_id` (default: the serving one) for the
        jobsite: the zone's transit and truck days apply to every part, its cut-off to the
        serving warehouse only."""
        wid = self.warehouse_id if warehouse_id is None else warehouse_id
        base = calendar_of(wid)
        if self.collect:
            return replace(base, collected=True)
        if self.zone is None:
            return base
        return base.zoned(self.zone.transit_days, self.zone.cutoff_minutes,
                          self.zone.delivery_days, own_cutoff=wid == self.warehouse_id)


def route(company, jobsite=None) -> Route:
    """The jobsite's warehouse, else its zone's, else the company's, else the seller's first;
    with the jobsite's zone when that zone belongs to the serving warehouse."""
    zone = zone_of(getattr(jobsite, "zone_id", None))
    for wid in (getattr(jobsite, "warehouse_id", None), zone and zone.warehouse_id,
                getattr(company, "warehouse_id", None)):
        if wid is not None and wid in sites():
            return Route(wid, zone if zone and zone.warehouse_id == wid else None)
    return Route(next(iter(sites()), None))


def order_route(order) -> Route:
    """Where an order is served from: the branch it is collected at (its stock alone, no
    transit), else its jobsite's route."""
    if getattr(order, "collect_warehouse_id", None) is not None:
        return Route(order.collect_warehouse_id, None, collect=True)
    return route(order.company, order.jobsite)


def serving_warehouse_id(company, jobsite=None) -> int | None:
    """The warehouse that serves the jobsite (see `route`)."""
    return route(company, jobsite).warehouse_id


def warehouse_order(serving: int | None) -> list[int]:
    """The serving warehouse first, then the others by id: the order stock is taken in."""
    ids = list(sites())
    return ([serving] if serving in ids else []) + [w for w in ids if w != serving]


def _plan(serving: Route, moment: datetime):
    """What every line of a page shares: the warehouses in the order stock is taken from,
    each with its calendar, the seller's local time and the serving calendar; worked out
    once per request, route and moment (a 100-line cart asked 500 times)."""
    def build():
        order = [serving.warehouse_id] if serving.collect \
            else warehouse_order(serving.warehouse_id)
        return [(wid, serving.calendar(wid)) for wid in order], local(moment), serving.calendar()

    return per_request(("delivery plan", serving, moment), build)


def line_parts(offer, quantity: int, serving: Route, moment: datetime) -> tuple[Part, ...]:
    """The dated parts of `quantity` of an offer, served from `serving` first."""
    order, at, calendar = _plan(serving, moment)
    held = dict(offer.holdings)
    holdings = [(cal, held[wid]) for wid, cal in order if wid in held]
    return split(quantity, holdings, at, calendar, offer.product.lead_time_days)


def countdown_for(company, jobsite=None,
                  moment: datetime | None = None) -> tuple[Site, Countdown] | None:
    """The serving warehouse and its cut-off countdown at `moment` (the jobsite's zone's
    cut-off and dates when it is in one); None without warehouses."""
    return countdown_on(route(company, jobsite), moment)


def countdown_on(serving: Route, moment: datetime | None = None
                 ) -> tuple[Site, Countdown] | None:
    """The cut-off countdown of a route (a delivery or a collection at a branch)."""
    if serving.warehouse_id is None or serving.warehouse_id not in sites():
        return None
    return sites()[serving.warehouse_id], countdown(local(moment or now()), serving.calendar())
