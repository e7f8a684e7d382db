"""Helpers shared by the company administration views."""

from flask import request
from flask_babel import get_locale

from portal.rendering import render
from portal.services.accounts import unit_tree
from portal.usecases import form_page, moved_on, run


def save_or_render(form, template: str, action, success: str, target: str, **context):
    """Validate, run one use case, commit and redirect (303); else re-render with 422, the
    use case's message at its field or above the form."""
    return form_page(form, action,
                     page=lambda error: render(template, form=form, error=error, **context),
                     done=lambda _result: moved_on(success, target))


def confirm_then_do(template: str, action, success: str, target: str, **context):
    """The confirmation page (works without JS); only a POST runs the use case, commits, 303.

    Anything but POST gets the page: a HEAD answered by this view must never act.
    """
    if request.method != "POST":
        return render(template, error="", **context)
    return run(action, refused=lambda problem: render(template, error=str(problem), **context),
               done=lambda _result: moved_on(success, target))


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
