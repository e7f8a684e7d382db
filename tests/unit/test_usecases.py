"""portal/usecases: how every view answers a use case. A refusal is the form again (422, or
the refusal's own status) with the message at its field and nothing kept; a success is one
commit, then a flash and a 303, or the fragment for an htmx swap."""

from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from portal.extensions import db
from portal.models import CustomerGroup
from portal.services import DomainError
from portal.usecases import at_field, form_page, fragment_or_moved_on, moved_on, run


class GroupForm(FlaskForm):
    code = StringField(validators=[Length(max=40)])
    name = StringField()


def _create_group(code: str, refuse: DomainError | None = None):
    """A use case that writes, then (maybe) refuses: the write must not survive a refusal."""
    def action():
        group = CustomerGroup(code=code, name=code)
        db.session.add(group)
        db.session.flush()
        if refuse is not None:
            raise refuse
        return group
    return action


def _page(form):
    return lambda error: "|".join([error, *form.code.errors, *form.name.errors])


def _codes() -> list[str]:
    db.session.remove()  # a fresh session: only what was committed
    return list(db.session.scalars(db.select(CustomerGroup.code)))


def test_a_refusal_answers_the_form_again_with_422_and_the_message_at_its_field(sqlite_app):
    with sqlite_app.test_request_context("/", method="POST", data={"code": "BTP", "name": ""}):
        form = GroupForm()
        refusal = DomainError("This code is taken.", field="code")
        response = form_page(form, _create_group("BTP", refusal), _page(form),
                             done=lambda group: moved_on("Saved.", "/groups"))
        assert response.status_code == 422
        assert form.code.errors == ["This code is taken."]
        assert response.get_data(as_text=True) == "|This code is taken."
        assert get_flashed_messages() == []
    assert _codes() == []


def test_a_refusal_naming_no_field_goes_above_the_form_or_to_the_fallback(sqlite_app):
    with sqlite_app.test_request_context("/", method="POST", data={"code": "BTP"}):
        form = GroupForm()
        assert at_field(form, DomainError("Not now.")) == "Not now."
        assert at_field(form, DomainError("Not now."), fallback="name") == ""
        assert form.name.errors == ["Not now."]


def test_a_refusal_keeps_its_own_status_and_a_redirect_stays_a_redirect(sqlite_app):
    class Conflict(DomainError):
        status = 409

    with sqlite_app.test_request_context("/", method="POST"):
        answer = run(_create_group("A", Conflict("Someone decided first.")),
                     refused=lambda problem: str(problem), done=lambda group: "done")
        assert (answer.status_code, answer.get_data(as_text=True)) == (
            409, "Someone decided first.")
        elsewhere = run(_create_group("B", DomainError("No.")),
                        refused=lambda problem: moved_on(str(problem), "/back", "error"),
                        done=lambda group: "done")
        assert (elsewhere.status_code, elsewhere.location) == (303, "/back")
        assert get_flashed_messages(with_categories=True) == [("error", "No.")]
    assert _codes() == []


def test_a_success_commits_flashes_and_redirects_303(sqlite_app):
    with sqlite_app.test_request_context("/", method="POST", data={"code": "BTP", "name": "x"}):
        form = GroupForm()
        response = form_page(form, _create_group("BTP"), _page(form),
                             done=lambda group: moved_on(f"{group.code} saved.", "/groups"))
        assert (response.status_code, response.location) == (303, "/groups")
        assert get_flashed_messages(with_categories=True) == [("success", "BTP saved.")]
    assert _codes() == ["BTP"]


def test_a_success_answers_an_htmx_swap_with_the_fragment(sqlite_app):
    headers = {"HX-Request": "true", "HX-Target": "group-row"}
    with sqlite_app.test_request_context("/", method="POST", headers=headers):
        sqlite_app.preprocess_request()  # flask-htmx reads the headers here
        answer = run(_create_group("BTP"), refused=lambda problem: str(problem),
                     done=lambda group: fragment_or_moved_on(
                         lambda: f"<tr id=group-row>{group.code}</tr>", "Saved.", "/groups"))
        assert answer == "<tr id=group-row>BTP</tr>"
        assert get_flashed_messages() == []
    assert _codes() == ["BTP"]


def test_the_form_is_shown_200_and_a_form_error_is_422_without_running(sqlite_app):
    ran = []
    with sqlite_app.test_request_context("/"):
        form = GroupForm()
        shown = form_page(form, lambda: ran.append(1), _page(form), done=lambda r: "done")
        assert shown.status_code == 200
    with sqlite_app.test_request_context("/", method="POST", data={"code": "x" * 50}):
        form = GroupForm()
        refused = form_page(form, lambda: ran.append(1), _page(form), done=lambda r: "done")
        assert refused.status_code == 422
    assert ran == []
