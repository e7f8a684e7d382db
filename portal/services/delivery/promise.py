"""The delivery promise told to a buyer: which warehouse serves them, each warehouse's
calendar, the dated parts of a line and the cut-off countdown.

Warehouses are read once per request (one statement); everything else is the pure rules of
`dates` applied to the selling policy's offers (their `holdings`, available per warehouse).
`now()` is the portal's clock: UTC now, or CLOCK_NOW (an ISO datetime, tests and demos only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import select

from portal.extensions import db
from portal.models import Warehouse
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
class Site:
    id: int
    code: str
    name: str
    calendar: Calendar


def _load() -> dict[int, Site]:
    return {w.id: Site(w.id, w.code, w.name, Calendar.of(w.cutoff_minutes, w.working_days,
                                                         w.holidays_closed))
            for w in db.session.scalars(select(Warehouse).order_by(Warehouse.id))}


def sites() -> dict[int, Site]:
    """Every warehouse with its calendar, by id, once per request."""
    return per_request(("delivery", "warehouses"), _load)


def calendars() -> dict[int, Calendar]:
    return {wid: site.calendar for wid, site in sites().items()}


def calendar_of(warehouse_id: int | None) -> Calendar:
    site = sites().get(warehouse_id) if warehouse_id is not None else None
    return site.calendar if site else Calendar()


def serving_warehouse_id(company, jobsite=None) -> int | None:
    """The jobsite's warehouse, else the company's, else the seller's first."""
    for holder in (jobsite, company):
        wid = getattr(holder, "warehouse_id", None)
        if wid is not None and wid in sites():
            return wid
    return next(iter(sites()), None)


def warehouse_order(serving: int | None) -> list[int]:
    """The serving warehouse first, then the others by id: the order stock is taken in."""
    ids = list(sites())
    return ([serving] if serving in ids else []) + [w for w in ids if w != serving]


def line_parts(offer, quantity: int, serving: int | None, moment: datetime) -> tuple[Part, ...]:
    """The dated parts of `quantity` of an offer, served from `serving` first."""
    held = dict(offer.holdings)
    holdings = [(calendar_of(wid), held[wid]) for wid in warehouse_order(serving) if wid in held]
    return split(quantity, holdings, local(moment), calendar_of(serving),
                 offer.product.lead_time_days)


def countdown_for(company, jobsite=None,
                  moment: datetime | None = None) -> tuple[Site, Countdown] | None:
    """The serving warehouse and its cut-off countdown at `moment`; None without warehouses."""
    serving = serving_warehouse_id(company, jobsite)
    if serving is None:
        return None
    return sites()[serving], countdown(local(moment or now()), calendar_of(serving))
