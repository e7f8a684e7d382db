"""Approval rules kept by a company admin: list, create, edit, deactivate; every change audited.

Unit, jobsite, category and named approvers are checked against the admin's company (and
what it may see) here, whatever a form sends.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import ApprovalRule, ApprovalStep, Category, Role, UnitKind, User
from portal.services import DomainError
from portal.services.accounts import own_unit, record
from portal.services.catalog import CategoryTree
from portal.services.selling import visible_category_ids
from portal.services.text import clean_line

MAX_STEPS = 3


@dataclass(frozen=True)
class StepData:
    approver: str  # "approver", "company_admin" or "user:<id>"
    min_total_cents: int | None = None


@dataclass(frozen=True)
class RuleData:
    name: str
    unit_id: int | None = None
    position: int | None = None
    min_total_cents: int | None = None
    when_over_order_limit: bool = False
    when_over_user_budget: bool = False
    when_over_unit_budget: bool = False
    category_id: int | None = None
    jobsite_id: int | None = None
    steps: tuple[StepData, ...] = ()


def company_rules(company_id: int) -> list[ApprovalRule]:
    return list(db.session.scalars(
        select(ApprovalRule).where(ApprovalRule.company_id == company_id)
        .options(selectinload(ApprovalRule.steps).selectinload(ApprovalStep.approver_user))
        .order_by(ApprovalRule.active.desc(), ApprovalRule.position, ApprovalRule.id)))


def nameable_approvers(company_id: int) -> list[User]:
    """People a step may name: active approvers and admins of the company."""
    return list(db.session.scalars(
        select(User).where(User.company_id == company_id, User.disabled.is_(False),
                           User.role.in_((Role.APPROVER, Role.COMPANY_ADMIN)))
        .order_by(User.name, User.id)))


def category_choices(admin, lang: str) -> list[tuple[int, str]]:
    """The categories a rule may name, as the company's catalog shows them: its visible
    part of the tree, in tree order, each indented under its parent."""
    return CategoryTree(admin, lang).options()


def rule_categories(admin) -> list[Category]:
    visible = visible_category_ids(admin)
    stmt = select(Category).order_by(Category.position, Category.name_fr)
    if visible is not None:
        stmt = stmt.where(Category.id.in_(visible))
    return list(db.session.scalars(stmt))


def _step(admin, data: StepData, position: int) -> ApprovalStep:
    step = ApprovalStep(position=position, min_total_cents=data.min_total_cents)
    if data.approver in (Role.APPROVER.value, Role.COMPANY_ADMIN.value):
        step.approver_role = Role(data.approver)
        return step
    head, _sep, tail = data.approver.partition(":")
    person = db.session.get(User, int(tail)) if head == "user" and tail.isdigit() and \
        tail.isascii() and len(tail) < 12 else None
    if (person is None or person.company_id != admin.company_id or person.disabled
            or person.role not in (Role.APPROVER, Role.COMPANY_ADMIN)):
        raise DomainError(_("Choose who approves each step."))
    step.approver_user_id = person.id
    return step


def _check(admin, data: RuleData) -> None:
    if not clean_line(data.name) or len(clean_line(data.name)) > 120:
        raise DomainError(_("Enter a name (up to 120 characters)."))
    own_unit(admin, data.unit_id)
    if data.jobsite_id is not None:
        jobsite = own_unit(admin, data.jobsite_id)
        if jobsite.kind != UnitKind.JOBSITE:
            raise DomainError(_("Choose a jobsite of your company."))
    if data.category_id is not None and data.category_id not in {
            c.id for c in rule_categories(admin)}:
        raise DomainError(_("Choose a category of the catalog."))
    if not data.steps:
        raise DomainError(_("Add at least one approval step."))
    if len(data.steps) > MAX_STEPS:
        raise DomainError(_("A rule has at most %(n)s steps.", n=MAX_STEPS))


def snapshot(rule: ApprovalRule) -> dict:
    return {
        "name": rule.name, "unit_id": rule.unit_id, "position": rule.position,
        "active": rule.active, "min_total_cents": rule.min_total_cents,
        "when_over_order_limit": rule.when_over_order_limit,
        "when_over_user_budget": rule.when_over_user_budget,
        "when_over_unit_budget": rule.when_over_unit_budget,
        "category_id": rule.category_id, "jobsite_id": rule.jobsite_id,
        "steps": [{"role": str(s.approver_role) if s.approver_role else None,
                   "user_id": s.approver_user_id, "min_total_cents": s.min_total_cents}
                  for s in rule.steps],
    }


def save_rule(admin, data: RuleData, rule: ApprovalRule | None = None) -> ApprovalRule:
    """Create (rule None) or replace the settings and steps of a rule of the admin's company."""
    _check(admin, data)
    steps = [_step(admin, s, n) for n, s in enumerate(data.steps, start=1)]
    creating = rule is None
    if creating:
        rule = ApprovalRule(company_id=admin.company_id, name="", active=True)
        db.session.add(rule)
        before = None
    else:
        if rule.company_id != admin.company_id:
            raise DomainError(_("Choose a rule of your company."))
        before = snapshot(rule)
    position = data.position
    if position is None:
        position = (db.session.scalar(
            select(func.max(ApprovalRule.position))
            .where(ApprovalRule.company_id == admin.company_id)) or 0) + 1
    rule.name, rule.unit_id, rule.position = clean_line(data.name), data.unit_id, position
    rule.min_total_cents = data.min_total_cents
    rule.when_over_order_limit = data.when_over_order_limit
    rule.when_over_user_budget = data.when_over_user_budget
    rule.when_over_unit_budget = data.when_over_unit_budget
    rule.category_id, rule.jobsite_id = data.category_id, data.jobsite_id
    rule.steps.clear()
    db.session.flush()  # the old steps go before the new ones take their positions
    rule.steps.extend(steps)
    db.session.flush()
    record(admin, "rule.create" if creating else "rule.update", rule,
           {"before": before, "after": snapshot(rule)})
    return rule


def set_rule_active(admin, rule: ApprovalRule, active: bool) -> None:
    if rule.company_id != admin.company_id:
        raise DomainError(_("Choose a rule of your company."))
    if rule.active == active:
        return
    rule.active = active
    record(admin, "rule.activate" if active else "rule.deactivate", rule, {"name": rule.name})
