from flask import Blueprint

bp = Blueprint("orders", __name__, url_prefix="/orders")

from portal.blueprints.orders import export, routes, shipment_card  # noqa: E402,F401
