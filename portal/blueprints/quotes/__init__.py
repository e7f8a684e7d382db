from flask import Blueprint

bp = Blueprint("quotes", __name__, url_prefix="/quotes")

from portal.blueprints.quotes import cards, desk, files, routes  # noqa: E402,F401
