from flask import Blueprint

bp = Blueprint("fulfilment", __name__, url_prefix="/staff/fulfilment")

from portal.blueprints.fulfilment import proof, routes  # noqa: E402,F401
