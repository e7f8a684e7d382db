from flask import Blueprint

bp = Blueprint("checkout", __name__, url_prefix="/checkout")

from portal.blueprints.checkout import routes  # noqa: E402,F401
