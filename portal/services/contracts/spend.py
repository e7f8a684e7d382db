"""What a framework contract has committed, against its ceiling, in words for the buyer.

Spent on a contract: the amount excl. VAT of its orders that are not rejected or cancelled
(waiting for approval or credit included: the money is committed as soon as it is ordered).
From `WARNING_BP` of the ceiling the buyer is warned; an order that would take the spend past
the ceiling is refused at checkout (`ordering_rules`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Order, OrderStatus
from portal.services.selling import Framework, Standing, is_public, standing

WARNING_BP = 8000  # 80 % of the ceiling
NOT_COMMITTED = (OrderStatus.REJECTED, OrderStatus.CANCELLED)


def spent_by_contract(contract_ids, without: int | None = None) -> dict[int, int]:
    """Cents excl. VAT committed on each contract (one statement), leaving out the order
    `without` (the one being approved)."""
    ids = list(contract_ids)
    if not ids:
        return {}
    query = (select(Order.framework_contract_id,
                    func.coalesce(func.sum(Order.subtotal_cents), 0))
             .where(Order.framework_contract_id.in_(ids), Order.status.not_in(NOT_COMMITTED))
             .group_by(Order.framework_contract_id))
    if without is not None:
        query = query.where(Order.id != without)
    rows = db.session.execute(query).all()
    return {int(cid): int(cents) for cid, cents in rows}


def percent_of(spent_cents: int, ceiling_cents: int) -> int:
    """Whole percent of the ceiling, rounded down (79.9 % is not yet 80 %)."""
    return spent_cents * 100 // ceiling_cents if ceiling_cents > 0 else 0


@dataclass(frozen=True)
class Gauge:
    """A contract's spend against its ceiling, as the buyer's home and cart show it."""

    contract: Framework
    spent_cents: int

    @property
    def ceiling_cents(self) -> int:
        return self.contract.ceiling_cents

    @property
    def left_cents(self) -> int:
        return max(0, self.ceiling_cents - self.spent_cents)

    @property
    def percent(self) -> int:
        return percent_of(self.spent_cents, self.ceiling_cents)

    @property
    def warning(self) -> bool:
        return self.spent_cents * 10_000 >= self.ceiling_cents * WARNING_BP

    def words(self, currency: str = "EUR") -> str:
        return _("Contract %(reference)s: %(spent)s committed of %(ceiling)s (%(percent)s %%)",
                 reference=self.contract.reference, spent=_euros(self.spent_cents, currency),
                 ceiling=_euros(self.ceiling_cents, currency), percent=self.percent)


def _euros(cents: int, currency: str) -> str:
    """Whole units, rounded half up: "12 340 €" reads faster than "12 339,56 €"."""
    from portal.services.approvals import short_money

    return short_money((cents + 50) // 100 * 100, currency)


def money_words(cents: int, currency: str = "EUR") -> str:
    from portal.services.approvals import short_money

    return short_money(cents, currency)


@dataclass(frozen=True)
class PublicTerms:
    """Where a public buyer stands today: the gauge of the contract in force, or why nothing
    can be ordered (`closed`)."""

    standing: Standing
    gauge: Gauge | None
    closed: str  # "" while a contract is in force


def closed_words(found: Standing) -> str:
    """Why nothing can be ordered ("" when a contract is in force)."""
    if found.current is not None:
        return ""
    if found.upcoming is not None:
        return _("Contract %(reference)s (%(title)s) starts on %(date)s: you can order from "
                 "that day.", reference=found.upcoming.reference, title=found.upcoming.title,
                 date=_day(found.upcoming.starts_on))
    if found.ended is not None:
        return _("Contract %(reference)s (%(title)s) ended on %(date)s: nothing can be ordered "
                 "under it any more.", reference=found.ended.reference,
                 title=found.ended.title, date=_day(found.ended.ends_on))
    return _("No framework contract is in force for your organisation: nothing can be "
             "ordered. Please contact us.")


def _day(value: date) -> str:
    from portal.formatting import format_date

    return format_date(value, "long")


def public_terms(user, today: date | None = None) -> PublicTerms | None:
    """The public buyer's contract in force with its spend, or why they cannot order; None
    for anyone who is not a public-sector buyer."""
    company = getattr(user, "company", None)
    if not getattr(user, "is_authenticated", False) or not is_public(company):
        return None
    found = standing(company, today)
    gauge = None
    if found.current is not None:
        spent = spent_by_contract([found.current.id]).get(found.current.id, 0)
        gauge = Gauge(found.current, spent)
    return PublicTerms(found, gauge, closed_words(found))
