from flask import Blueprint, abort

from portal.web import current_front

bp = Blueprint("apply", __name__, url_prefix="/apply")


@bp.before_request
def trade_portal_only():
    """Trade accounts are applied for on the trade portal; other storefronts sign people up
    their own way."""
    front = current_front()
    if front is None or not front.is_trade:
        abort(404)

from portal.blueprints.apply import routes  # noqa: E402,F401
