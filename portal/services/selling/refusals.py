"""A verdict said to the buyer: the message a refused quantity raises, with its fix."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.services import DomainError
from portal.services.selling.rules import MAX_QUANTITY, QuantityRule, Reason


class QuantityNotOrderable(DomainError):
    """A quantity the product is not sold in; `suggestion` is the nearest one that is."""

    def __init__(self, message: str, suggestion: int | None = None):
        super().__init__(message)
        self.suggestion = suggestion


def quantity_message(reason: Reason, rule: QuantityRule) -> str:
    if reason == Reason.TOO_MANY:
        return _("The quantity cannot exceed %(max)s.", max=MAX_QUANTITY)
    if reason == Reason.MULTIPLE:
        return _("Order in steps of %(step)s.", step=rule.step)
    return _("The smallest quantity is %(min)s.", min=rule.minimum)


def require_quantity(rule: QuantityRule, quantity: int) -> None:
    """Raise QuantityNotOrderable (a DomainError) when `quantity` breaks the rule; its
    `suggestion` is the nearest orderable quantity, offered next to the stepper."""
    found = rule.problem(quantity)
    if found is not None:
        raise QuantityNotOrderable(quantity_message(found[0], rule), found[1])
