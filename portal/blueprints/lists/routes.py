"""Shopping lists: the user's lists, creating, renaming, sharing and deleting a list."""


from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import CUSTOMERS, allow
from portal.blueprints.lists import bp
from portal.extensions import db
from portal.rendering import render
from portal.services import ordering
from portal.services.selling import can_order
from portal.usecases import moved_on, run


def _index(status_code=200, error=None, form=None):
    return render("lists/index.html", status_code=status_code,
                  lists=ordering.visible_lists(current_user),
                  jobsites=ordering.jobsites_for(current_user), error=error,
                  form=form or {})


def visible_or_404(list_id: int):
    return ordering.visible_list(current_user, list_id) or abort(404)


def editable_or_404(list_id: int):
    """404 when the user cannot see the list, 403 when they may only see it."""
    found = visible_or_404(list_id)
    if not ordering.can_edit(current_user, found):
        abort(403)
    return found


def show_list(shopping_list, status_code=200, block=None, **extra):
    """The list page (or its lines block for htmx); shared by every list view. Its lines tell
    the same few delivery dates over and over: each is put in words once per page."""
    view = ordering.list_view(current_user, shopping_list)
    return render("lists/detail.html", block=block, status_code=status_code, view=view,
                  lst=shopping_list, jobsites=ordering.jobsites_for(current_user),
                  can_order=can_order(current_user), **extra)


@bp.get("/")
@allow(CUSTOMERS)
def index():
    return _index()


@bp.post("/new")
@allow(CUSTOMERS)
def create():
    form = request.form
    return run(lambda: ordering.create_list(current_user, form.get("name", ""),
                                            form.get("shared") == "1", form.get("jobsite")),
               refused=lambda problem: _index(422, str(problem), form),
               done=lambda created: moved_on(_("List “%(name)s” created.", name=created.name),
                                             url_for("lists.detail", list_id=created.id)))


@bp.get("/<int:list_id>")
@allow(CUSTOMERS)
def detail(list_id: int):
    return show_list(visible_or_404(list_id))


@bp.post("/<int:list_id>/edit")
@allow(CUSTOMERS)
def edit(list_id: int):
    shopping_list = editable_or_404(list_id)
    form = request.form
    return run(lambda: ordering.update_list(current_user, shopping_list, form.get("name", ""),
                                            form.get("shared") == "1", form.get("jobsite")),
               refused=lambda problem: show_list(visible_or_404(list_id), 422,
                                                 settings_error=str(problem)),
               done=lambda _result: moved_on(_("List saved."),
                                             url_for("lists.detail", list_id=list_id)))


@bp.get("/<int:list_id>/delete")
@allow(CUSTOMERS)
def delete_confirm(list_id: int):
    shopping_list = editable_or_404(list_id)
    return render("lists/delete.html", lst=shopping_list)


@bp.post("/<int:list_id>/delete")
@allow(CUSTOMERS)
def delete(list_id: int):
    shopping_list = editable_or_404(list_id)
    name = shopping_list.name
    ordering.delete_list(current_user, shopping_list)
    db.session.commit()
    flash(_("List “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("lists.index"), 303)
