"""Company administration: approval rules (list, create, edit, deactivate, activate)."""

from flask import flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow, scoped_or_404
from portal.blueprints.company import bp
from portal.blueprints.company.common import amount_input, save_or_render, unit_choices
from portal.blueprints.company.forms import RuleForm, int_or_none
from portal.extensions import db
from portal.models import ApprovalRule, Role, UnitKind
from portal.rendering import render
from portal.services import approvals
from portal.services.approvals import RuleData, StepData

STEPS = ("step1", "step2", "step3")


def _approver_choices() -> list[tuple[str, str]]:
    choices = [("", _("Nobody (no step)")),
               (Role.APPROVER.value, _("The unit's purchasing manager")),
               (Role.COMPANY_ADMIN.value, _("A company admin"))]
    for person in approvals.nameable_approvers(current_user.company_id):
        choices.append((f"user:{person.id}", person.name))
    return choices


def _rule_form(rule: ApprovalRule | None = None) -> RuleForm:
    form = RuleForm()
    company_id = current_user.company_id
    form.scope.choices = unit_choices(company_id, _("The whole company"))
    form.jobsite.choices = unit_choices(company_id, _("Any jobsite"), kinds=(UnitKind.JOBSITE,))
    form.category.choices = [("", _("Any category"))] + [
        (str(cid), label) for cid, label in approvals.category_choices(current_user,
                                                                        str(get_locale()))]
    for name in STEPS:
        getattr(form, name).choices = _approver_choices()
    if rule is not None and request.method != "POST":
        _fill(form, rule)
    return form


def _fill(form: RuleForm, rule: ApprovalRule) -> None:
    form.name.data, form.position.data = rule.name, str(rule.position)
    form.scope.data, form.jobsite.data = str(rule.unit_id or ""), str(rule.jobsite_id or "")
    form.category.data = str(rule.category_id or "")
    form.min_total.data = amount_input(rule.min_total_cents)
    form.over_order_limit.data = rule.when_over_order_limit
    form.over_user_budget.data = rule.when_over_user_budget
    form.over_unit_budget.data = rule.when_over_unit_budget
    for name, step in zip(STEPS, rule.steps, strict=False):
        getattr(form, name).data = (f"user:{step.approver_user_id}" if step.approver_user_id
                                    else step.approver_role.value)
        getattr(form, f"{name}_min").data = amount_input(step.min_total_cents)


def _rule_data(form: RuleForm) -> RuleData:
    steps = tuple(StepData(getattr(form, name).data, getattr(form, f"{name}_min").cents)
                  for name in STEPS if getattr(form, name).data)
    return RuleData(
        name=form.name.data or "", unit_id=int_or_none(form.scope.data),
        position=int_or_none(form.position.data), min_total_cents=form.min_total.cents,
        when_over_order_limit=form.over_order_limit.data,
        when_over_user_budget=form.over_user_budget.data,
        when_over_unit_budget=form.over_unit_budget.data,
        category_id=int_or_none(form.category.data), jobsite_id=int_or_none(form.jobsite.data),
        steps=steps)


@bp.get("/rules")
@allow(Role.COMPANY_ADMIN)
def rules():
    found = approvals.company_rules(current_user.company_id)
    return render("company/rules.html", rules=found, summaries=approvals.rule_summaries(
        found, current_user, str(get_locale())))


@bp.route("/rules/new", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def new_rule():
    form = _rule_form()
    return save_or_render(form, "company/rule_form.html",
                          lambda: approvals.save_rule(current_user, _rule_data(form)),
                          _("Rule created."), url_for("company.rules"), rule=None)


@bp.route("/rules/<int:rule_id>", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def edit_rule(rule_id: int):
    rule = scoped_or_404(ApprovalRule, rule_id)
    form = _rule_form(rule)
    return save_or_render(form, "company/rule_form.html",
                          lambda: approvals.save_rule(current_user, _rule_data(form), rule),
                          _("Rule saved."), url_for("company.rules"), rule=rule)


@bp.post("/rules/<int:rule_id>/deactivate")
@allow(Role.COMPANY_ADMIN)
def deactivate_rule(rule_id: int):
    rule = scoped_or_404(ApprovalRule, rule_id)
    approvals.set_rule_active(current_user, rule, False)
    db.session.commit()
    flash(_("Rule “%(name)s” deactivated.", name=rule.name), "success")
    return redirect(url_for("company.rules"), 303)


@bp.post("/rules/<int:rule_id>/activate")
@allow(Role.COMPANY_ADMIN)
def activate_rule(rule_id: int):
    rule = scoped_or_404(ApprovalRule, rule_id)
    approvals.set_rule_active(current_user, rule, True)
    db.session.commit()
    flash(_("Rule “%(name)s” active again.", name=rule.name), "success")
    return redirect(url_for("company.rules"), 303)
