"""Approval rules as pure functions: which steps an order needs, why, and who decides each.

Everything here takes plain values (frozen dataclasses built by `routing`
from the database) and returns values, so the rules are tested with tables and no app.

- `matching_reasons(rule, facts)`: does a rule apply to an order, and for which reasons;
- `plan_steps(facts, rules)`: the abstract steps (a role or a named user), deduplicated and
  sorted by rule position then step position;
- `resolve(step, facts, directory)`: the concrete approver of a step (a role at the nearest
  unit upward that has someone else with that role, a named user, or the company admins);
- `route(facts, rules, directory)`: both, numbered 1..n, resolved duplicates merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

APPROVER = "approver"
COMPANY_ADMIN = "company_admin"

# Orders that count in month-to-date spend, whatever path created them.
SPEND_STATUSES = (
    "pending_approval", "submitted", "confirmed", "partially_shipped", "shipped", "delivered",
)


@dataclass(frozen=True)
class StepSpec:
    position: int
    approver_role: str | None = None
    approver_user_id: int | None = None
    # The step applies only when the order total is above this amount.
    min_total_cents: int | None = None


@dataclass(frozen=True)
class RuleSpec:
    id: int
    position: int = 0
    name: str = ""
    unit_id: int | None = None  # None: the whole company; else this unit and those below
    min_total_cents: int | None = None
    when_over_order_limit: bool = False
    when_over_user_budget: bool = False
    when_over_unit_budget: bool = False
    category_id: int | None = None
    jobsite_id: int | None = None
    steps: tuple[StepSpec, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class UnitBudget:
    unit_id: int
    name: str
    budget_cents: int
    spent_cents: int  # this calendar month, before this order


@dataclass(frozen=True)
class OrderFacts:
    total_cents: int
    requester_id: int
    order_limit_cents: int | None = None
    monthly_budget_cents: int | None = None
    month_spent_cents: int = 0  # the buyer's, this calendar month, before this order
    unit_chain: tuple[int, ...] = ()  # the ordering unit first, then its ancestors
    unit_budgets: tuple[UnitBudget, ...] = ()  # budgeted units of the chain
    category_ids: frozenset[int] = frozenset()  # the lines' categories and their ancestors
    jobsite_id: int | None = None
    yearly_allowance_cents: int | None = None  # a crew member's (None: no allowance)
    year_spent_cents: int = 0  # theirs, this calendar year, before this order


@dataclass(frozen=True)
class Reason:
    """Why an order needs a step; turned into words by `approval.describe_reason`."""

    # total, order_limit, user_budget, unit_budget, category, jobsite, rule, step_over, allowance
    code: str
    amount_cents: int | None = None
    subject_id: int | None = None
    name: str = ""
    spent_cents: int | None = None


@dataclass(frozen=True)
class PlannedStep:
    approver_role: str | None
    approver_user_id: int | None
    rule_id: int | None  # None: the allowance's own step, no rule behind it
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Directory:
    """Who could approve, in one company: active users only."""

    # unit id (None: no unit, i.e. company-wide) -> ids of active approvers of that unit
    approvers_by_unit: Mapping[int | None, tuple[int, ...]] = field(default_factory=dict)
    admins: tuple[int, ...] = ()
    # active users (approvers and admins) who may be named on a step
    nameable: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Target:
    """A resolved approver: a role at a unit (or company-wide), or one named user."""

    role: str | None
    unit_id: int | None
    user_id: int | None
    user_ids: tuple[int, ...]  # the people asked (empty: nobody else can approve)

    @property
    def key(self) -> tuple:
        return (self.role, self.unit_id, self.user_id)


@dataclass(frozen=True)
class RoutedStep:
    step: int
    target: Target
    rule_id: int | None
    reasons: tuple[Reason, ...]


def month_start(now: datetime, tz: tzinfo) -> datetime:
    """The first instant of `now`'s calendar month in `tz`, as a UTC datetime."""
    local = now.astimezone(tz)
    # Built through the zone so the offset of the 1st applies, not today's (summer time).
    return datetime(local.year, local.month, 1, tzinfo=tz).astimezone(UTC)


def year_start(now: datetime, tz: tzinfo) -> datetime:
    """The first instant of `now`'s calendar year in `tz`, as a UTC datetime."""
    return datetime(now.astimezone(tz).year, 1, 1, tzinfo=tz).astimezone(UTC)


def allowance_reason(facts: OrderFacts) -> Reason | None:
    """Why a crew member's order waits for their site manager: it takes them past their
    yearly allowance (an order exactly reaching it does not)."""
    allowance = facts.yearly_allowance_cents
    if allowance is None or facts.year_spent_cents + facts.total_cents <= allowance:
        return None
    return Reason("allowance", allowance, spent_cents=facts.year_spent_cents)


def ancestry(unit_id: int | None, parents: Mapping[int, int | None]) -> tuple[int, ...]:
    """`unit_id` then its ancestors, stopping on a loop or an unknown unit."""
    chain: list[int] = []
    current = unit_id
    while current is not None and current not in chain and current in parents:
        chain.append(current)
        current = parents[current]
    return tuple(chain)


def ordering_chain(jobsite_id: int | None, unit_id: int | None,
                   parents: Mapping[int, int | None]) -> tuple[int, ...]:
    """The jobsite's chain (where the goods go), then the buyer's unit chain."""
    chain = list(ancestry(jobsite_id, parents))
    for uid in ancestry(unit_id, parents):
        if uid not in chain:
            chain.append(uid)
    return tuple(chain)


def subtree(unit_id: int, parents: Mapping[int, int | None]) -> set[int]:
    """`unit_id` and every unit below it."""
    return {uid for uid in parents if unit_id in ancestry(uid, parents)}


def matching_reasons(rule: RuleSpec, facts: OrderFacts) -> tuple[Reason, ...] | None:
    """The reasons this rule applies to the order (conditions are ANDed), or None."""
    if not rule.active:
        return None
    if rule.unit_id is not None and rule.unit_id not in facts.unit_chain:
        return None
    total = facts.total_cents
    reasons: list[Reason] = []
    if rule.min_total_cents is not None:
        if total <= rule.min_total_cents:
            return None
        reasons.append(Reason("total", rule.min_total_cents))
    if rule.when_over_order_limit:
        if facts.order_limit_cents is None or total <= facts.order_limit_cents:
            return None
        reasons.append(Reason("order_limit", facts.order_limit_cents))
    if rule.when_over_user_budget:
        budget = facts.monthly_budget_cents
        if budget is None or facts.month_spent_cents + total <= budget:
            return None
        reasons.append(Reason("user_budget", budget, spent_cents=facts.month_spent_cents))
    if rule.when_over_unit_budget:
        over = [u for u in facts.unit_budgets
                if u.unit_id in facts.unit_chain and u.spent_cents + total > u.budget_cents]
        if not over:
            return None
        reasons.extend(Reason("unit_budget", u.budget_cents, u.unit_id, u.name, u.spent_cents)
                       for u in over)
    if rule.category_id is not None:
        if rule.category_id not in facts.category_ids:
            return None
        reasons.append(Reason("category", subject_id=rule.category_id))
    if rule.jobsite_id is not None:
        if rule.jobsite_id != facts.jobsite_id:
            return None
        reasons.append(Reason("jobsite", subject_id=rule.jobsite_id))
    if not reasons:
        reasons.append(Reason("rule", subject_id=rule.id, name=rule.name))
    return tuple(reasons)


def _approver_key(step: StepSpec) -> tuple | None:
    if step.approver_user_id is not None:
        return ("user", step.approver_user_id)
    if step.approver_role in (APPROVER, COMPANY_ADMIN):
        return ("role", step.approver_role)
    return None


def _merge(first: tuple[Reason, ...], more: Iterable[Reason]) -> tuple[Reason, ...]:
    merged = list(first)
    merged.extend(r for r in more if r not in merged)
    return tuple(merged)


def plan_steps(facts: OrderFacts, rules: Iterable[RuleSpec]) -> list[PlannedStep]:
    """Steps of every matching rule, by rule position then step position; one per approver."""
    planned: dict[tuple, PlannedStep] = {}
    over = allowance_reason(facts)
    if over is not None:
        # No rule needed: an allowance is the company's word that beyond it, the approver of
        # the worker's unit (their site manager) decides; the rules' steps come after.
        planned[("role", APPROVER)] = PlannedStep(APPROVER, None, None, (over,))
    for rule in sorted(rules, key=lambda r: (r.position, r.id)):
        reasons = matching_reasons(rule, facts)
        if reasons is None:
            continue
        for step in sorted(rule.steps, key=lambda s: s.position):
            key = _approver_key(step)
            if key is None:
                continue
            step_reasons = reasons
            if step.min_total_cents is not None:
                if facts.total_cents <= step.min_total_cents:
                    continue
                step_reasons = _merge(reasons, [Reason("step_over", step.min_total_cents)])
            if key in planned:
                old = planned[key]
                planned[key] = PlannedStep(old.approver_role, old.approver_user_id, old.rule_id,
                                           _merge(old.reasons, step_reasons))
            else:
                planned[key] = PlannedStep(step.approver_role if key[0] == "role" else None,
                                           step.approver_user_id, rule.id, step_reasons)
    return list(planned.values())


def _admins(directory: Directory, requester_id: int) -> Target:
    others = tuple(u for u in directory.admins if u != requester_id)
    return Target(COMPANY_ADMIN, None, None, others)


def resolve(step: PlannedStep, facts: OrderFacts, directory: Directory) -> Target:
    """The concrete approver; the requester is never one. Nobody else: the company admins."""
    requester = facts.requester_id
    if step.approver_user_id is not None:
        user_id = step.approver_user_id
        if user_id != requester and user_id in directory.nameable:
            return Target(None, None, user_id, (user_id,))
        return _admins(directory, requester)
    if step.approver_role == APPROVER:
        # The chain ends with the company itself: approvers attached to no unit.
        for unit_id in (*facts.unit_chain, None):
            found = tuple(u for u in directory.approvers_by_unit.get(unit_id, ())
                          if u != requester)
            if found:
                return Target(APPROVER, unit_id, None, found)
    return _admins(directory, requester)


def route(facts: OrderFacts, rules: Iterable[RuleSpec], directory: Directory) -> list[RoutedStep]:
    """Plan, resolve, merge steps that resolve to the same approver, number them from 1."""
    merged: dict[tuple, tuple[Target, int, tuple[Reason, ...]]] = {}
    for planned in plan_steps(facts, rules):
        target = resolve(planned, facts, directory)
        if target.key in merged:
            old_target, rule_id, reasons = merged[target.key]
            merged[target.key] = (old_target, rule_id, _merge(reasons, planned.reasons))
        else:
            merged[target.key] = (target, planned.rule_id, planned.reasons)
    return [RoutedStep(n, target, rule_id, reasons)
            for n, (target, rule_id, reasons) in enumerate(merged.values(), start=1)]


def may_decide(*, user_id: int, user_role: str, user_unit_id: int | None, requester_id: int,
               approver_role: str | None, approver_unit_id: int | None,
               approver_user_id: int | None, parents: Mapping[int, int | None]) -> bool:
    """May this user decide a step of this order (whatever the step's current status)?

    Company admins decide anything in their company; approvers decide steps resolved to
    their unit or a unit below it (an approver without a unit covers the whole company);
    a named user decides their step. Nobody decides on their own order.
    """
    if user_id == requester_id:
        return False
    if user_role == COMPANY_ADMIN:
        return True
    if approver_user_id is not None:
        return approver_user_id == user_id
    if user_role != APPROVER or approver_role != APPROVER:
        return False
    if user_unit_id is None:
        return True
    return user_unit_id in ancestry(approver_unit_id, parents)


def waiting_for(*, user_id: int, user_role: str, user_unit_id: int | None,
                approver_role: str | None, approver_unit_id: int | None,
                approver_user_id: int | None, parents: Mapping[int, int | None]) -> bool:
    """Is this step in the user's inbox? (Admins see company-admin steps, not every step.)"""
    if approver_user_id is not None:
        return approver_user_id == user_id
    if approver_role == COMPANY_ADMIN:
        return user_role == COMPANY_ADMIN
    if approver_role == APPROVER and user_role == APPROVER:
        return user_unit_id is None or user_unit_id in ancestry(approver_unit_id, parents)
    return False

