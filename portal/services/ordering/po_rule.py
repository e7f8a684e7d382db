"""What checkout proposes before the buyer types anything: the place and PO number of an order
being repeated, or the PO number the company's rule (`Company.po_rule`) makes.

The rule is pure (`propose`, table-tested); `checkout_defaults` reads what it needs. The buyer
may always change what is proposed; a company that requires a PO number gets one proposed only
when its rule says so ("ask" proposes nothing, as before).
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Order

ASK, REUSE, GENERATE = "ask", "reuse", "generate"
RULES = (ASK, REUSE, GENERATE)


def propose(rule: str, *, repeated_po: str = "", last_po: str = "", today: date | None = None,
            placed_today: int = 0) -> str:
    """The PO number to put in the field: "" for nothing.

    reuse: the repeated order's PO, else the buyer's last one. generate: the local date and
    the number of the company's order that day ("20261205-03" for the third).
    """
    if rule == REUSE:
        return repeated_po or last_po
    if rule == GENERATE and today is not None:
        return f"{today:%Y%m%d}-{placed_today + 1:02d}"
    return ""


def _place_of(order: Order | None, keys: set[str]) -> str | None:
    if order is None or order.jobsite_id is None:
        return None
    key = f"jobsite:{order.jobsite_id}"
    return key if key in keys else None


def checkout_defaults(user, places, now: datetime, repeated: Order | None = None
                      ) -> tuple[str | None, str]:
    """(the place to tick or None for the usual default, the PO number to propose)."""
    from portal.services.ordering.checkout import TIMEZONE, local_today

    company = user.company
    place = _place_of(repeated, {p.key for p in places})
    rule = company.po_rule if company.po_rule in RULES else ASK
    if rule == ASK:
        return place, ""
    if rule == REUSE:
        last = "" if repeated is not None else db.session.scalar(
            select(Order.po_number).where(Order.placed_by_id == user.id, Order.po_number != "")
            .order_by(Order.placed_at.desc(), Order.id.desc()).limit(1)) or ""
        return place, propose(REUSE, repeated_po=repeated.po_number if repeated else "",
                              last_po=last)
    today = local_today(now)
    midnight = datetime.combine(today, time(0), TIMEZONE)
    count = db.session.scalar(select(func.count(Order.id)).where(
        Order.company_id == company.id, Order.placed_at >= midnight)) or 0
    return place, propose(GENERATE, today=today, placed_today=count)
