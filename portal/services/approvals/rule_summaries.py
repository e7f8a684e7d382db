"""Approval rules in words, for the company admin's rules list: scope, conditions, steps.

Two statements whatever the number of rules: the company's unit names, the named categories.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Category, Role, Unit
from portal.services.approvals.words import short_money


def rule_summaries(rules, user, lang: str) -> dict[int, dict]:
    """Rule id -> {"scope", "conditions", "steps"} in the reader's language (`lang`)."""
    units = dict(db.session.execute(
        select(Unit.id, Unit.name).where(Unit.company_id == user.company_id)).all())
    wanted = {r.category_id for r in rules if r.category_id}
    english = lang == "en"
    categories = {c.id: (c.name_en if english else c.name_fr) for c in db.session.scalars(
        select(Category).where(Category.id.in_(wanted)))} if wanted else {}
    currency = user.company.currency if user.company else "EUR"
    return {r.id: {"scope": units.get(r.unit_id, "?") if r.unit_id else _("Whole company"),
                   "conditions": _conditions(r, units, categories, currency),
                   "steps": [_step(s, currency) for s in r.steps]} for r in rules}


def _conditions(rule, units, categories, currency) -> list[str]:
    found = []
    if rule.min_total_cents is not None:
        found.append(_("order over %(amount)s",
                       amount=short_money(rule.min_total_cents, currency)))
    if rule.when_over_order_limit:
        found.append(_("buyer's per-order limit exceeded"))
    if rule.when_over_user_budget:
        found.append(_("buyer's monthly budget exceeded"))
    if rule.when_over_unit_budget:
        found.append(_("unit's monthly budget exceeded"))
    if rule.category_id:
        found.append(_("products of %(category)s",
                       category=categories.get(rule.category_id, "?")))
    if rule.jobsite_id:
        found.append(_("delivered to %(jobsite)s", jobsite=units.get(rule.jobsite_id, "?")))
    return found or [_("every order")]


def _step(step, currency) -> str:
    if step.approver_user is not None:
        who = step.approver_user.name
    elif step.approver_role == Role.APPROVER:
        who = _("the unit's purchasing manager")
    else:
        who = _("a company admin")
    if step.min_total_cents is not None:
        return _("%(who)s, above %(amount)s", who=who,
                 amount=short_money(step.min_total_cents, currency))
    return who
