from flask import Blueprint

bp = Blueprint("approvals", __name__, url_prefix="/approvals")

from portal.blueprints.approvals import link, routes  # noqa: E402,F401
