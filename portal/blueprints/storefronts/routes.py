"""Every request is for one storefront; an unknown host gets a bare 404 naming none."""

from flask import Response, g, make_response, request

from portal.access import PUBLIC, allow
from portal.blueprints.storefronts import bp
from portal.services import storefronts
from portal.web import current_front, shop_initials, shop_name

# Probes and files work on any host (a load balancer asks by address).
ANY_HOST = {"ops.healthz", "ops.readyz", "ops.metrics", "static"}

UNKNOWN_HOST_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Site inconnu</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Site inconnu</h1><p>Aucune boutique ne répond à cette adresse.</p>
<p lang="en">No shop answers at this address.</p></body></html>
"""


@bp.before_app_request
def storefront_of_the_host():
    if request.endpoint in ANY_HOST:
        return None
    if current_front() is None:
        response = Response(UNKNOWN_HOST_PAGE, status=404, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        return response
    return None


@bp.app_context_processor
def storefront_context():
    # Set by the hook above before any page renders; never read here (an error page about
    # the database must not query it).
    return {"storefront": g.get("storefront"), "shop_name": shop_name,
            "shop_initials": shop_initials}


@bp.app_template_global()
def shown_price(cents: int | None, tax) -> int | None:
    """A price as this storefront shows it: excl. VAT (trade), or with the line's VAT added
    and rounded half up (consumers; the order's totals still apply VAT once per rate)."""
    front = g.get("storefront")
    if cents is None or tax is None or not (front and front.prices_with_vat):
        return cents
    return cents + tax.on(cents)


@bp.app_template_global()
def visitor_shop() -> bool:
    """This page's visitor may fill a cart without an account (a consumer storefront)."""
    from flask_login import current_user

    return not current_user.is_authenticated and storefronts.sells_to_visitors(
        g.get("storefront"))


@bp.app_template_global()
def consumer_shop() -> bool:
    """This page is on a consumer storefront: consumer wording, no trade features (quote
    requests, quick order, lists, PO numbers...)."""
    front = g.get("storefront")
    return front is not None and front.is_consumer


@bp.app_template_global()
def storefront_name(storefront_id: int) -> str:
    """An order's storefront, named on staff pages (from memory, no query)."""
    return storefronts.by_id(storefront_id).name


@bp.get("/storefront.css")
@allow(PUBLIC)
def colours():
    """The storefront's brand colour over the base style sheet (linked with ?v=<colour>, so
    a year of caching is safe: a new colour is a new URL)."""
    front = current_front()
    response = make_response(f":root {{ --brand: {front.brand_colour}; }}\n")
    response.mimetype = "text/css"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.vary.add("Host")
    return response
