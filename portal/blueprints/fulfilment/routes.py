"""Fulfilment: the queue of orders to prepare, and the order page where staff move them on."""

from datetime import UTC, datetime

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.fulfilment import bp, cards  # noqa: F401 - cards register home cards
from portal.errors import error_response
from portal.models import Role
from portal.rendering import render, wants_fragment
from portal.services import fulfilment as service
from portal.services import storefronts
from portal.services.fulfilment import STATUS_LABELS, Action, Verdict, verdict
from portal.usecases import moved_on, run

HANDS = (Role.FULFILMENT, Role.STAFF_ADMIN)


def _now() -> datetime:
    return datetime.now(UTC)


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _order_or_404(order_id: int):
    order = service.order_for_staff(order_id)
    if order is None:
        abort(404)
    return order


@bp.get("/")
@allow(HANDS)
def index():
    choice = request.args.get("status", "open")
    if choice not in ("all", *(s.value for s in STATUS_LABELS)):
        choice = "open"
    warehouse_id = _int_arg("warehouse")
    search = request.args.get("q", "")[:80]
    storefront_id = _int_arg("storefront")
    result = service.queue_page(service.statuses_for(choice), warehouse_id, _int_arg("page") or 1,
                                search, storefront_id)
    return render("fulfilment/queue.html", block="queue", result=result, choice=choice,
                  warehouse_id=warehouse_id, search=search, warehouses=service.warehouses(),
                  status_labels=STATUS_LABELS, storefront_id=storefront_id,
                  storefronts=storefronts.all_fronts())


def _detail(order_id: int, status_code: int = 200, **extra):
    order = _order_or_404(order_id)
    return render("fulfilment/order.html", block="order", status_code=status_code,
                  order=order, actions=service.allowed_actions(order.status, current_user.role),
                  proposal=service.shipment_proposal(order),
                  events=service.recent_events(order), warehouses=service.warehouses(),
                  today=_now().date(), fragment=wants_fragment(), Action=Action,
                  status_labels=STATUS_LABELS, **extra)


@bp.get("/orders/<int:order_id>")
@allow(HANDS)
def order_detail(order_id: int):
    return _detail(order_id)


def _transition(order_id: int, action, done: str, on_invalid=None):
    """One transaction: run the use case, commit, then post/redirect/get.

    A role that may not (403) or a status that does not allow it (409) gets the error page;
    typed input that is wrong gets the form again (422)."""
    def refused(problem):
        if isinstance(problem, (service.Forbidden, service.Conflict)):
            return error_response(problem.status, str(problem) if problem.status == 409 else "")
        return on_invalid(problem) if on_invalid else _detail(order_id, problem=str(problem))

    return run(action, refused, lambda _result: moved_on(
        done, url_for(".order_detail", order_id=order_id)))


@bp.post("/orders/<int:order_id>/confirm")
@allow(HANDS)
def confirm(order_id: int):
    order = _order_or_404(order_id)
    return _transition(order_id, lambda: service.confirm(order, current_user, _now()),
                       _("Order %(number)s confirmed.", number=order.number))


@bp.post("/orders/<int:order_id>/ship")
@allow(HANDS)
def ship(order_id: int):
    order = _order_or_404(order_id)
    form = request.form
    typed = {line.id: form.get(f"qty-{line.id}", "") for line in order.lines}

    def invalid(exc):
        return _detail(order_id, 422, ship_errors=getattr(exc, "errors", {}),
                       ship_problem=str(exc), ship_typed=typed,
                       ship_fields={k: form.get(k, "") for k in ("carrier", "tracking",
                                                                 "warehouse")})

    return _transition(order_id, lambda: service.record_shipment(
        order, current_user, typed, form.get("carrier", ""), form.get("tracking", ""),
        form.get("warehouse", ""), _now()), _("Shipment recorded."), invalid)


@bp.post("/orders/<int:order_id>/lines/<int:line_id>/backorder")
@allow(HANDS)
def backorder(order_id: int, line_id: int):
    order = _order_or_404(order_id)
    line = next((line for line in order.lines if line.id == line_id), None)
    if line is None:
        abort(404)
    qty, expected = request.form.get("quantity", ""), request.form.get("expected", "")

    def invalid(exc):
        return _detail(order_id, 422, backorder_line=line_id, backorder_error=str(exc),
                       backorder_typed={"quantity": qty, "expected": expected})

    return _transition(order_id, lambda: service.backorder_line(
        order, line, current_user, qty, expected, _now()), _("Backorder saved."), invalid)


@bp.post("/orders/<int:order_id>/collected")
@allow(HANDS)
def collected(order_id: int):
    """A collection order handed over at its branch (and paid there when it is paid at
    collection): every unit leaves the branch's stock, the order is delivered."""
    order = _order_or_404(order_id)
    return _transition(order_id, lambda: service.mark_collected(order, current_user, _now()),
                       _("Order %(number)s collected.", number=order.number))


@bp.post("/orders/<int:order_id>/deliver")
@allow(HANDS)
def deliver(order_id: int):
    order = _order_or_404(order_id)
    return _transition(order_id, lambda: service.mark_delivered(order, current_user, _now()),
                       _("Order %(number)s marked delivered.", number=order.number))


@bp.route("/orders/<int:order_id>/cancel", methods=["GET", "POST"])
@allow(HANDS)
def cancel(order_id: int):
    """A confirmation page (works without JavaScript), then the cancellation itself."""
    order = _order_or_404(order_id)
    found = verdict(Action.CANCEL, order.status, current_user.role)
    if found is Verdict.FORBIDDEN:
        abort(403)
    if found is Verdict.NOT_POSSIBLE:
        return error_response(409, _("Not possible in status “%(status)s”.",
                                     status=service.status_label(order.status)))
    reason = request.form.get("reason", "")
    if request.method != "POST":
        return render("fulfilment/cancel.html", order=order, reason=reason)

    def invalid(exc):
        return render("fulfilment/cancel.html", block="cancel", status_code=422,
                      order=_order_or_404(order_id), reason=reason, problem=str(exc))

    return _transition(order_id, lambda: service.cancel(order, current_user, reason, _now()),
                       _("Order %(number)s cancelled.", number=order.number), invalid)
