"""The customer's own order lines as a CSV file (for their accountant or purchasing tools):
the orders this user may see, nothing else, streamed."""

from datetime import date

from flask import Response, stream_with_context
from flask_login import current_user

from portal.access import CUSTOMERS, allow
from portal.blueprints.orders import bp
from portal.services import backoffice
from portal.services.orders import visible_orders


@bp.get("/export.csv")
@allow(CUSTOMERS)
def export():
    rows = backoffice.order_rows(visible_orders(current_user))
    body = stream_with_context(
        part.encode("utf-8") for part in backoffice.stream_csv(backoffice.ORDER_HEADER, rows))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="order-lines-{date.today().isoformat()}.csv"')
    return response
