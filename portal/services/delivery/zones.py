"""Staff settings of delivery zones: the farther parts of a warehouse's area (extra transit
days, their own cut-off, the weekdays a truck goes there), and the zones a jobsite may be in."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import DeliveryZone, Warehouse
from portal.services.accounts import record
from portal.services.delivery.admin import CalendarInvalid, cutoff_text
from portal.services.delivery.dates import parse_cutoff, parse_working_days
from portal.services.selling import forget
from portal.services.text import clean_line

MAX_TRANSIT = 30


def parse_zone(form: Mapping[str, str]) -> tuple[dict, dict[str, str]]:
    """(values, errors) of a zone form: a name, transit days 0-30, an optional cut-off and
    optional truck days (ISO digits, Monday = 1)."""
    errors, values = {}, {"name": clean_line(form.get("name"))[:80]}
    if not values["name"]:
        errors["name"] = _("Enter the zone's name.")
    transit = str(form.get("transit_days") or "0").strip()
    if transit.isascii() and transit.isdigit() and int(transit) <= MAX_TRANSIT:
        values["transit_days"] = int(transit)
    else:
        errors["transit_days"] = _("Enter a number of days from 0 to 30.")
    values["cutoff_minutes"] = values["delivery_days"] = None
    if str(form.get("cutoff") or "").strip():
        try:
            values["cutoff_minutes"] = parse_cutoff(form.get("cutoff"))
        except ValueError:
            errors["cutoff"] = _("Enter a time such as 11:00, or nothing for the warehouse's.")
    if str(form.get("delivery_days") or "").strip():
        try:
            values["delivery_days"] = parse_working_days(form.get("delivery_days"))
        except ValueError:
            errors["delivery_days"] = _(
                "Enter the delivery days as digits, Monday = 1 (24: Tuesday and Thursday), "
                "or nothing for every working day.")
    return values, errors


def save_zone(warehouse: Warehouse, actor, form: Mapping[str, str],
              zone: DeliveryZone | None = None) -> DeliveryZone:
    """Add a zone to `warehouse`, or change `zone`; a field that does not parse is refused
    there, nothing changed."""
    values, errors = parse_zone(form)
    if errors:
        raise CalendarInvalid(errors)
    if zone is None:
        zone = DeliveryZone(warehouse_id=warehouse.id, transit_days=0)
        db.session.add(zone)
    for name, value in values.items():
        setattr(zone, name, value)
    record(actor, "warehouse.zone", warehouse, {
        "zone": zone.name, "transit_days": zone.transit_days,
        "cutoff": cutoff_text(zone.cutoff_minutes) if zone.cutoff_minutes is not None else "",
        "delivery_days": zone.delivery_days or ""})
    forget()
    return zone


def find_zone(zone_id: int) -> DeliveryZone | None:
    return db.session.get(DeliveryZone, zone_id)


def zones_by_warehouse() -> dict[int, list[DeliveryZone]]:
    found: dict[int, list[DeliveryZone]] = {}
    for zone in db.session.scalars(select(DeliveryZone).order_by(DeliveryZone.name)):
        found.setdefault(zone.warehouse_id, []).append(zone)
    return found


def zone_choices() -> list[tuple[int, str]]:
    """Every zone as (id, "WAREHOUSE · name"), for a jobsite's form."""
    rows = db.session.execute(select(DeliveryZone.id, Warehouse.code, DeliveryZone.name)
                              .join(Warehouse, Warehouse.id == DeliveryZone.warehouse_id)
                              .order_by(Warehouse.code, DeliveryZone.name))
    return [(zid, f"{code} · {name}") for zid, code, name in rows]
