"""The staff's claims: the queue, one claim with its photo, and settling it by reshipping
the units or crediting them. Staff see every company's claims; an unknown id is a 404."""

from datetime import UTC, datetime

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.claims import bp
from portal.media import stored_response
from portal.models import ClaimStatus, Role
from portal.rendering import render
from portal.services import claims
from portal.usecases import moved_on, run

HANDS = (Role.FULFILMENT, Role.STAFF_ADMIN)


def _now() -> datetime:
    return datetime.now(UTC)


def _claim_or_404(claim_id: int):
    return claims.claim_for_staff(claim_id) or abort(404)


@bp.get("/")
@allow(HANDS)
def index():
    settled = request.args.get("show") == "settled"
    return render("claims/queue.html", settled=settled,
                  claims=claims.queue(None if settled else ClaimStatus.OPEN),
                  reasons=claims.REASON_LABELS, statuses=claims.STATUS_LABELS)


def _page(claim, status_code=200, typed=None, errors=None):
    return render("claims/claim.html", status_code=status_code, claim=claim,
                  reasons=claims.REASON_LABELS, statuses=claims.STATUS_LABELS,
                  reship_from=claims.reship_from(claim), typed=typed or {},
                  errors=errors or {})


@bp.get("/<int:claim_id>")
@allow(HANDS)
def detail(claim_id: int):
    return _page(_claim_or_404(claim_id))


@bp.get("/<int:claim_id>/photo")
@allow(HANDS)
def photo(claim_id: int):
    claim = _claim_or_404(claim_id)
    return stored_response(claim.photo_key or "", private=True) if claim.photo_key else abort(404)


def _refused(claim_id: int, typed: dict):
    def answer(problem):
        return _page(_claim_or_404(claim_id), typed=typed,
                     errors={problem.field or "form": str(problem)})
    return answer


@bp.post("/<int:claim_id>/reship")
@allow(HANDS)
def reship(claim_id: int):
    claim = _claim_or_404(claim_id)
    typed = {k: request.form.get(k, "")[:200] for k in ("carrier", "tracking", "warehouse")}
    return run(lambda: claims.reship(claim, current_user, typed["carrier"], typed["tracking"],
                                     typed["warehouse"], _now()),
               refused=_refused(claim_id, typed),
               done=lambda _s: moved_on(_("Replacement shipment recorded; the buyer is told."),
                                        url_for(".detail", claim_id=claim_id)))


@bp.post("/<int:claim_id>/credit")
@allow(HANDS)
def credit(claim_id: int):
    claim = _claim_or_404(claim_id)
    return run(lambda: claims.credit(claim, current_user, _now()),
               refused=_refused(claim_id, {}),
               done=lambda _c: moved_on(_("Credit recorded; the buyer is told."),
                                        url_for(".detail", claim_id=claim_id)))
