"""Seller back office: the dashboard; the other pages live in the sibling modules."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, request
from flask_babel import format_date, get_locale
from flask_login import current_user

from portal.access import STAFF, allow
from portal.blueprints.staff import (  # noqa: F401
    acting,
    applications,
    bp,
    cards,
    credit,
    customers,
    labels,
)
from portal.rendering import render
from portal.services import backoffice, storefronts

# SVG user units: the charts scale to the screen's width (viewBox), text stays legible.
CHART_WIDTH = 320
WEEK_PLOT_HEIGHT = 110
ROW_HEIGHT = 40


def _charts(data: backoffice.Dashboard) -> dict:
    weeks = backoffice.column_bars([cents for _start, cents in data.weeks], CHART_WIDTH,
                                  WEEK_PLOT_HEIGHT)
    return {
        "weeks": [(bar, start, format_date(start, "d/M")) for bar, (start, _c)
                  in zip(weeks, data.weeks, strict=True)],
        "products": list(zip(backoffice.row_bars([r.cents for r in data.top_products],
                                                CHART_WIDTH, ROW_HEIGHT, 12, offset=22),
                             data.top_products, strict=True)),
        "customers": list(zip(backoffice.row_bars([r.cents for r in data.top_customers],
                                                 CHART_WIDTH, ROW_HEIGHT, 12, offset=22),
                              data.top_customers, strict=True)),
        "width": CHART_WIDTH, "plot_height": WEEK_PLOT_HEIGHT, "row_height": ROW_HEIGHT,
        "weeks_total": sum(cents for _start, cents in data.weeks),
        "weeks_max": max((cents for _start, cents in data.weeks), default=0),
    }


@bp.get("/")
@allow(STAFF)
def index():
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    # One currency at a time (the storefronts' currencies, read from memory): never a sum
    # of euros and francs.
    currencies = storefronts.currencies()
    currency = request.args.get("currency", currencies[0])
    if currency not in currencies:
        currency = currencies[0]
    data = backoffice.build_dashboard(current_user, datetime.now(UTC), tz, str(get_locale()),
                                      currency)
    return render("staff/dashboard.html", data=data, charts=_charts(data),
                  currencies=currencies)
