"""Invoices and statements: the customer's statement and invoice pages with their Factur-X
downloads, the home card, the invoices on the buyer's order page; the staff's billing contact
form, invoice list, payments and credit notes."""

from flask import Blueprint
from flask_login import current_user

bp = Blueprint("billing", __name__)


@bp.app_template_global()
def order_invoices(order) -> list:
    """The invoices of `order` the signed-in reader may open (the order page shows them)."""
    from portal.services import billing

    return billing.invoices_of_order(current_user, order)


@bp.app_template_global()
def invoice_rates(invoice) -> list:
    """The per-rate VAT rows of an invoice, by the one rounding rule (totals_by_rate)."""
    from portal.services.selling import totals_by_rate

    return totals_by_rate((line.tax_rate_bp, line.line_total_cents) for line in invoice.lines)


@bp.app_template_global()
def may_read_statement(user) -> bool:
    from portal.services import billing

    return billing.may_read_statement(user)


@bp.app_template_global()
def billing_service_code(company_id: int) -> str:
    """The Chorus Pro service code of a public-sector customer ("" otherwise): checkout says
    the PO number is its legal commitment number."""
    from portal.services import billing

    return billing.service_code_of(company_id)


@bp.app_template_global()
def billing_profile_of(company_id: int):
    from portal.services import billing

    return billing.profile_of(company_id)


from portal.blueprints.billing import routes, staff_routes  # noqa: E402,F401
