from flask import Blueprint

bp = Blueprint("claims", __name__, url_prefix="/staff/claims")

from portal.blueprints.claims import cards, routes  # noqa: E402,F401
