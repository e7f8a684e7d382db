"""A category's attributes in the back office: list them with how many products carry a
value, rename them per language, reorder them, delete one after a confirmation."""

from flask import abort, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.catalog_admin import bp
from portal.models import Role
from portal.rendering import render
from portal.services import content
from portal.usecases import moved_on, run

ADMIN = (Role.STAFF_ADMIN,)


def _attribute(attribute_id: int):
    return content.find_attribute(attribute_id) or abort(404)


def _back(attribute, message: str):
    return moved_on(message, url_for(".category_attributes", category_id=attribute.category_id)
                    + f"#attribute-{attribute.id}")


def _page(category, status_code: int = 200, **extra):
    return render("content/attributes.html", status_code=status_code, category=category,
                  items=content.category_attributes(category.id), **extra)


def _again(attribute, **extra):
    """The category's page again (after a refusal: the caller rolled back)."""
    return _page(content.find_category(attribute.category_id), 422, **extra)


@bp.get("/attributes")
@allow(ADMIN)
def attributes():
    return render("content/attribute_categories.html",
                  categories=content.categories_with_attributes())


@bp.get("/categories/<int:category_id>/attributes")
@allow(ADMIN)
def category_attributes(category_id: int):
    return _page(content.find_category(category_id) or abort(404))


@bp.post("/attributes/<int:attribute_id>")
@allow(ADMIN)
def attribute_rename(attribute_id: int):
    attribute = _attribute(attribute_id)
    return run(lambda: content.rename_attribute(attribute, current_user, request.form),
               refused=lambda problem: _again(attribute, errors={
                   attribute.id: getattr(problem, "errors", {"form": str(problem)})},
                   typed=request.form),
               done=lambda a: _back(a, _("Attribute “%(name)s” saved.",
                                         name=a.name(str(get_locale())))))


@bp.post("/attributes/<int:attribute_id>/<any(up, down):direction>")
@allow(ADMIN)
def attribute_move(attribute_id: int, direction: str):
    attribute = _attribute(attribute_id)
    step = -1 if direction == "up" else 1
    return run(lambda: content.move_attribute(attribute, step, current_user),
               refused=lambda problem: _again(attribute),
               done=lambda a: _back(a, _("Order of the attributes saved.")))


@bp.route("/attributes/<int:attribute_id>/delete", methods=["GET", "POST"])
@allow(ADMIN)
def attribute_delete(attribute_id: int):
    """A confirmation page saying how many products lose their value, then the removal."""
    attribute = _attribute(attribute_id)
    if request.method != "POST":
        return render("content/attribute_delete.html", attribute=attribute,
                      products=content.products_with_value(attribute))
    name, category_id = attribute.name(str(get_locale())), attribute.category_id
    return run(lambda: content.delete_attribute(attribute, current_user),
               refused=lambda problem: _again(attribute),
               done=lambda removed: moved_on(
                   ngettext("Attribute “%(name)s” deleted (%(num)s product value removed).",
                            "Attribute “%(name)s” deleted (%(num)s product values removed).",
                            removed, name=name),
                   url_for(".category_attributes", category_id=category_id)))
