"""What people read for a stored code, in one place next to the enums: order and company
statuses (with their badge tone), roles, payment terms.

Pages, emails, services and forms all ask here (lazy strings: each reader's language), so a
status or a role has one name everywhere. A badge tone is a CSS class of the pill: "ok"
(green), "warn" (amber), "bad" (red) or "" (neutral).
"""

from flask_babel import lazy_gettext as _l

from portal.models.accounts import CompanyStatus, PaymentTerms, Role
from portal.models.orders import OrderStatus

# By value, so a status added to the enum must be worded here first (the tables below are
# built from the enum and fail on a missing word).
_ORDER_STATUS_WORDS = {
    "pending_approval": (_l("Waiting for approval"), "warn"),
    "credit_hold": (_l("Waiting for a credit check"), "warn"),
    "awaiting_payment": (_l("Awaiting payment"), "warn"),
    "rejected": (_l("Rejected"), "bad"),
    "submitted": (_l("Submitted"), ""),
    "confirmed": (_l("Confirmed"), ""),
    "partially_shipped": (_l("Partially shipped"), "warn"),
    "shipped": (_l("Shipped"), "ok"),
    "delivered": (_l("Delivered"), "ok"),
    "cancelled": (_l("Cancelled"), "bad"),
}
ORDER_STATUS_LABELS = {status: _ORDER_STATUS_WORDS[status.value][0] for status in OrderStatus}
ORDER_STATUS_TONES = {status: _ORDER_STATUS_WORDS[status.value][1] for status in OrderStatus}

COMPANY_STATUS_LABELS = {
    CompanyStatus.PENDING: _l("Pending review"),
    CompanyStatus.ACTIVE: _l("Active"),
    CompanyStatus.SUSPENDED: _l("Suspended"),
    CompanyStatus.REJECTED: _l("Application rejected"),
}
COMPANY_STATUS_TONES = {
    CompanyStatus.PENDING: "warn",
    CompanyStatus.ACTIVE: "ok",
    CompanyStatus.SUSPENDED: "bad",
    CompanyStatus.REJECTED: "bad",
}

# The domain's words (DOMAIN.md): an approver is the unit's purchasing manager.
ROLE_LABELS = {
    Role.COMPANY_ADMIN: _l("Company admin"),
    Role.APPROVER: _l("Purchasing manager"),
    Role.BUYER: _l("Buyer"),
    Role.VIEWER: _l("Viewer"),
    Role.STAFF_ADMIN: _l("Staff admin"),
    Role.SALES_REP: _l("Sales rep"),
    Role.FULFILMENT: _l("Fulfilment"),
}

# What the buyer is told at checkout and the staff choose: how and when the company pays.
PAYMENT_TERMS_LABELS = {
    PaymentTerms.PREPAY: _l("Prepayment: bank transfer"),
    PaymentTerms.NET30: _l("On account, net 30 days"),
    PaymentTerms.NET60: _l("On account, net 60 days"),
    PaymentTerms.NET90: _l("On account, net 90 days"),
}


def _label(table: dict, enum, value) -> str:
    """The label of a code (an enum member or its stored string); unknown codes as they are."""
    try:
        return str(table[enum(value)])
    except (ValueError, KeyError):
        return str(value or "")


def order_status_label(status) -> str:
    return _label(ORDER_STATUS_LABELS, OrderStatus, status)


def order_status_tone(status) -> str:
    try:
        return ORDER_STATUS_TONES[OrderStatus(status)]
    except (ValueError, KeyError):
        return ""


def company_status_label(status) -> str:
    return _label(COMPANY_STATUS_LABELS, CompanyStatus, status)


def company_status_tone(status) -> str:
    try:
        return COMPANY_STATUS_TONES[CompanyStatus(status)]
    except (ValueError, KeyError):
        return ""


def role_label(role) -> str:
    """"Purchasing manager": a badge, a select option, a column."""
    return _label(ROLE_LABELS, Role, role)


def role_in_sentence(role) -> str:
    """"purchasing manager": the same word inside a sentence ("Sophie (purchasing manager)")."""
    return role_label(role).lower()


def payment_terms_label(terms) -> str:
    return _label(PAYMENT_TERMS_LABELS, PaymentTerms, terms)
