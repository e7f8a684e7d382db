"""Serving the bundles `portal build` wrote (portal/bundler.py), as its manifest lists them.

The manifest is read at start; pages link its current bundles. Any file of the builds it
lists is served, for a year, immutable. A name this process does not know sends it back to
the manifest once (when the file changed): an old process then serves the hashes a newer
build on the same host (a rolling deploy's first step) added, instead of a 404.

Without a manifest: in debug and tests the bundles of the package's own build directory are
built at start (a clone with node_modules); in production the app answers 503 and
`portal.wsgi` refuses to start, both saying to run `portal build`.
"""

import logging
import os
import threading
from pathlib import Path

from flask import Blueprint, Config, Response, abort, current_app, has_request_context, request

from portal import bundler
from portal import config as config_module

bp = Blueprint("assets", __name__)
log = logging.getLogger(__name__)
MISSING = ("No static bundles: {path} is missing. Run `portal build` (after `npm ci` in a "
           "clone) on this host, or set STATIC_BUILD_DIR to where it wrote them.")


class Bundles:
    """One build directory as this process knows it; reloaded when its manifest changes."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._lock = threading.Lock()
        self._bodies: dict[tuple[str, bool], bytes] = {}
        self._stamp = None
        self.manifest = None
        self.files: set[str] = set()
        self.reload()

    def reload(self) -> bool:
        """Read the manifest again if it changed on disk; whether it did."""
        path = self.directory / bundler.MANIFEST
        try:
            stat = path.stat()
        except FileNotFoundError:
            return False
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if stamp == self._stamp:
            return False
        with self._lock:
            self.manifest = bundler.read_manifest(self.directory)
            self.files = bundler.served_files(self.manifest or {})
            self._stamp = stamp
        return True

    def body(self, filename: str, gzipped: bool) -> bytes | None:
        if filename not in self.files and not (self.reload() and filename in self.files):
            return None
        key = (filename, gzipped)
        if key not in self._bodies:
            path = self.directory / (filename + (".gz" if gzipped else ""))
            try:
                self._bodies[key] = path.read_bytes()
            except FileNotFoundError:
                return None
        return self._bodies[key]


def build_dir(settings) -> Path:
    return Path(settings.get("STATIC_BUILD_DIR") or bundler.DEFAULT_OUT)


def configured_build_dir() -> Path:
    """STATIC_BUILD_DIR as the app would read it, without building an app (no secrets needed)."""
    settings = Config(os.environ.get("PORTAL_INSTANCE_PATH") or str(Path.cwd() / "instance"))
    settings.from_object(config_module.Defaults)
    settings.from_pyfile("config.py", silent=True)
    settings.update(config_module.from_environment(current=settings))
    return build_dir(settings)


@bp.get("/static/b/<filename>")
def bundle(filename: str):
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    body = current_app.extensions["bundles"].body(filename, use_gzip)
    if body is None:
        abort(404)
    mimetype = bundler.MIMETYPES.get(filename.rsplit(".", 1)[-1], "application/octet-stream")
    response = Response(body, mimetype=mimetype)
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


BUNDLE_NAMES = ("bundle_css", "bundle_js", "bundle_scan_js", "bundle_scan_wasm")


def _under_the_mount() -> dict:
    """The bundles' URLs under the path the portal is mounted at (a storefront's prefix,
    portal/mounts.py), as url_for's are; the globals hold them from the root."""
    root = request.script_root if has_request_context() else ""
    if not root:
        return {}
    env = current_app.jinja_env.globals
    return {name: root + env[name] for name in BUNDLE_NAMES}


def require_built(app) -> None:
    """For servers: refuse to start without bundles rather than serve pages without styles."""
    if app.extensions["bundles"].manifest is None:
        raise RuntimeError(MISSING.format(path=app.extensions["bundles"].directory
                                          / bundler.MANIFEST))


def init_app(app):
    directory = build_dir(app.config)
    # Developers and tests edit CSS and JS between runs: rebuild the package's own directory
    # (a no-op when nothing changed). An operator's directory is only written by `portal build`.
    if (app.debug or app.testing) and not app.config.get("STATIC_BUILD_DIR"):
        bundler.build(directory)
    bundles = Bundles(directory)
    app.extensions["bundles"] = bundles
    current = (bundles.manifest or {}).get("current", {})
    app.jinja_env.globals["bundle_css"] = f"/static/b/{current.get('app.css', 'missing.css')}"
    app.jinja_env.globals["bundle_js"] = f"/static/b/{current.get('app.js', 'missing.js')}"
    app.jinja_env.globals["bundle_scan_js"] = f"/static/b/{current.get('scan.js', 'missing.js')}"
    app.jinja_env.globals["bundle_scan_wasm"] = \
        f"/static/b/{current.get('zxing_reader.wasm', 'missing.wasm')}"
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 31536000)
    app.context_processor(_under_the_mount)
    app.register_blueprint(bp)
    if bundles.manifest is None:
        message = MISSING.format(path=directory / bundler.MANIFEST)
        log.error(message)
        app.before_request(lambda: Response(message + "\n", status=503, mimetype="text/plain"))
