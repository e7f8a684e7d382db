from flask import Blueprint

bp = Blueprint("pages", __name__)

from portal.blueprints.pages import routes  # noqa: E402,F401
