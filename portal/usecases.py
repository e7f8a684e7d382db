"""One way for a view to run a use case and answer.

A view gathers its input, then hands the use case to `run`:

- the use case refuses (a `DomainError`): the transaction is rolled back, so nothing
  half-done stays, and the view's `refused(problem)` page is answered with the refusal's
  status (422, or 409 for a conflict), the message at its field when the form has one;
- the use case succeeds: the one commit of the request, then the view's `done(result)`
  answer: `moved_on` (flash, 303 to the next page) or a fragment for htmx.

Views never write `except DomainError` themselves (tests/unit/test_architecture.py); nor do
the `portal` commands, which run theirs through `in_shell`. The JSON API answers a refusal as
problem+json, in portal/blueprints/api/problems.py.
"""

from collections.abc import Callable
from typing import Any

import click
from flask import flash, g, make_response, redirect
from flask.typing import ResponseReturnValue

from portal.extensions import db
from portal.rendering import wants_fragment
from portal.services import DomainError

Answer = Callable[..., ResponseReturnValue]


def run(action: Callable[[], Any], refused: Callable[[DomainError], ResponseReturnValue],
        done: Callable[[Any], ResponseReturnValue], status: int | None = None,
        keep_loaded: bool = False):
    """Run one use case in the request's one transaction and answer for it.

    `status` overrides the refusal's own (e.g. 409 for a batch where any refusal is a
    conflict). A `refused` answer that is a redirect keeps its 303: the view chose to say
    it elsewhere (a flash on the previous page).

    `keep_loaded`: the objects read before the commit answer `done` as they are, instead of
    being read again (the user, the product: two statements). Only for a use case that
    writes none of them behind the session's back (a bulk statement): the cart's add, whose
    lines come back from its own statement.
    """
    try:
        result = action()
    except DomainError as problem:
        db.session.rollback()
        g.refusal = problem  # for what runs after the view (a rate limit counting refusals)
        response = make_response(refused(problem))
        if not response.status_code // 100 == 3:
            response.status_code = status or problem.status
        return response
    session = db.session()
    session.expire_on_commit = not keep_loaded
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    return done(result)


def moved_on(message: str | None, target: str, category: str = "success"):
    """Success told on the next page: post → 303 → get, the message flashed."""
    if message:
        flash(message, category)
    return redirect(target, 303)


def fragment_or_moved_on(fragment: Callable[[], ResponseReturnValue], message: str | None,
                         target: str):
    """An htmx swap gets the fragment (it shows the message itself); a plain post moves on."""
    if wants_fragment():
        return fragment()
    return moved_on(message, target)


def at_field(form, problem: DomainError, fallback: str | None = None) -> str:
    """Put the refusal's message under its field (the problem's, else `fallback`).

    Returns "" when a field took it, else the message for the form-level slot.
    """
    name = problem.field or fallback
    field = form[name] if form is not None and name and name in form else None
    if field is None:
        return str(problem)
    field.errors = [*field.errors, str(problem)]
    return ""


def form_page(form, action: Callable[[], Any], page: Answer,
              done: Callable[[Any], ResponseReturnValue], fallback: str | None = None):
    """A WTForms page: shown (200), refused by the form (422) or by the use case (its status,
    the message at its field), or done.

    `page(error=...)` renders the page with `error` for the form-level slot.
    """
    if form.validate_on_submit():
        return run(action, lambda problem: page(error=at_field(form, problem, fallback)), done)
    response = make_response(page(error=""))
    response.status_code = 422 if form.is_submitted() else 200
    return response



def in_shell(action: Callable[[], Any]):
    """A `portal` command's use case: committed once, or refused with its message as the
    command's error (exit status 1) and nothing written."""
    try:
        result = action()
    except DomainError as problem:
        db.session.rollback()
        raise click.ClickException(str(problem)) from None
    db.session.commit()
    return result
