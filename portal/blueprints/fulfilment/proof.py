"""Proof of delivery, from the warehouse's or the driver's phone: who received a shipment,
when, and a photo; the photo is served only here (staff) and on the buyer's order."""

from datetime import UTC, datetime

from flask import abort, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.fulfilment import bp
from portal.media import stored_response
from portal.models import Role
from portal.rendering import render
from portal.services import fulfilment
from portal.usecases import moved_on, run
from portal.web import PHONE_PHOTO_CAP, accepts_upload, photo_of

HANDS = (Role.FULFILMENT, Role.STAFF_ADMIN)
TYPED = ("received_by", "delivered_at")


def _shipment_or_404(order_id: int, shipment_id: int):
    order = fulfilment.order_for_staff(order_id) or abort(404)
    shipment = next((s for s in order.shipments if s.id == shipment_id), None) or abort(404)
    return order, shipment


def _page(order, shipment, status_code=200, typed=None, errors=None):
    return render("fulfilment/delivery.html", status_code=status_code, order=order,
                  shipment=shipment, typed=typed or {}, errors=errors or {})


@bp.get("/orders/<int:order_id>/shipments/<int:shipment_id>/delivery")
@allow(HANDS)
def delivery(order_id: int, shipment_id: int):
    return _page(*_shipment_or_404(order_id, shipment_id))


@bp.post("/orders/<int:order_id>/shipments/<int:shipment_id>/delivery")
@accepts_upload(up_to=PHONE_PHOTO_CAP)
@allow(HANDS)
def record_delivery(order_id: int, shipment_id: int):
    order, shipment = _shipment_or_404(order_id, shipment_id)
    typed = {k: request.form.get(k, "")[:200] for k in TYPED}
    return run(lambda: fulfilment.record_delivery(
                   order, shipment, current_user, typed["received_by"], typed["delivered_at"],
                   photo_of(), get_timezone(), datetime.now(UTC)),
               refused=lambda problem: _page(*_shipment_or_404(order_id, shipment_id),
                                             typed=typed,
                                             errors={problem.field or "form": str(problem)}),
               done=lambda _s: moved_on(_("Delivery recorded; the buyer sees it on the order."),
                                        url_for(".order_detail", order_id=order_id)))


@bp.get("/orders/<int:order_id>/shipments/<int:shipment_id>/proof")
@allow(HANDS)
def delivery_photo(order_id: int, shipment_id: int):
    _order, shipment = _shipment_or_404(order_id, shipment_id)
    return stored_response(shipment.proof_key, private=True) if shipment.proof_key else abort(404)
