from flask import Blueprint

bp = Blueprint("fulfilment", __name__, url_prefix="/staff/fulfilment")

from portal.blueprints.fulfilment import routes  # noqa: E402,F401
