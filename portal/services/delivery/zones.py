"""Staff settings of delivery zones: the farther parts of a warehouse's area (extra transit
days, their own cut-off, the weekdays a truck goes there), and the zone each customer's jobsite
is in. The zone changes the dates the seller promises, so only the seller's staff choose it;
the company admin reads it."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.models import DeliveryZone, Unit, UnitKind, Warehouse
from portal.services import DomainError
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


def zone_name(zone_id: int | None) -> str | None:
    """"WAREHOUSE · name" of a jobsite's zone, None for the warehouse's own area."""
    return dict(zone_choices()).get(zone_id) if zone_id is not None else None


def jobsites_of(company_id: int) -> list[Unit]:
    """A customer's jobsites in use, by name (the staff's customer page)."""
    return list(db.session.scalars(select(Unit).where(
        Unit.company_id == company_id, Unit.kind == UnitKind.JOBSITE,
        Unit.archived.is_(False)).order_by(Unit.name, Unit.id)))


def jobsite_of(company_id: int, unit_id: int) -> Unit | None:
    """One jobsite of this customer; None for another company's unit or a division."""
    unit = db.session.get(Unit, unit_id)
    ok = unit is not None and unit.company_id == company_id and unit.kind == UnitKind.JOBSITE
    return unit if ok else None


def set_jobsite_zone(site: Unit, actor, raw: str) -> Unit:
    """Put a jobsite in a zone (a zone id as text), or back in its warehouse's own area
    ("")."""
    text = (raw or "").strip()
    zone = None
    if text:
        zone = find_zone(int(text)) if text.isascii() and text.isdigit() and len(text) < 10 \
            else None
        if zone is None:
            raise DomainError(_("Choose a delivery zone from the list."), field="zone")
    before = site.zone_id
    site.zone_id = zone.id if zone else None
    # The customer's journal shows it as a change of the unit, made by the seller.
    record(actor, "unit.update", site, {"name": site.name, "before": {"zone_id": before},
                                        "after": {"name": site.name, "zone_id": site.zone_id}})
    forget()
    return site


def jobsites_in(zone: DeliveryZone) -> int:
    return db.session.scalar(select(func.count(Unit.id)).where(Unit.zone_id == zone.id)) or 0


def delete_zone(zone: DeliveryZone, actor) -> int:
    """Remove a zone; its jobsites go back to their warehouse's own area. Returns how many."""
    detached = db.session.execute(
        update(Unit).where(Unit.zone_id == zone.id).values(zone_id=None)
        .execution_options(synchronize_session="fetch")).rowcount
    warehouse = db.session.get(Warehouse, zone.warehouse_id)
    record(actor, "warehouse.zone_delete", warehouse, {"zone": zone.name, "jobsites": detached})
    db.session.delete(zone)
    db.session.flush()
    forget()
    return detached
