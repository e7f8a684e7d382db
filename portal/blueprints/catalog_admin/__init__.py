from flask import Blueprint

bp = Blueprint("catalog_admin", __name__, url_prefix="/staff/catalog")

from portal.blueprints.catalog_admin import attributes, media, prices, routes  # noqa: E402,F401
