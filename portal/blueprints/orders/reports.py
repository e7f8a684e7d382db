"""The buyer reports a problem with a delivered line (short, damaged, wrong product) from the
phone, and reads the proof of delivery's photo and a claim's photo. Another company's order,
line, shipment or claim is a 404 on every path."""

from datetime import UTC, datetime

from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import BUYERS, CUSTOMERS, allow
from portal.blueprints.orders import bp
from portal.media import stored_response
from portal.rendering import render
from portal.services import claims
from portal.usecases import moved_on, run
from portal.web import PHONE_PHOTO_CAP, accepts_upload, photo_of

TYPED = ("reason", "quantity", "note")


def _now() -> datetime:
    return datetime.now(UTC)


def _window() -> int:
    return int(current_app.config["CLAIM_WINDOW_DAYS"])


def _line_or_404(order_id: int, line_id: int):
    return claims.line_for_customer(current_user, order_id, line_id) or abort(404)


def _page(order, line, status_code=200, typed=None, errors=None):
    now = _now()
    return render("orders/claim.html", status_code=status_code, order=order, line=line,
                  state=claims.line_state(order, line, now, _window()), now=now,
                  reasons=claims.REASON_LABELS, typed=typed or {}, errors=errors or {})


@bp.get("/<int:order_id>/lines/<int:line_id>/claim")
@allow(BUYERS)
def claim(order_id: int, line_id: int):
    return _page(*_line_or_404(order_id, line_id))


@bp.post("/<int:order_id>/lines/<int:line_id>/claim")
@accepts_upload(up_to=PHONE_PHOTO_CAP)
@allow(BUYERS)
def claim_send(order_id: int, line_id: int):
    order, line = _line_or_404(order_id, line_id)
    typed = {k: request.form.get(k, "")[:1000] for k in TYPED}
    return run(lambda: claims.report(current_user, order, line, typed["reason"],
                                     typed["quantity"], typed["note"], photo_of(), _now(),
                                     _window()),
               refused=lambda problem: _page(*_line_or_404(order_id, line_id), typed=typed,
                                             errors={problem.field or "form": str(problem)}),
               done=lambda _c: moved_on(
                   _("Problem reported: the seller answers here and by e-mail."),
                   url_for(".detail", order_id=order_id, _anchor="claims")))


@bp.get("/<int:order_id>/claims/<int:claim_id>/photo")
@allow(CUSTOMERS)
def claim_photo(order_id: int, claim_id: int):
    found = claims.claim_for_customer(current_user, order_id, claim_id) or abort(404)
    return stored_response(found.photo_key, private=True) if found.photo_key else abort(404)


@bp.get("/<int:order_id>/shipments/<int:shipment_id>/proof")
@allow(CUSTOMERS)
def delivery_photo(order_id: int, shipment_id: int):
    found = claims.shipment_for_customer(current_user, order_id, shipment_id) or abort(404)
    return stored_response(found.proof_key, private=True) if found.proof_key else abort(404)
