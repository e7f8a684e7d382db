"""The catalog: categories, search, product pages, and adding to the cart or a list."""

from flask import Blueprint, current_app
from flask_login import current_user

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


@bp.before_request
def _public_or_sign_in():
    """Anonymous browsing only when the seller allows it (config PUBLIC_CATALOG)."""
    if not current_app.config["PUBLIC_CATALOG"] and not current_user.is_authenticated:
        from portal.extensions import login_manager

        return login_manager.unauthorized()
    return None


from portal.blueprints.catalog import actions, cards, routes  # noqa: E402,F401
