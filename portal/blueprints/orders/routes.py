"""Order history and order detail for customer users (scoped by services.orders)."""

from flask import abort, request
from flask_login import current_user

from portal.access import CUSTOMERS, allow
from portal.blueprints.orders import bp
from portal.rendering import render
from portal.services import orders
from portal.services.selling import can_order


@bp.get("/")
@allow(CUSTOMERS)
def index():
    jobsites = orders.visible_jobsites(current_user)
    filters = orders.parse_filters(request.args, [j.id for j in jobsites])
    cursor = request.args.get("cursor") or None
    page = orders.history_page(current_user, filters, cursor)
    # "Load more" swaps the link's own row for the next rows; filters swap the results.
    block = "load_more" if cursor else "order_results"
    return render("orders/index.html", block=block, page=page, filters=filters,
                  jobsites=jobsites, statuses=list(orders.STATUS_LABELS),
                  paged=bool(cursor))


@bp.get("/<int:order_id>")
@allow(CUSTOMERS)
def detail(order_id: int):
    view = orders.order_view(current_user, order_id) or abort(404)
    return render("orders/detail.html", view=view, order=view.order,
                  can_order=can_order(current_user))


from portal.blueprints.orders import actions, due, home  # noqa: E402,F401
