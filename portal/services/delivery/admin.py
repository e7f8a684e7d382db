"""Staff settings of the delivery promise: each warehouse's cut-off and working days, and
whether consumers collect orders there (click-and-collect) with its opening hours."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Warehouse
from portal.services import DomainError
from portal.services.accounts import record
from portal.services.delivery.dates import parse_cutoff, parse_working_days
from portal.services.selling import forget


class CalendarInvalid(DomainError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Some fields need a fix."))
        self.errors = errors


def cutoff_text(minutes: int) -> str:
    return f"{minutes // 60:d}:{minutes % 60:02d}"


def warehouse_rows() -> list[Warehouse]:
    return list(db.session.scalars(select(Warehouse).order_by(Warehouse.code)))


def find_warehouse(warehouse_id: int) -> Warehouse | None:
    return db.session.get(Warehouse, warehouse_id)


HOURS_MAX = 200


def set_calendar(warehouse: Warehouse, actor, form: Mapping[str, str]) -> Warehouse:
    """Cut-off ("14:00", "14 h 30"), working days ("12345") and whether public holidays are
    closed ("1"/"0"); whether consumers may collect there ("collection_point" "1") and its
    opening hours (free text, needed for a collection point). A field that does not parse is
    refused there, nothing changed."""
    errors = {}
    collection_point = form.get("collection_point") == "1"
    hours = " ".join(str(form.get("opening_hours") or "").split())
    if len(hours) > HOURS_MAX:
        errors["opening_hours"] = _("Keep the opening hours under %(max)s characters.",
                                    max=HOURS_MAX)
    elif collection_point and not hours:
        errors["opening_hours"] = _("Give the opening hours: customers who collect read them.")
    try:
        cutoff = parse_cutoff(form.get("cutoff"))
    except ValueError:
        errors["cutoff"] = _("Enter a time such as 14:00.")
    try:
        days = parse_working_days(form.get("working_days"))
    except ValueError:
        errors["working_days"] = _("Enter the working days as digits, Monday = 1: 12345.")
    if errors:
        raise CalendarInvalid(errors)
    before = (warehouse.cutoff_minutes, warehouse.working_days, warehouse.holidays_closed)
    warehouse.cutoff_minutes = cutoff
    warehouse.working_days = days
    warehouse.holidays_closed = form.get("holidays") == "1"
    after = (warehouse.cutoff_minutes, warehouse.working_days, warehouse.holidays_closed)
    if before != after:
        record(actor, "warehouse.calendar", warehouse,
               {"cutoff": cutoff_text(cutoff), "working_days": days,
                "holidays_closed": warehouse.holidays_closed})
    if (warehouse.collection_point, warehouse.opening_hours) != (collection_point, hours):
        warehouse.collection_point, warehouse.opening_hours = collection_point, hours
        record(actor, "warehouse.collection", warehouse,
               {"collection_point": collection_point, "opening_hours": hours})
    forget()
    return warehouse
