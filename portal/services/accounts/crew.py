"""Employee store: what each crew member of a company spent of their yearly allowance.

A crew member is a person of the company who has a yearly allowance or signs in on another
storefront than the company's (the employee store). Their spending counts, as the approval
routing counts it (`approvals.routing`), the subtotals of their orders of the calendar year
(the seller's time zone) that are neither rejected nor cancelled, waiting ones included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import or_, select

from portal.extensions import db
from portal.models import Order, User


@dataclass(frozen=True)
class CrewMember:
    user: User
    allowance_cents: int | None
    spent_cents: int
    orders: tuple[Order, ...]  # this year's, newest first, every status

    @property
    def left_cents(self) -> int | None:
        if self.allowance_cents is None:
            return None
        return max(self.allowance_cents - self.spent_cents, 0)

    @property
    def over_cents(self) -> int:
        if self.allowance_cents is None:
            return 0
        return max(self.spent_cents - self.allowance_cents, 0)


def _spend_statuses():
    from portal.services import approvals

    return approvals.SPEND_STATUSES


def _year_start(now: datetime) -> datetime:
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris"))
    from portal.services import approvals  # approvals -> credit -> delivery -> accounts

    return approvals.year_start(now, tz)


def _members(people, orders) -> list[CrewMember]:
    found = []
    for person in people:
        own = tuple(o for o in orders if o.placed_by_id == person.id)
        spent = sum(o.subtotal_cents for o in own
                    if str(o.status) in _spend_statuses())
        found.append(CrewMember(person, person.yearly_allowance_cents, spent, own))
    return found


def _orders_of(user_ids, company_id: int, now: datetime) -> list[Order]:
    if not user_ids:
        return []
    return list(db.session.scalars(
        select(Order).where(Order.company_id == company_id, Order.placed_by_id.in_(user_ids),
                            Order.placed_at >= _year_start(now))
        .order_by(Order.placed_at.desc(), Order.id.desc())))


def crew_spending(company_id: int, now: datetime) -> list[CrewMember]:
    """Every crew member of the company with this year's spending (two statements)."""
    people = list(db.session.scalars(
        select(User).where(User.company_id == company_id,
                           or_(User.yearly_allowance_cents.is_not(None),
                               User.storefront_id.is_not(None)))
        .order_by(User.name, User.id)))
    return _members(people, _orders_of([p.id for p in people], company_id, now))


def member_spending(user: User, now: datetime) -> CrewMember:
    """One person's allowance and this year's orders (the caller has scoped them)."""
    return _members([user], _orders_of([user.id], user.company_id, now))[0]
