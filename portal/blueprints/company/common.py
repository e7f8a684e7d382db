"""Helpers shared by the company administration views."""

from flask import flash, redirect, request
from flask_babel import get_locale

from portal.extensions import db
from portal.rendering import render
from portal.services import DomainError
from portal.services.accounts import unit_tree


def save_or_render(form, template: str, action, success: str, target: str, **context):
    """Validate, run one use case, commit and redirect (303); else re-render with 422."""
    if form.validate_on_submit():
        try:
            action()
        except DomainError as exc:
            db.session.rollback()
            context["error"] = str(exc)
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(target, 303)
    status = 422 if form.is_submitted() else 200
    return render(template, form=form, status_code=status, **context)


def confirm_then_do(template: str, action, success: str, target: str, **context):
    """The confirmation page (works without JS); only a POST runs the use case, commits, 303.

    Anything but POST gets the page: a HEAD answered by this view must never act.
    """
    if request.method != "POST":
        return render(template, error="", **context)
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        return render(template, error=str(exc), status_code=422, **context)
    db.session.commit()
    flash(success, "success")
    return redirect(target, 303)


def amount_input(cents: int | None) -> str:
    """Cents shown back in a form field, in the reader's decimal style."""
    if cents is None:
        return ""
    if cents % 100 == 0:
        return str(cents // 100)
    sep = "," if str(get_locale() or "fr") == "fr" else "."
    return f"{cents // 100}{sep}{cents % 100:02d}"


def unit_choices(company_id: int, blank: str, kinds=None) -> list[tuple[str, str]]:
    """Active units in tree order, indented, for a select; `kinds` limits which are offered."""
    choices = [("", blank)]
    for unit, depth in unit_tree(company_id, include_archived=False):
        if kinds is None or unit.kind in kinds:
            choices.append((str(unit.id), "\u2014 " * depth + unit.name))
    return choices
