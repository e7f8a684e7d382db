"""Orders for the ERP (all companies) and for a customer's system (its own company only)."""

from flask import g, jsonify

from portal.blueprints.api import bp
from portal.blueprints.api.operations import now, operation
from portal.blueprints.api.problems import ApiProblem
from portal.blueprints.api.schemas import ErpNumberIn, Me, OrderListQuery, OrderOut, OrderPage
from portal.services import integration


def _order_or_404(order_id: int):
    # A customer-side client sees its company's orders only; another's answers as missing.
    order = integration.order_for(g.api_client.company_id, order_id)
    if order is None:
        raise ApiProblem(404, code="not_found")
    return order


@bp.get("/me")
@operation(None, resp={"HTTP_200": Me}, tags=["clients"])
def me():
    """The calling client: its name, scopes and (customer side) company."""
    client = g.api_client
    return Me(name=client.name, scopes=client.scopes, company_id=client.company_id)


@bp.get("/orders")
@operation("orders:read", resp={"HTTP_200": OrderPage}, tags=["orders"],
           status_codes=("HTTP_400",))
def list_orders(query: OrderListQuery):
    """Orders changed since a cursor or an instant, oldest change first."""
    orders, after, more = integration.orders_page(
        g.api_client.company_id, cursor=query.cursor, updated_since=query.updated_since,
        status=query.status, limit=query.limit)
    return jsonify(data=integration.serialize(orders), next_cursor=after, has_more=more)


@bp.get("/orders/<int:order_id>")
@operation("orders:read", resp={"HTTP_200": OrderOut}, tags=["orders"],
           status_codes=("HTTP_404",))
def get_order(order_id: int):
    """One order with its lines (prices as frozen), delivery place, approvals, shipments."""
    return jsonify(integration.serialize([_order_or_404(order_id)])[0])


@bp.put("/orders/<int:order_id>/erp-number")
@operation("fulfilment:write", json=ErpNumberIn, resp={"HTTP_200": OrderOut}, tags=["orders"],
           status_codes=("HTTP_404", "HTTP_400", "HTTP_415"))
def put_erp_number(order_id: int, json: ErpNumberIn):
    """Store the ERP's own number for this order; the buyer sees it on the order page."""
    order = _order_or_404(order_id)
    integration.set_erp_number(order, json.erp_number, g.api_client, now())
    return jsonify(integration.serialize([order])[0])
