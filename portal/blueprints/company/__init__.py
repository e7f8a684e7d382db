from flask import Blueprint

bp = Blueprint("company", __name__, url_prefix="/company")

from portal.blueprints.company import crew, journal, routes, rules, units  # noqa: E402,F401
