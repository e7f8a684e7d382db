"""Public stored files (product images and documents, page images) at /media/<key>: no
sign-in, no database query, cached for a year (the key is the hash of the bytes)."""

from flask import Blueprint, abort

from portal.access import PUBLIC, allow
from portal.media import stored_response
from portal.services import storage

bp = Blueprint("media", __name__, url_prefix="/media")


@bp.record_once
def _template_helpers(state):
    state.app.jinja_env.globals["stored_url"] = storage.url


@bp.get("/<path:key>")
@allow(PUBLIC)
def stored(key):
    if not storage.is_public(key):
        abort(404)
    return stored_response(key)
