"""The ERP drives fulfilment: confirm, ship (some or all lines), backorder, deliver, cancel.

The same rules as the staff's order page: a move not possible from the order's status is a
409 that names the status; the timeline and the buyer's email are the same.
"""

from flask import g, jsonify

from portal.blueprints.api import bp
from portal.blueprints.api.operations import now, operation
from portal.blueprints.api.problems import ApiProblem
from portal.blueprints.api.schemas import (
    BackorderIn,
    CancelIn,
    Empty,
    IdempotencyHeader,
    OrderOut,
    ShipmentIn,
)
from portal.services import integration

ANSWERS = {"HTTP_200": OrderOut}
REFUSALS = ("HTTP_400", "HTTP_404", "HTTP_409", "HTTP_415")


def _write(body):
    return operation("fulfilment:write", headers=IdempotencyHeader, json=body, resp=ANSWERS,
                     tags=["fulfilment"], status_codes=REFUSALS)


def _order_or_404(order_id: int):
    order = integration.order_for(g.api_client.company_id, order_id)
    if order is None:
        raise ApiProblem(404, code="not_found")
    return order


def _apply(order_id: int, action):
    order = _order_or_404(order_id)
    action(order)  # a refusal (409 naming the status, 422 per line) is answered by problems
    integration.expire(order)
    return jsonify(integration.serialize([integration.order_for(None, order.id)])[0])


@bp.post("/orders/<int:order_id>/confirm")
@_write(Empty)
def confirm_order(order_id: int, json: Empty):
    """Confirm a submitted order (it is being prepared)."""
    return _apply(order_id, lambda o: integration.confirm_order(o, g.api_client, now()))


@bp.post("/orders/<int:order_id>/shipments")
@_write(ShipmentIn)
def ship_order(order_id: int, json: ShipmentIn):
    """Ship some or all of the lines, with carrier and tracking number."""
    quantities: dict[int, int] = {}
    for line in json.lines:
        quantities[line.line_id] = quantities.get(line.line_id, 0) + line.quantity
    return _apply(order_id, lambda o: integration.ship_order(
        o, g.api_client, quantities, json.carrier, json.tracking_number, json.warehouse_id,
        now()))


@bp.post("/orders/<int:order_id>/backorders")
@_write(BackorderIn)
def backorder(order_id: int, json: BackorderIn):
    """Put part of a line on backorder with an expected date (quantity 0 clears it)."""
    return _apply(order_id, lambda o: integration.backorder_line(
        o, g.api_client, json.line_id, json.quantity, json.expected_date, now()))


@bp.post("/orders/<int:order_id>/deliver")
@_write(Empty)
def deliver_order(order_id: int, json: Empty):
    """Mark a shipped order delivered."""
    return _apply(order_id, lambda o: integration.deliver_order(o, g.api_client, now()))


@bp.post("/orders/<int:order_id>/cancel")
@_write(CancelIn)
def cancel_order(order_id: int, json: CancelIn):
    """Cancel with a reason the buyer will read."""
    return _apply(order_id, lambda o: integration.cancel_order(o, g.api_client, json.reason,
                                                               now()))
