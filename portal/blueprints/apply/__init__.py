from flask import Blueprint

bp = Blueprint("apply", __name__, url_prefix="/apply")

from portal.blueprints.apply import routes  # noqa: E402,F401
