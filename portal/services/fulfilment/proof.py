"""Proof of delivery: the warehouse or the driver says a shipment was handed over, to whom,
when, with a photo if they took one. The buyer reads it on the order; once every shipment of
a shipped order is delivered, the order is delivered. Changes the session, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from portal.extensions import db
from portal.models import Order, OrderStatus, Role, Shipment, User
from portal.services import DomainError, storage
from portal.services.fulfilment import notify
from portal.services.fulfilment.actions import Conflict, Forbidden, move_status
from portal.services.text import clean_line

RECEIVER_MAX = 120
# A phone's clock a little ahead of the server's is not a delivery in the future.
CLOCK_SLACK = timedelta(minutes=10)
PROOF_KIND = "delivery-proof"


@dataclass(frozen=True)
class Photo:
    """A photo as the form gave it (checked and stored by `store_photo`)."""

    data: bytes
    content_type: str


def store_photo(photo: Photo | None, field: str = "photo") -> str | None:
    """The key of the stored photo (kind "delivery-proof", private), None without one.

    Refused at `field` (UploadRefused: 413 when too large, 422 otherwise) when it is not a
    JPEG, PNG or WebP image under the image limit; a PDF is a document, not a photo (what
    was stored for it goes with the rollback that follows the refusal)."""
    if photo is None or not photo.data:
        return None
    key = storage.put(photo.data, photo.content_type or "image/jpeg", kind=PROOF_KIND,
                      field=field)
    if storage.content_type_of(key) not in storage.IMAGE_TYPES:
        raise storage.UploadRefused(_("This file is not a JPEG, PNG or WebP image."), field)
    return key


def delivered_at(raw: str, tz: tzinfo, shipped_at: datetime, now: datetime) -> datetime:
    """The typed local time (YYYY-MM-DDTHH:MM, as a phone's date-time field sends it) in UTC;
    now when left empty. Not before the shipment left, not in the future."""
    text = (raw or "").strip()
    if not text:
        return now
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        raise DomainError(_("Enter the date and time of delivery."), field="delivered_at") from None
    at = (local if local.tzinfo else local.replace(tzinfo=tz)).astimezone(now.tzinfo)
    if at > now + CLOCK_SLACK:
        raise DomainError(_("The delivery cannot be in the future."), field="delivered_at")
    if at < shipped_at.replace(second=0, microsecond=0):
        raise DomainError(_("The delivery cannot be before the shipment left."),
                          field="delivered_at")
    return at


def receiver(raw: str) -> str:
    name = clean_line(raw or "")  # stored by an UPDATE, which the column's own watch skips
    if not name:
        raise DomainError(_("Enter the name of the person who received the goods."),
                          field="received_by")
    if len(name) > RECEIVER_MAX:
        raise DomainError(_("Keep the name under %(max)s characters.", max=RECEIVER_MAX),
                          field="received_by")
    return name


def record_delivery(order: Order, shipment: Shipment, actor: User, raw_receiver: str,
                    raw_at: str, photo: Photo | None, tz: tzinfo, now: datetime) -> Shipment:
    """Proof of delivery of one shipment; the order becomes delivered with its last one."""
    if actor.role not in (Role.FULFILMENT, Role.STAFF_ADMIN):
        raise Forbidden(_("Your role may not do this."))
    if shipment.order_id != order.id:
        raise DomainError(_("This shipment is not part of this order."))
    if shipment.delivered_at is not None:
        raise Conflict(_("The delivery of this shipment is already recorded."))
    name = receiver(raw_receiver)
    at = delivered_at(raw_at, tz, shipment.shipped_at, now)
    key = store_photo(photo)
    # Conditional: two people recording the same delivery at once cannot both succeed.
    changed = db.session.execute(
        update(Shipment).where(Shipment.id == shipment.id, Shipment.delivered_at.is_(None))
        .values(delivered_at=at, received_by=name, proof_key=key)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise Conflict(_("The delivery of this shipment is already recorded."))
    for column, value in (("delivered_at", at), ("received_by", name), ("proof_key", key)):
        set_committed_value(shipment, column, value)
    params = {"shipment_id": shipment.id, "received_by": name, "at": at.isoformat(),
              "photo": bool(key)}
    last = order.status == OrderStatus.SHIPPED and all(
        s.delivered_at is not None for s in order.shipments)
    if last:
        move_status(order, OrderStatus.SHIPPED, OrderStatus.DELIVERED, now)
        notify.record(order, actor, "status", OrderStatus.DELIVERED, "delivered_to", params, now)
    else:
        notify.record(order, actor, "delivery", None, "delivered_to", params, now)
    return shipment
