"""One CSS and one JS bundle, built once at start-up, served under content-hashed names.

The JS bundle is htmx (from its installed package: no third-party file in git) followed by
our own small scripts. Bundles are gzip-compressed once and cached for a year.
"""

import gzip
import hashlib
from importlib import resources
from pathlib import Path

from flask import Blueprint, Response, abort, request

STATIC_DIR = Path(__file__).resolve().parent / "static"
bp = Blueprint("assets", __name__)


class Bundle:
    def __init__(self, name: str, mimetype: str, body: bytes):
        self.mimetype = mimetype
        self.body = body
        self.gzipped = gzip.compress(body, compresslevel=9, mtime=0)
        digest = hashlib.sha256(body).hexdigest()[:12]
        ext = name.rsplit(".", 1)[1]
        self.filename = f"{name.rsplit('.', 1)[0]}.{digest}.{ext}"


def htmx_source() -> bytes:
    return resources.files("js_lib_htmx").joinpath("static/htmx/htmx.min.js").read_bytes()


def _build() -> dict[str, Bundle]:
    css = b"\n".join(p.read_bytes() for p in sorted((STATIC_DIR / "css").glob("*.css")))
    js_parts = [htmx_source()] + [p.read_bytes() for p in sorted((STATIC_DIR / "js").glob("*.js"))]
    bundles = [Bundle("app.css", "text/css", css), Bundle("app.js", "text/javascript",
                                                          b";\n".join(js_parts))]
    return {b.filename: b for b in bundles}


@bp.get("/static/b/<filename>")
def bundle(filename: str):
    from flask import current_app

    found = current_app.extensions["bundles"].get(filename)
    if found is None:
        abort(404)
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(found.gzipped if use_gzip else found.body, mimetype=found.mimetype)
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def init_app(app):
    bundles = _build()
    app.extensions["bundles"] = bundles
    by_kind = {b.filename.rsplit(".", 1)[1]: b.filename for b in bundles.values()}
    app.jinja_env.globals["bundle_css"] = f"/static/b/{by_kind['css']}"
    app.jinja_env.globals["bundle_js"] = f"/static/b/{by_kind['js']}"
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 31536000)
    app.register_blueprint(bp)
