"""Framework contracts of public-sector buyers: the gauge on the buyer's home and cart (spend
against the ceiling, the warning from 80 %, or why nothing can be ordered), and the staff's
contract form under the customer page."""

from flask import Blueprint, g
from flask_login import current_user

from portal.access import BUYERS
from portal.home_cards import home_card

bp = Blueprint("contracts", __name__)


@bp.app_template_global()
def public_terms():
    """The signed-in public buyer's contract in force with its spend, or why they cannot
    order; None for anyone else (read once a request)."""
    if "_public_terms" not in g:
        from portal.services import contracts

        g._public_terms = contracts.public_terms(current_user)
    return g._public_terms


@bp.app_template_global()
def framework_contracts_of(company):
    """The customer's contracts with their spend (the staff's customer page); None when the
    customer is not on a public-sector storefront."""
    from portal.services import contracts

    return contracts.contract_rows(company) if contracts.takes_contracts(company) else None


@home_card(0, BUYERS, "contracts/_gauge.html")
def contract_card(user):
    terms = public_terms()
    return {"terms": terms} if terms is not None else None


from portal.blueprints.contracts import routes  # noqa: E402,F401
