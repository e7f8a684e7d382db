"""Order history and order detail for customer users (scoped by services.orders)."""

from datetime import UTC, datetime

from flask import abort, current_app, request
from flask_login import current_user

from portal.access import BUYERS, CUSTOMERS, allow
from portal.blueprints.orders import bp
from portal.rendering import render
from portal.services import claims, orders
from portal.services.selling import can_order


@bp.get("/")
@allow(CUSTOMERS)
def index():
    user = current_user._get_current_object()  # read many times: the proxy once
    jobsites = orders.visible_jobsites(user)
    filters = orders.parse_filters(request.args, [j.id for j in jobsites])
    cursor = request.args.get("cursor") or None
    page = orders.history_page(user, filters, cursor)
    # "Load more" swaps the link's own row for the next rows; filters swap the results.
    block = "load_more" if cursor else "order_results"
    # Each label once for the status filter and the rows (an order's status is one of these).
    labels = {status: orders.status_label(status) for status in orders.STATUS_LABELS}
    return render("orders/index.html", block=block, page=page, filters=filters,
                  jobsites=jobsites, statuses=list(labels), status_labels=labels,
                  paged=bool(cursor))


@bp.get("/<int:order_id>")
@allow(CUSTOMERS)
def detail(order_id: int):
    view = orders.order_view(current_user, order_id) or abort(404)
    return render("orders/detail.html", view=view, order=view.order,
                  can_order=can_order(current_user), may_report=current_user.role in BUYERS,
                  claims=claims.for_order(view.order, datetime.now(UTC),
                                          current_app.config["CLAIM_WINDOW_DAYS"]),
                  claim_reasons=claims.REASON_LABELS, claim_statuses=claims.STATUS_LABELS)


from portal.blueprints.orders import actions, due, home, reports  # noqa: E402,F401
