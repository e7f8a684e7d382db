"""Orders as customers see them: who may see which order, the history page (the detail page
is in `detail`).

`visible_orders(user)` is the one place that says which orders a customer user may see;
every customer page, fragment and action (detail, reorder, add to a list, the home card)
starts from it, so an order outside the user's scope answers exactly like a missing one.

- buyers: the orders they placed (including those staff placed on their behalf);
- viewers and company admins: every order of their company;
- approvers: the orders of their unit and the units below it, their own orders, and the
  orders that wait for them by name (an approver without a unit sees the whole company);
- seller staff and anyone else: nothing here (they have the back office).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, bindparam, exists, false, func, or_, select
from sqlalchemy.orm import aliased

from portal.database import read
from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    Order,
    OrderLine,
    OrderStatus,
    Role,
    Unit,
    UnitKind,
)
from portal.services.orders import search as order_search

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 80

EVENT_LABELS = {
    "status": _l("Status changed"),
    "approval": _l("Approval decision"),
    "trim": _l("Line trimmed"),
    "shipment": _l("Shipment"),
    "note": _l("Note"),
    "delivery": _l("Shipment delivered"),
    "claim": _l("Claim"),
}
# -- Who sees what ---------------------------------------------------------------------------

def unit_subtree(company_id: int, unit_id: int) -> set[int]:
    """`unit_id` and every unit below it, within one company."""
    rows = read(
        select(Unit.id, Unit.parent_id).where(Unit.company_id == company_id)
    ).all()
    children: dict[int | None, list[int]] = {}
    for uid, parent in rows:
        children.setdefault(parent, []).append(uid)
    if unit_id not in {uid for uid, _parent in rows}:
        return set()
    found, stack = set(), [unit_id]
    while stack:
        uid = stack.pop()
        if uid not in found:
            found.add(uid)
            stack.extend(children.get(uid, []))
    return found


# Which orders a user sees is one of these scopes: `_scope` says which and with what values,
# `_scope_condition` writes it, with those values (visible_orders) or with bound parameters
# named like them (the history's statements, built once per shape and reused).
_NOTHING, _COMPANY, _OWN, _BRANCH = "nothing", "company", "own", "branch"
_SCOPE_PARAMS = {"company_id": bindparam("company_id"), "user_id": bindparam("user_id"),
                 "units": bindparam("units", expanding=True)}


def _scope(user) -> tuple[str, dict]:
    if not getattr(user, "is_authenticated", False) or user.company_id is None:
        return _NOTHING, {}
    role, company_id = user.role, user.company_id
    if role in (Role.COMPANY_ADMIN, Role.VIEWER) or (role == Role.APPROVER
                                                      and user.unit_id is None):
        return _COMPANY, {"company_id": company_id}
    if role == Role.BUYER:
        return _OWN, {"company_id": company_id, "user_id": user.id}
    if role == Role.APPROVER:
        return _BRANCH, {"company_id": company_id, "user_id": user.id,
                         "units": sorted(unit_subtree(company_id, user.unit_id))}
    return _NOTHING, {}


def _scope_condition(kind: str, company_id=None, user_id=None, units=()):
    if kind == _NOTHING:
        return false()
    in_company = Order.company_id == company_id
    if kind == _COMPANY:
        return in_company
    own = Order.placed_by_id == user_id
    if kind == _OWN:
        return and_(in_company, own)
    waits_for_me = exists().where(
        ApprovalRequest.order_id == Order.id, ApprovalRequest.approver_user_id == user_id
    )
    return and_(in_company, or_(own, Order.unit_id.in_(units), Order.jobsite_id.in_(units),
                                waits_for_me))


def _scope_clause(user):
    kind, values = _scope(user)
    return _scope_condition(kind, **values)


def visible_orders(user) -> Select:
    """SELECT Order limited to the orders this user may see (see the module docstring)."""
    return select(Order).where(_scope_clause(user))


def find_order(user, order_id, *loaders) -> Order | None:
    """The order if this user may see it; None otherwise, whoever owns it (the view's 404).
    `loaders`: what to read with it in the same statement (ORM loader options)."""
    if not isinstance(order_id, int):
        return None
    return db.session.scalar(visible_orders(user).where(Order.id == order_id).options(*loaders))


_JOBSITES = (select(Unit.id, Unit.name)
             .where(Unit.company_id == bindparam("company_id"), Unit.kind == UnitKind.JOBSITE,
                    Unit.archived.is_(False))
             .order_by(Unit.name, Unit.id))
_JOBSITES_IN = _JOBSITES.where(Unit.id.in_(bindparam("units", expanding=True)))


def visible_jobsites(user) -> list:
    """Jobsites offered in the history filter (rows of id and name): the company's, or the
    approver's unit tree."""
    if user.company_id is None:
        return []
    params = {"company_id": user.company_id}
    if user.role == Role.APPROVER and user.unit_id is not None:
        params["units"] = sorted(unit_subtree(user.company_id, user.unit_id))
        return read(_JOBSITES_IN, params).all()
    return read(_JOBSITES, params).all()


# -- History ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryFilters:
    status: str = ""
    jobsite_id: int | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.status or self.jobsite_id or self.q)

    def as_args(self) -> dict:
        args = {}
        if self.status:
            args["status"] = self.status
        if self.jobsite_id:
            args["jobsite"] = self.jobsite_id
        if self.q:
            args["q"] = self.q
        return args


def parse_filters(args, jobsite_ids) -> HistoryFilters:
    """Filters from query arguments; anything unknown is dropped rather than trusted."""
    status = (args.get("status") or "").strip()
    if status not in {s.value for s in OrderStatus}:
        status = ""
    raw_site = (args.get("jobsite") or "").strip()
    jobsite_id = int(raw_site) if raw_site.isascii() and raw_site.isdigit() else None
    if jobsite_id not in set(jobsite_ids):
        jobsite_id = None
    q = " ".join((args.get("q") or "").split())[:MAX_QUERY_LENGTH]
    return HistoryFilters(status, jobsite_id, q)


@dataclass(frozen=True)
class HistoryRow:
    id: int
    number: str
    placed_at: datetime
    po_number: str
    status: str
    total_cents: int
    currency: str
    jobsite_name: str | None
    line_count: int


@dataclass(frozen=True)
class HistoryPage:
    rows: list[HistoryRow]
    next_cursor: str | None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode_cursor(placed_at: datetime, order_id: int) -> str:
    micros = (placed_at.astimezone(UTC) - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{order_id}"


def decode_cursor(raw: str | None) -> tuple[datetime, int] | None:
    """(placed_at, id) of the last row shown, or None when absent or not ours."""
    if not raw or len(raw) > 40:
        return None
    micros, _sep, order_id = raw.partition(".")
    if not (micros.isascii() and micros.isdigit() and order_id.isascii() and order_id.isdigit()
            and len(order_id) < 10):
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(micros)), int(order_id)
    except OverflowError:
        return None


_JOBSITE = aliased(Unit)
_LINE_COUNT = (select(func.count(OrderLine.id)).where(OrderLine.order_id == Order.id)
               .correlate(Order).scalar_subquery())


@cache
def _history_statement(scope: str, status: bool, jobsite: bool, text: bool, after: bool,
                       limit: int):
    """The history's SELECT for one shape of request, built once: its values are bound
    parameters (the scope's, "status", "jobsite_id", "order_text", "at" and "last_id")."""
    stmt = (
        select(Order.id, Order.number, Order.placed_at, Order.po_number, Order.status,
               Order.total_cents, Order.currency, _JOBSITE.name,
               _LINE_COUNT.label("line_count"))
        .select_from(Order)
        .outerjoin(_JOBSITE, _JOBSITE.id == Order.jobsite_id)
        .where(_scope_condition(scope, **_SCOPE_PARAMS))
    )
    if status:
        stmt = stmt.where(Order.status == bindparam("status"))
    if jobsite:
        stmt = stmt.where(Order.jobsite_id == bindparam("jobsite_id"))
    if text:
        stmt = stmt.where(order_search.MATCHING)
    if after:
        at, last_id = bindparam("at", type_=Order.placed_at.type), bindparam("last_id")
        stmt = stmt.where(or_(Order.placed_at < at,
                              and_(Order.placed_at == at, Order.id < last_id)))
    return stmt.order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit + 1)


def history_page(user, filters: HistoryFilters, cursor: str | None = None,
                 limit: int = PAGE_SIZE) -> HistoryPage:
    """One page of the user's orders, newest first, in one statement (line counts included).

    Keyset paging on (placed_at, id) walks the (company_id, placed_at) index backwards, so
    the 50th page costs what the first does, even with tens of thousands of orders.
    """
    scope, params = _scope(user)
    after = decode_cursor(cursor)
    if filters.status:
        params["status"] = OrderStatus(filters.status)
    if filters.jobsite_id:
        params["jobsite_id"] = filters.jobsite_id
    if filters.q:
        params["order_text"] = order_search.pattern(filters.q)
    if after is not None:
        params["at"], params["last_id"] = after
    stmt = _history_statement(scope, bool(filters.status), bool(filters.jobsite_id),
                              bool(filters.q), after is not None, limit)
    rows = [HistoryRow(*row) for row in read(stmt, params).all()]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].placed_at, rows[-1].id)
    return HistoryPage(rows, next_cursor)


# -- Home card -------------------------------------------------------------------------------

@cache
def _latest_statement(scope: str, mine: bool, jobsite: bool):
    """The newest order of a scope, built once: the reader's own ("user_id") when `mine`, to
    their jobsite ("jobsite_id") when `jobsite`."""
    stmt = select(Order).where(_scope_condition(scope, **_SCOPE_PARAMS))
    if mine:
        stmt = stmt.where(Order.placed_by_id == bindparam("user_id"))
    if jobsite:
        stmt = stmt.where(Order.jobsite_id == bindparam("jobsite_id"))
    return stmt.order_by(Order.placed_at.desc(), Order.id.desc()).limit(1)


def latest_orders_for_card(user) -> tuple[Order | None, Order | None]:
    """(the order the home card is about, the same order when the user may repeat it).

    One order for both halves of the card: the user's own last order (the last one to their
    jobsite first), which "repeat my last order" reorders; a user who never ordered (a
    viewer, an admin) sees the company's newest order and no repeat button. The card says
    whose order it is.
    """
    scope, params = _scope(user)
    params["user_id"] = user.id
    own = None
    if user.last_jobsite_id:
        own = db.session.scalar(_latest_statement(scope, True, True),
                                {**params, "jobsite_id": user.last_jobsite_id})
    if own is None:
        own = db.session.scalar(_latest_statement(scope, True, False), params)
    if own is not None:
        return own, own
    return db.session.scalar(_latest_statement(scope, False, False), params), None
