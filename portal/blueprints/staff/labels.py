"""Translated labels for codes stored in the database, available to every template."""

from flask_babel import lazy_gettext as _l

from portal.blueprints.staff import bp
from portal.form_choices import chosen_label
from portal.models import Role
from portal.services.backoffice import status_label, terms_label, trade_label
from portal.services.orders import STATUS_LABELS

ROLE_LABELS = {
    Role.COMPANY_ADMIN: _l("Company admin"),
    Role.APPROVER: _l("Approver"),
    Role.BUYER: _l("Buyer"),
    Role.VIEWER: _l("Viewer"),
    Role.STAFF_ADMIN: _l("Staff admin"),
    Role.SALES_REP: _l("Sales rep"),
    Role.FULFILMENT: _l("Fulfilment"),
}
# One wording for order statuses, shared with the customers' order pages.
ORDER_STATUS_LABELS = STATUS_LABELS


@bp.app_template_global()
def role_label(role) -> str:
    return str(ROLE_LABELS.get(role, role))


@bp.app_template_global()
def order_status_label(status) -> str:
    return str(ORDER_STATUS_LABELS.get(status, status))


bp.add_app_template_global(trade_label, "trade_label")
bp.add_app_template_global(terms_label, "terms_label")
bp.add_app_template_global(status_label, "company_status_label")
bp.add_app_template_global(chosen_label, "chosen_label")
