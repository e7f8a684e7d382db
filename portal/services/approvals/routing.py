"""Approval routing: the facts of an order, the rules in scope, who approves, in words.

Interface used by checkout:
    needs_for_cart(user, subtotal_cents, lines, jobsite_id, now) -> list[ApprovalNeed]
    route_new_order(order, buyer, now) -> None   (status, requests, event, emails)
The rules themselves are pure (`rules`); this module loads the
facts they need in a bounded number of queries and turns results into words and rows.
Amounts compared are subtotals (before tax), the same figure the cart shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import Row, bindparam, func, select

from portal.extensions import db
from portal.models import (
    ApprovalRequest,
    ApprovalRule,
    ApprovalStatus,
    ApprovalStep,
    Category,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    Role,
    Unit,
    User,
)
from portal.services import orders
from portal.services.approvals import gaps as approval_gaps
from portal.services.approvals import rules as rules_mod
from portal.services.approvals.notify import (  # noqa: F401  (re-exported: decisions, tests)
    notify_approvers,
    send_reminders,
)
from portal.services.approvals.rules import (
    Directory,
    OrderFacts,
    RoutedStep,
    RuleSpec,
    StepSpec,
    UnitBudget,
)
from portal.services.approvals.words import (  # noqa: F401  (re-exported for views, templates)
    describe_reason,
    reasons_data,
    reasons_text,
    request_reason,
    role_label,
    short_money,
    target_data,
    target_label,
)


@dataclass(frozen=True)
class ApprovalNeed:
    step: int
    approver_label: str
    reason: str
    approver_user_ids: tuple[int, ...] = ()
    # Nobody but the buyer could decide this step: why the order cannot be placed.
    blocked: str = ""


@dataclass
class Context:
    """What a company's routing needs besides the rules: units, people, names."""

    company_id: int
    parents: dict[int, int | None]
    units: dict[int, Row]  # id, parent_id, name, budget_cents
    directory: Directory
    people: dict[int, Row]  # id, name, role, unit_id: the approvers and company admins


# -- loading the facts ---------------------------------------------------------------------

# A company's active rules and their steps in one statement of plain columns (the cart and
# checkout route on every showing); a rule without steps comes once, with empty step columns.
_RULE_COLUMNS = (ApprovalRule.id, ApprovalRule.position, ApprovalRule.name, ApprovalRule.unit_id,
                 ApprovalRule.min_total_cents, ApprovalRule.when_over_order_limit,
                 ApprovalRule.when_over_user_budget, ApprovalRule.when_over_unit_budget,
                 ApprovalRule.category_id, ApprovalRule.jobsite_id)
_RULES = (select(*_RULE_COLUMNS, ApprovalStep.id, ApprovalStep.position,
                 ApprovalStep.approver_role, ApprovalStep.approver_user_id,
                 ApprovalStep.min_total_cents)
          .outerjoin(ApprovalStep, ApprovalStep.rule_id == ApprovalRule.id)
          .where(ApprovalRule.company_id == bindparam("company_id"),
                 ApprovalRule.active.is_(True))
          .order_by(ApprovalRule.id, ApprovalStep.position, ApprovalStep.id))


def load_rules(company_id: int) -> list[RuleSpec]:
    found: dict[int, tuple[tuple, list[StepSpec]]] = {}
    width = len(_RULE_COLUMNS)
    for row in db.session.execute(_RULES, {"company_id": company_id}):
        rule, (step_id, position, role, user_id, minimum) = row[:width], row[width:]
        steps = found.setdefault(rule[0], (rule, []))[1]
        if step_id is not None:
            steps.append(StepSpec(position, role and str(role), user_id, minimum))
    return [RuleSpec(*rule, steps=tuple(steps)) for rule, steps in found.values()]


def load_context(company_id: int) -> Context:
    """Columns, not entities: the cart and checkout route every time they show, and a
    company's units and approvers are read only for their ids, names, budgets and roles."""
    units = {u.id: u for u in db.session.execute(
        select(Unit.id, Unit.parent_id, Unit.name, Unit.budget_cents)
        .where(Unit.company_id == company_id))}
    people = {u.id: u for u in db.session.execute(
        select(User.id, User.name, User.role, User.unit_id)
        .where(User.company_id == company_id, User.disabled.is_(False),
               User.role.in_((Role.APPROVER, Role.COMPANY_ADMIN))))}
    by_unit: dict[int | None, list[int]] = {}
    for person in people.values():
        if person.role == Role.APPROVER:
            by_unit.setdefault(person.unit_id, []).append(person.id)
    directory = Directory(
        approvers_by_unit={k: tuple(sorted(v)) for k, v in by_unit.items()},
        admins=tuple(sorted(p.id for p in people.values() if p.role == Role.COMPANY_ADMIN)),
        nameable=frozenset(people),
    )
    return Context(company_id, {u.id: u.parent_id for u in units.values()}, units, directory,
                   people)


def _spend_filter(company_id: int, since: datetime, exclude_order_id: int | None):
    clauses = [Order.company_id == company_id, Order.placed_at >= since,
               Order.status.in_(rules_mod.SPEND_STATUSES)]
    if exclude_order_id is not None:
        clauses.append(Order.id != exclude_order_id)
    return clauses


def buyer_month_spend(buyer_id: int, company_id: int, since: datetime,
                      exclude_order_id: int | None = None) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(Order.subtotal_cents), 0))
        .where(Order.placed_by_id == buyer_id, *_spend_filter(company_id, since, exclude_order_id))
    ) or 0


def unit_budgets(ctx: Context, chain, since: datetime,
                 exclude_order_id: int | None = None) -> tuple[UnitBudget, ...]:
    """Month-to-date spend of each budgeted unit of the chain, orders of units below included."""
    budgeted = [ctx.units[u] for u in chain if ctx.units[u].budget_cents is not None]
    if not budgeted:
        return ()
    rows = db.session.execute(
        select(Order.unit_id, Order.jobsite_id, func.sum(Order.subtotal_cents))
        .where(*_spend_filter(ctx.company_id, since, exclude_order_id))
        .group_by(Order.unit_id, Order.jobsite_id)
    ).all()
    found = []
    for unit in budgeted:
        below = rules_mod.subtree(unit.id, ctx.parents)
        spent = sum(total or 0 for unit_id, jobsite_id, total in rows
                    if unit_id in below or jobsite_id in below)
        found.append(UnitBudget(unit.id, unit.name, unit.budget_cents, spent))
    return tuple(found)


def category_names_and_ancestors(category_ids) -> tuple[frozenset[int], dict]:
    rows = db.session.execute(
        select(Category.id, Category.parent_id, Category.name_fr, Category.name_en)).all()
    parents = {cid: parent for cid, parent, _fr, _en in rows}
    found: set[int] = set()
    for cid in category_ids:
        found.update(rules_mod.ancestry(cid, parents))
    return frozenset(found), {cid: (fr, en) for cid, _p, fr, en in rows}


def build_facts(ctx: Context, rules: list[RuleSpec], *, buyer: User, total_cents: int,
                category_ids, jobsite_id, unit_id, now: datetime,
                exclude_order_id: int | None = None) -> tuple[OrderFacts, dict]:
    """The order's facts and the names its reasons may mention; only the queries needed."""
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris"))
    since = rules_mod.month_start(now, tz)
    chain = rules_mod.ordering_chain(jobsite_id if jobsite_id in ctx.units else None,
                                     unit_id, ctx.parents)
    spent = 0
    if buyer.monthly_budget_cents is not None and any(r.when_over_user_budget for r in rules):
        spent = buyer_month_spend(buyer.id, ctx.company_id, since, exclude_order_id)
    budgets = ()
    if any(r.when_over_unit_budget for r in rules):
        budgets = unit_budgets(ctx, chain, since, exclude_order_id)
    names: dict = {("unit", uid): unit.name for uid, unit in ctx.units.items()}
    categories: frozenset[int] = frozenset()
    if any(r.category_id is not None for r in rules):
        categories, category_names = category_names_and_ancestors(set(category_ids))
        # Both names: the reader's language picks one when the reason is put into words.
        names.update({("category", cid): pair for cid, pair in category_names.items()})
    allowance = getattr(buyer, "yearly_allowance_cents", None)
    year_spent = 0
    if allowance is not None:
        year_spent = buyer_month_spend(buyer.id, ctx.company_id, rules_mod.year_start(now, tz),
                                       exclude_order_id)
    facts = OrderFacts(total_cents, buyer.id, buyer.order_limit_cents,
                       buyer.monthly_budget_cents, spent, chain, budgets, categories,
                       jobsite_id, allowance, year_spent)
    return facts, names


def lock_unit_budgets(ctx: Context, rules: list[RuleSpec], jobsite_id, unit_id) -> None:
    """Lock every budgeted unit this order draws on (its chain, parents included), before
    their month-to-date spend is read: orders of different buyers that share a unit budget
    are then routed one after the other, each seeing the ones before it.

    Rows are locked in id order, so two orders sharing several budgets cannot deadlock.
    FOR NO KEY UPDATE, like the buyer's lock: it does not wait on the key-share lock each
    flushed order holds on its own unit and jobsite rows.
    """
    if not any(r.when_over_unit_budget for r in rules):
        return
    chain = rules_mod.ordering_chain(jobsite_id if jobsite_id in ctx.units else None,
                                     unit_id, ctx.parents)
    budgeted = sorted(u for u in chain if ctx.units[u].budget_cents is not None)
    if budgeted:
        db.session.execute(select(Unit.id).where(Unit.id.in_(budgeted)).order_by(Unit.id)
                           .with_for_update(key_share=True)).all()


# -- the interface used by checkout ----------------------------------------------------------

def needs_for_cart(user, subtotal_cents: int, lines, jobsite_id, now) -> list[ApprovalNeed]:
    """What placing this cart would need, by whom and why, in the buyer's words."""
    if getattr(user, "company_id", None) is None:
        return []
    rules = load_rules(user.company_id)
    if not rules and getattr(user, "yearly_allowance_cents", None) is None:
        return []
    ctx = load_context(user.company_id)
    facts, names = build_facts(ctx, rules, buyer=user, total_cents=subtotal_cents,
                               category_ids={line[1] for line in lines}, jobsite_id=jobsite_id,
                               unit_id=user.unit_id, now=now)
    currency = user.company.currency if user.company else "EUR"
    steps = rules_mod.route(facts, rules, ctx.directory)
    refusal = approval_gaps.refusal(steps, user)  # the same outcome as at submit
    return [ApprovalNeed(s.step, target_label(s.target, ctx.people),
                         reasons_text(s.reasons, names, currency, to_buyer=True),
                         s.target.user_ids, "" if s.target.user_ids else refusal)
            for s in steps]


def route_new_order(order, buyer, now) -> None:
    """Submit the order, or hold it for approval with one request per step.

    Locks the buyer's row first, then the budgeted units the order draws on: two orders of
    one buyer, or of buyers sharing a unit budget, are routed one after the other, so the
    second sees the first in the month-to-date spend and cannot slip under budget.
    """
    if order.status is None:
        order.status = OrderStatus.PENDING_APPROVAL  # provisional: lets the flush run
    db.session.flush()
    # FOR NO KEY UPDATE: it queues two routers of one buyer like FOR UPDATE would, but does
    # not wait on the key-share lock each flushed order already holds on the buyer's row
    # (with plain FOR UPDATE, two concurrent checkouts deadlock on PostgreSQL).
    db.session.scalars(
        select(User).where(User.id == buyer.id).with_for_update(key_share=True)).one()
    rules = load_rules(order.company_id)
    steps: list[RoutedStep] = []
    if rules or buyer.yearly_allowance_cents is not None:
        ctx = load_context(order.company_id)
        lock_unit_budgets(ctx, rules, order.jobsite_id, order.unit_id or buyer.unit_id)
        line_rows = db.session.execute(
            select(OrderLine.line_total_cents, Product.category_id)
            .join(Product, Product.id == OrderLine.product_id).where(OrderLine.order_id == order.id)
        ).all()
        total = order.subtotal_cents or sum(t for t, _c in line_rows)
        with force_locale(order.company.language or "fr"):
            facts, names = build_facts(
                ctx, rules, buyer=buyer, total_cents=total, category_ids={c for _t, c in line_rows},
                jobsite_id=order.jobsite_id, unit_id=order.unit_id or buyer.unit_id, now=now,
                exclude_order_id=order.id)
            steps = rules_mod.route(facts, rules, ctx.directory)
    if not steps:
        order.status = OrderStatus.SUBMITTED
        return
    refusal = approval_gaps.refusal(steps, buyer)
    if refusal:
        raise approval_gaps.NobodyToApprove(refusal)
    order.status = OrderStatus.PENDING_APPROVAL
    with force_locale(order.company.language or "fr"):
        requests = [
            ApprovalRequest(
                order_id=order.id, company_id=order.company_id, step=s.step, rule_id=s.rule_id,
                approver_role=s.target.role, approver_unit_id=s.target.unit_id,
                approver_user_id=s.target.user_id,
                reason=reasons_text(s.reasons, names, order.currency, to_buyer=False),
                reason_data=reasons_data(s.reasons, names, order.currency),
                status=ApprovalStatus.PENDING if s.step == 1 else ApprovalStatus.WAITING,
                content_version=order.content_version, created_at=now)
            for s in steps]
        db.session.add_all(requests)
        first = steps[0]
        db.session.add(orders.new_event(
            order.id, "approval_waiting",
            {"who": target_data(first.target, ctx.people), "reasons": requests[0].reason_data},
            kind="approval", status=OrderStatus.PENDING_APPROVAL, actor_id=buyer.id, at=now))
    db.session.flush()
    notify_approvers(requests[0], order, "approval_needed", now)
