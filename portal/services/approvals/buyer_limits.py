"""A buyer's own limits as the approval routing reads them: per-order limit, monthly budget,
what is spent this calendar month and what is left; a crew member's yearly allowance, what is
spent this calendar year and what is left.

The month and the spend are the routing's own (`approval_rules.month_start`,
`approval.buyer_month_spend`): what the buyer reads here is what the rules will compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

from portal.services.approvals import routing as approval
from portal.services.approvals import rules as rules_mod


@dataclass(frozen=True)
class BuyerLimits:
    order_limit_cents: int | None  # None: no per-order limit
    monthly_budget_cents: int | None  # None: no monthly budget
    month_spent_cents: int
    currency: str
    yearly_allowance_cents: int | None = None  # None: no yearly allowance
    year_spent_cents: int = 0

    @property
    def any(self) -> bool:
        return (self.order_limit_cents is not None or self.monthly_budget_cents is not None
                or self.yearly_allowance_cents is not None)

    @property
    def year_left_cents(self) -> int | None:
        if self.yearly_allowance_cents is None:
            return None
        return max(self.yearly_allowance_cents - self.year_spent_cents, 0)

    @property
    def month_left_cents(self) -> int | None:
        if self.monthly_budget_cents is None:
            return None
        return max(self.monthly_budget_cents - self.month_spent_cents, 0)

    @property
    def month_over_cents(self) -> int:
        if self.monthly_budget_cents is None:
            return 0
        return max(self.month_spent_cents - self.monthly_budget_cents, 0)


def limits_of(user, now: datetime) -> BuyerLimits | None:
    """The limits of a customer user (None for staff); one query per budget or allowance set."""
    if getattr(user, "company_id", None) is None:
        return None
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris"))
    spent = year_spent = 0
    if user.monthly_budget_cents is not None:
        since = rules_mod.month_start(now, tz)
        spent = approval.buyer_month_spend(user.id, user.company_id, since)
    if user.yearly_allowance_cents is not None:
        year_spent = approval.buyer_month_spend(user.id, user.company_id,
                                                rules_mod.year_start(now, tz))
    currency = user.company.currency if user.company else "EUR"
    return BuyerLimits(user.order_limit_cents, user.monthly_budget_cents, spent, currency,
                       user.yearly_allowance_cents, year_spent)
