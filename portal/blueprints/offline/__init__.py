from flask import Blueprint

bp = Blueprint("offline", __name__)

from portal.blueprints.offline import routes  # noqa: E402,F401
