from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/staff/imports")

from portal.blueprints.imports import routes  # noqa: E402,F401
