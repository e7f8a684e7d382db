"""Where an order goes: the company's jobsites and addresses, and on a consumer storefront
the seller's branches where it may be collected instead (click-and-collect).

A place is a radio button of the checkout ("jobsite:<id>", "address:<id>", "collect:<id>");
only the places listed here can be chosen, so a warehouse that is not a collection point, or a
jobsite the buyer may not order for, is refused like an unknown place.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Address, Role, StorefrontKind, Unit, UnitKind
from portal.services import delivery, storefronts

COLLECT = "collect"


@dataclass(frozen=True)
class DeliveryPlace:
    key: str  # "jobsite:<id>", "address:<id>" or "collect:<id>": the radio button's value
    label: str
    address: str
    contact: str = ""
    window: str = ""
    notes: str = ""
    project_code: str = ""
    jobsite_id: int | None = None
    warehouse_id: int | None = None  # collected at this branch (no delivery)
    hours: str = ""  # the branch's opening hours

    @property
    def collected(self) -> bool:
        return self.warehouse_id is not None


def subtree(parents: dict[int, int | None], root: int) -> set[int]:
    """`root` and every unit below it."""
    found = {root}
    changed = True
    while changed:
        changed = False
        for unit_id, parent in parents.items():
            if parent in found and unit_id not in found:
                found.add(unit_id)
                changed = True
    return found


def _unit_bound(user) -> bool:
    return user.role != Role.COMPANY_ADMIN and user.unit_id is not None


def delivery_places(user) -> list[DeliveryPlace]:
    """The company's open jobsites this user may order for, then its other addresses, then
    (a consumer) the branches it may collect at."""
    units = list(db.session.scalars(select(Unit).where(Unit.company_id == user.company_id)))
    allowed = subtree({u.id: u.parent_id for u in units}, user.unit_id) \
        if _unit_bound(user) else {u.id for u in units}
    addresses = {a.id: a for a in db.session.scalars(
        select(Address).where(Address.company_id == user.company_id).order_by(Address.id))}
    places = []
    for u in sorted(units, key=lambda u: u.name.lower()):
        if u.kind != UnitKind.JOBSITE or u.archived or u.id not in allowed:
            continue
        address = addresses.get(u.address_id)
        contact = " · ".join(p for p in (u.site_contact_name, u.site_contact_phone) if p)
        places.append(DeliveryPlace(f"jobsite:{u.id}", u.name,
                                    address.one_line() if address else "", contact,
                                    u.delivery_window, u.delivery_notes, u.project_code, u.id))
    used = {u.address_id for u in units if u.kind == UnitKind.JOBSITE}
    for a in addresses.values():
        if a.id not in used:
            places.append(DeliveryPlace(f"address:{a.id}", a.label or a.city, a.one_line()))
    return places + collection_places(user)


def collects(user) -> bool:
    """This buyer's storefront offers collection at a branch (a consumer storefront)."""
    front = storefronts.by_id(storefronts.storefront_of(user))
    return front.kind == StorefrontKind.CONSUMER


def collection_places(user) -> list[DeliveryPlace]:
    if not collects(user):
        return []
    return [DeliveryPlace(f"{COLLECT}:{b.id}", collect_label(b.place), b.name,
                          warehouse_id=b.id, hours=b.opening_hours)
            for b in delivery.branches()]


def collect_label(place: str) -> str:
    """"Retrait en agence : Lyon", in the checkout, the order, e-mails and the queue."""
    return _("Collect at the branch: %(place)s", place=place)


def default_place(user, places: list[DeliveryPlace]) -> str:
    """The last jobsite, else the one place there is; a consumer's one address before the
    branches (delivery unless they choose to collect)."""
    keys = [p.key for p in places]
    last = f"jobsite:{user.last_jobsite_id}" if user.last_jobsite_id else None
    if last in keys:
        return last
    delivered = [p.key for p in places if not p.collected]
    if len(delivered) == 1 and len(keys) > 1:
        return delivered[0]
    return keys[0] if len(keys) == 1 else ""
