"""Orders as customers see them: who may see which order, the history page, the detail page.

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

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import aliased, selectinload
from werkzeug.exceptions import NotFound

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Role,
    Shipment,
    ShipmentLine,
    Unit,
    UnitKind,
    User,
)
from portal.services.orders import events as order_events
from portal.services.orders import search as order_search
from portal.services.orders.line_names import line_name

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 80

STATUS_LABELS = {
    OrderStatus.PENDING_APPROVAL: _l("Waiting for approval"),
    OrderStatus.REJECTED: _l("Rejected"),
    OrderStatus.SUBMITTED: _l("Submitted"),
    OrderStatus.CONFIRMED: _l("Confirmed"),
    OrderStatus.PARTIALLY_SHIPPED: _l("Partially shipped"),
    OrderStatus.SHIPPED: _l("Shipped"),
    OrderStatus.DELIVERED: _l("Delivered"),
    OrderStatus.CANCELLED: _l("Cancelled"),
}
STATUS_TONES = {
    OrderStatus.PENDING_APPROVAL: "warn",
    OrderStatus.PARTIALLY_SHIPPED: "warn",
    OrderStatus.SHIPPED: "ok",
    OrderStatus.DELIVERED: "ok",
    OrderStatus.REJECTED: "bad",
    OrderStatus.CANCELLED: "bad",
}
EVENT_LABELS = {
    "status": _l("Status changed"),
    "approval": _l("Approval decision"),
    "trim": _l("Line trimmed"),
    "shipment": _l("Shipment"),
    "note": _l("Note"),
}
ROLE_LABELS = {
    Role.COMPANY_ADMIN: _l("Company admin"),
    Role.APPROVER: _l("Approver"),
    Role.BUYER: _l("Buyer"),
    Role.VIEWER: _l("Viewer"),
}


def status_label(status) -> str:
    try:
        return str(STATUS_LABELS[OrderStatus(status)])
    except (ValueError, KeyError):
        return str(status)


def status_tone(status) -> str:
    try:
        return STATUS_TONES.get(OrderStatus(status), "")
    except ValueError:
        return ""


# -- Who sees what ---------------------------------------------------------------------------

def unit_subtree(company_id: int, unit_id: int) -> set[int]:
    """`unit_id` and every unit below it, within one company."""
    rows = db.session.execute(
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


def _scope_clause(user):
    if not getattr(user, "is_authenticated", False) or user.company_id is None:
        return false()
    in_company = Order.company_id == user.company_id
    own = Order.placed_by_id == user.id
    if user.role in (Role.COMPANY_ADMIN, Role.VIEWER):
        return in_company
    if user.role == Role.BUYER:
        return and_(in_company, own)
    if user.role == Role.APPROVER:
        if user.unit_id is None:
            return in_company
        units = unit_subtree(user.company_id, user.unit_id)
        waits_for_me = exists().where(
            ApprovalRequest.order_id == Order.id, ApprovalRequest.approver_user_id == user.id
        )
        return and_(in_company, or_(own, Order.unit_id.in_(units), Order.jobsite_id.in_(units),
                                    waits_for_me))
    return false()


def visible_orders(user) -> Select:
    """SELECT Order limited to the orders this user may see (see the module docstring)."""
    return select(Order).where(_scope_clause(user))


def get_order_or_404(user, order_id) -> Order:
    """The order if this user may see it; a 404 otherwise, whoever owns it."""
    if not isinstance(order_id, int):
        raise NotFound()
    order = db.session.scalar(visible_orders(user).where(Order.id == order_id))
    if order is None:
        raise NotFound()
    return order


def visible_jobsites(user) -> list[Unit]:
    """Jobsites offered in the history filter: the company's, or the approver's unit tree."""
    if user.company_id is None:
        return []
    stmt = select(Unit).where(Unit.company_id == user.company_id,
                              Unit.kind == UnitKind.JOBSITE, Unit.archived.is_(False))
    if user.role == Role.APPROVER and user.unit_id is not None:
        stmt = stmt.where(Unit.id.in_(unit_subtree(user.company_id, user.unit_id)))
    return list(db.session.scalars(stmt.order_by(Unit.name, Unit.id)))


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


def history_page(user, filters: HistoryFilters, cursor: str | None = None,
                 limit: int = PAGE_SIZE) -> HistoryPage:
    """One page of the user's orders, newest first, in one statement (line counts included).

    Keyset paging on (placed_at, id) walks the (company_id, placed_at) index backwards, so
    the 50th page costs what the first does, even with tens of thousands of orders.
    """
    jobsite = aliased(Unit)
    line_count = (
        select(func.count(OrderLine.id)).where(OrderLine.order_id == Order.id)
        .correlate(Order).scalar_subquery()
    )
    stmt = (
        visible_orders(user)
        .with_only_columns(Order.id, Order.number, Order.placed_at, Order.po_number,
                           Order.status, Order.total_cents, Order.currency, jobsite.name,
                           line_count.label("line_count"), maintain_column_froms=True)
        .outerjoin(jobsite, jobsite.id == Order.jobsite_id)
    )
    if filters.status:
        stmt = stmt.where(Order.status == OrderStatus(filters.status))
    if filters.jobsite_id:
        stmt = stmt.where(Order.jobsite_id == filters.jobsite_id)
    if filters.q:
        stmt = stmt.where(order_search.matching(filters.q))
    after = decode_cursor(cursor)
    if after is not None:
        at, last_id = after
        stmt = stmt.where(or_(Order.placed_at < at, and_(Order.placed_at == at,
                                                         Order.id < last_id)))
    stmt = stmt.order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit + 1)
    rows = [HistoryRow(*row) for row in db.session.execute(stmt).all()]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].placed_at, rows[-1].id)
    return HistoryPage(rows, next_cursor)


# -- Detail ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    message: str
    actor_name: str | None
    tone: str = ""


@dataclass
class OrderView:
    order: Order
    timeline: list[TimelineEntry]
    waiting_for: list[str] = field(default_factory=list)
    shipment_items: dict[int, list[tuple[str, str, int]]] = field(default_factory=dict)

    @property
    def has_backorders(self) -> bool:
        return any(line.backordered_qty for line in self.order.lines)


def order_view(user, order_id) -> OrderView:
    """Everything the detail page shows, in a bounded number of queries."""
    order = get_order_or_404(user, order_id)
    db.session.scalar(
        select(Order).where(Order.id == order.id).options(
            selectinload(Order.lines),
            selectinload(Order.events).selectinload(OrderEvent.actor),
            selectinload(Order.shipments).selectinload(Shipment.lines)
            .selectinload(ShipmentLine.order_line),
            selectinload(Order.shipments).selectinload(Shipment.warehouse),
            selectinload(Order.placed_by), selectinload(Order.on_behalf_by),
            selectinload(Order.jobsite).selectinload(Unit.address),
        ).execution_options(populate_existing=True)
    )
    return OrderView(order, timeline(order), waiting_for(order),
                     {s.id: [(sl.order_line.sku, line_name(sl.order_line), sl.quantity)
                             for sl in s.lines] for s in order.shipments})


def timeline(order: Order) -> list[TimelineEntry]:
    """The order's history, oldest first: placing it, then every recorded event."""
    placed_by = order.placed_by.name if order.placed_by else None
    entries = [TimelineEntry(order.placed_at, _("Order placed"), "", placed_by)]
    for event in order.events:
        if event.status is not None:
            title = status_label(event.status)
        else:
            title = str(EVENT_LABELS.get(event.kind, EVENT_LABELS["note"]))
        tone = status_tone(event.status) if event.status else ""
        entries.append(TimelineEntry(event.at, title, order_events.event_text(event),
                                     event.actor.name if event.actor else None, tone))
    return entries


def waiting_for(order: Order) -> list[str]:
    """Who must decide now, by name where we can tell ("Sophie Durand")."""
    if order.status != OrderStatus.PENDING_APPROVAL:
        return []
    requests = list(db.session.scalars(
        select(ApprovalRequest).where(ApprovalRequest.order_id == order.id,
                                      ApprovalRequest.status == ApprovalStatus.PENDING)
        .order_by(ApprovalRequest.step, ApprovalRequest.id)
    ))
    if not requests:
        return []
    named = {r.approver_user_id for r in requests if r.approver_user_id}
    roles = {(r.approver_role, r.approver_unit_id) for r in requests if r.approver_role}
    people = list(db.session.scalars(
        select(User).where(
            User.company_id == order.company_id, User.disabled.is_(False),
            or_(User.id.in_(named) if named else false(),
                User.role.in_({role for role, _unit in roles}) if roles else false()),
        ).order_by(User.name)
    )) if (named or roles) else []
    units = {u.id: u.name for u in db.session.scalars(
        select(Unit).where(Unit.id.in_({unit for _role, unit in roles if unit}))
    )} if roles else {}
    names: list[str] = []
    for r in requests:
        if r.approver_user_id:
            found = [p.name for p in people if p.id == r.approver_user_id]
        else:
            found = [p.name for p in people
                     if p.role == r.approver_role
                     and (r.approver_unit_id is None or p.unit_id == r.approver_unit_id)]
        if not found and r.approver_role:
            role = str(ROLE_LABELS.get(r.approver_role, r.approver_role))
            unit = units.get(r.approver_unit_id)
            found = [_("%(role)s (%(unit)s)", role=role, unit=unit) if unit else role]
        for name in found:
            if name not in names:
                names.append(name)
    return names


# -- Home card -------------------------------------------------------------------------------

def latest_orders_for_card(user) -> tuple[Order | None, Order | None]:
    """(the order the home card is about, the same order when the user may repeat it).

    One order for both halves of the card: the user's own last order (the last one to their
    jobsite first), which "repeat my last order" reorders; a user who never ordered (a
    viewer, an admin) sees the company's newest order and no repeat button. The card says
    whose order it is.
    """
    mine = visible_orders(user).where(Order.placed_by_id == user.id).order_by(
        Order.placed_at.desc(), Order.id.desc()).limit(1)
    own = None
    if user.last_jobsite_id:
        own = db.session.scalar(mine.where(Order.jobsite_id == user.last_jobsite_id))
    if own is None:
        own = db.session.scalar(mine)
    if own is not None:
        return own, own
    newest = db.session.scalar(
        visible_orders(user).order_by(Order.placed_at.desc(), Order.id.desc()).limit(1))
    return newest, None

