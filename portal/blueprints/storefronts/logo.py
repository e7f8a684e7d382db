"""Staff admins upload or remove a storefront's logo on its edit page (services/storefronts
/logo.py checks the file; a refusal shows at the logo's field, the old logo kept)."""

from flask import abort, request, url_for
from flask_babel import gettext as _

from portal.access import allow
from portal.blueprints.storefronts import bp
from portal.blueprints.storefronts.admin import ADMIN, _form_page
from portal.services import storage, storefronts
from portal.usecases import moved_on, run
from portal.web import accepts_upload


@bp.app_template_global("storefront_logo")
def logo_of(front):
    """The stored logo of a storefront row as the header shows it (None: none)."""
    return storefronts.header_logo(front.logo) if front is not None else None


def _back(message: str, storefront_id: int):
    storefronts.forget()  # every process shows the new header at its next request
    return moved_on(message, url_for(".edit", storefront_id=storefront_id))


def _refused(storefront_id: int):
    return lambda problem: _form_page(storefronts.find(storefront_id), error=problem)


@bp.post("/staff/storefronts/<int:storefront_id>/logo")
@accepts_upload
@allow(ADMIN)
def logo_upload(storefront_id: int):
    front = storefronts.find(storefront_id) or abort(404)
    sent = request.files.get("logo")
    data = sent.read(storage.upload_limit("image/jpeg") + 1) if sent and sent.filename else b""
    mimetype = sent.mimetype if sent and sent.filename else ""
    return run(lambda: storefronts.set_logo(front, data, mimetype),
               refused=_refused(storefront_id),
               done=lambda saved: _back(_("Logo of %(name)s saved.", name=saved.name),
                                        storefront_id))


@bp.post("/staff/storefronts/<int:storefront_id>/logo/remove")
@allow(ADMIN)
def logo_remove(storefront_id: int):
    front = storefronts.find(storefront_id) or abort(404)
    return run(lambda: storefronts.remove_logo(front), refused=_refused(storefront_id),
               done=lambda saved: _back(_("Logo of %(name)s removed.", name=saved.name),
                                        storefront_id))
