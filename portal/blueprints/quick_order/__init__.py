from flask import Blueprint

bp = Blueprint("quick_order", __name__, url_prefix="/quick-order")

from portal.blueprints.quick_order import quote, routes  # noqa: E402,F401
