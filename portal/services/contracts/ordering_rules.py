"""A public buyer's checkout: the legal commitment number and the service code every order
needs, the contract in force on the day it is placed and the room left under its ceiling.

`checkout_errors` judges the two fields (a message per field, as checkout shows them);
`order_terms` is called as the order is placed: it locks the contract in force (two orders
placed at once cannot both pass its ceiling), refuses an order placed out of the contract's
dates or past its ceiling, and gives what the order records (`framework_contract_id`,
`service_code`). Anyone who is not a public-sector buyer gets no errors and no terms.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import FrameworkContract
from portal.services import DomainError
from portal.services.contracts.spend import closed_words, money_words, spent_by_contract
from portal.services.selling import is_public, standing

SERVICE_CODE_MAX = 100


class ContractRefused(DomainError):
    """The contract refuses the order: the whole form's problem, not a field's (409)."""

    status = 409


class ContractClosed(ContractRefused):
    """No contract in force on the day the order is placed."""


class CeilingReached(ContractRefused):
    """The order would take the contract past its ceiling."""


def is_public_buyer(user) -> bool:
    return is_public(getattr(user, "company", None))


def clean_service_code(raw) -> str:
    code = " ".join(str(raw or "").split())
    if not code:
        raise ValueError(_("Enter the service code: the invoice goes to this service through "
                           "Chorus Pro."))
    if len(code) > SERVICE_CODE_MAX or not code.isprintable():
        raise ValueError(_("A service code has %(max)s letters, digits or dashes at most.",
                           max=SERVICE_CODE_MAX))
    return code


def checkout_errors(user, po_number: str, service_code: str) -> dict[str, str]:
    """The commitment number (the order's PO number field) and the service code: a message
    for each that is missing or wrong; {} for anyone who is not a public buyer."""
    if not is_public_buyer(user):
        return {}
    errors = {}
    if not " ".join(str(po_number or "").split()):
        errors["po_number"] = _("Enter the legal commitment number: every order under a "
                                "public contract needs one.")
    try:
        clean_service_code(service_code)
    except ValueError as e:
        errors["service_code"] = str(e)
    return errors


def check_ceiling(contract, subtotal_cents: int, currency: str,
                  order_id: int | None = None) -> None:
    """Raises CeilingReached if `subtotal_cents` excl. VAT, with what the contract's other
    orders commit (all but `order_id`), passes its ceiling. The contract row is taken until
    the transaction ends: a second order under it waits, then counts this one."""
    db.session.execute(select(FrameworkContract.id).where(
        FrameworkContract.id == contract.id).with_for_update()).all()
    spent = spent_by_contract([contract.id], without=order_id).get(contract.id, 0)
    if spent + subtotal_cents > contract.ceiling_cents:
        left = max(0, contract.ceiling_cents - spent)
        raise CeilingReached(_(
            "This order (%(total)s excl. VAT) would take contract %(reference)s past its "
            "ceiling of %(ceiling)s: %(left)s is left. Remove some lines or contact us.",
            total=money_words(subtotal_cents, currency), reference=contract.reference,
            ceiling=money_words(contract.ceiling_cents, currency),
            left=money_words(left, currency)))


def approval_check(order, subtotal_cents: int) -> None:
    """Before an approver approves `order` (at `subtotal_cents`, after any trim): an order
    under a contract must still fit its ceiling (the ceiling may have been lowered since it
    was placed), else CeilingReached and nothing is decided. Other orders: nothing."""
    if order.framework_contract_id is None:
        return
    contract = db.session.get(FrameworkContract, order.framework_contract_id)
    check_ceiling(contract, subtotal_cents, order.currency, order_id=order.id)


def order_terms(user, service_code: str, subtotal_cents: int, currency: str,
                today: date) -> dict:
    """What a public buyer's order records; {} for anyone else. Raises ContractClosed out of
    the contract's dates, CeilingReached past its ceiling (nothing is written)."""
    if not is_public_buyer(user):
        return {}
    found = standing(user.company, today)
    if found.current is None:
        raise ContractClosed(closed_words(found))
    contract = found.current
    check_ceiling(contract, subtotal_cents, currency)
    return {"framework_contract_id": contract.id,
            "service_code": clean_service_code(service_code)}
