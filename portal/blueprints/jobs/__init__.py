from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/staff/jobs")

from portal.blueprints.jobs import routes  # noqa: E402,F401
