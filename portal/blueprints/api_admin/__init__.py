"""The back office of the API: clients and their tokens, the API reference, webhook logs."""

from flask import Blueprint

# Staff pages under /staff, a company admin's under /company: one feature, two audiences.
bp = Blueprint("api_admin", __name__)

from portal.blueprints.api_admin import company, routes  # noqa: E402,F401


@bp.app_template_global()
def erp_number_for(order_id: int) -> str | None:
    """The seller's ERP number of an order, stored through the API; the buyer sees it."""
    from portal.services.integration import erp_numbers

    return erp_numbers([order_id]).get(order_id)
