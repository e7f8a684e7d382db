from flask import Blueprint

bp = Blueprint("cart", __name__, url_prefix="/cart")

from portal.blueprints.cart import codes, routes  # noqa: E402,F401
