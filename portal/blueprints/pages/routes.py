"""The seller's pages: read by anyone once published (/pages/<slug>), the terms of sale in
each published version (/terms/<number>), written by staff admins (/staff/pages)."""

from flask import abort, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import PUBLIC, allow
from portal.blueprints.pages import bp
from portal.models import Role
from portal.rendering import render
from portal.services import content
from portal.usecases import moved_on, run

ADMIN = (Role.STAFF_ADMIN,)


def lang() -> str:
    return str(get_locale())


@bp.get("/pages")
@allow(PUBLIC)
def index():
    return render("content/pages.html", pages=content.published_pages())


@bp.get("/pages/<slug>")
@allow(PUBLIC)
def show(slug: str):
    found = content.page(slug) or abort(404)
    terms = content.current_terms() if slug == content.TERMS else None
    return render("content/page.html", title=found.title(lang()),
                  body=content.render_markdown(found.body(lang())), terms=terms)


@bp.get("/terms/<int:number>")
@allow(PUBLIC)
def terms(number: int):
    version = content.terms_version(number) or abort(404)
    return render("content/page.html", title=version.title(lang()),
                  body=content.render_markdown(version.body(lang())), terms=version)


@bp.get("/staff/pages")
@allow(ADMIN)
def staff_pages():
    return render("content/staff_pages.html", pages=content.all_pages(),
                  terms=content.current_terms())


def _editor(found, status_code: int = 200, **extra):
    return render("content/page_edit.html", status_code=status_code, found=found, **extra)


@bp.route("/staff/pages/new", methods=["GET", "POST"], defaults={"page_id": None})
@bp.route("/staff/pages/<int:page_id>", methods=["GET", "POST"])
@allow(ADMIN)
def staff_page(page_id: int | None):
    found = content.page_by_id(page_id) or abort(404) if page_id is not None else None
    if request.method != "POST":
        return _editor(found)
    form = request.form
    if form.get("action") == "preview":
        return _editor(found, typed=form, preview={
            "fr": content.render_markdown(form.get("body_fr", "")),
            "en": content.render_markdown(form.get("body_en", ""))})
    return run(lambda: content.save_page(current_user, found, form),
               refused=lambda problem: _editor(found, errors=getattr(problem, "errors", {}),
                                               typed=form),
               done=lambda saved: moved_on(_("Page “%(title)s” saved.", title=saved.title_fr),
                                           url_for(".staff_pages")))
