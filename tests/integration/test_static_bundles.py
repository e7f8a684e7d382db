"""Bundles built once by `portal build`, served as the manifest says, old hashes kept for a
rolling deploy, and a clear refusal when a server was started without them."""

import gzip
import json
import os
import subprocess
import sys

import pytest

from portal import bundler, create_app
from portal.extensions import db
from tests.conftest import base_config

HTMX = b"/* htmx stand-in */ var htmx = {};"


def sources(css: bytes = b"body { color: black; }") -> dict[str, bytes]:
    return {"app.css": css, "app.js": HTMX + b";\nportalScript();"}


def make_app(tmp_path, directory, **settings):
    config = base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'b.db'}",
                         STATIC_BUILD_DIR=str(directory), **settings)
    app = create_app(config)
    with app.app_context():
        db.create_all()  # every page asks which storefront it is for
    return app


def links(client) -> tuple[str, str]:
    app = client.application
    return app.jinja_env.globals["bundle_css"], app.jinja_env.globals["bundle_js"]


def test_pages_link_and_serve_the_bundles_the_manifest_names(tmp_path):
    out = tmp_path / "dist"
    manifest = bundler.build(out, sources())
    client = make_app(tmp_path, out).test_client()
    css, js = links(client)
    assert css == f"/static/b/{manifest['current']['app.css']}"
    assert js == f"/static/b/{manifest['current']['app.js']}"
    page = client.get("/login").get_data(as_text=True)
    assert css in page and js in page
    response = client.get(js, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert "immutable" in response.headers["Cache-Control"]
    assert gzip.decompress(response.data).startswith(HTMX)
    assert client.get(css).data == b"body { color: black; }"
    # A hashed file lying in the directory but named by no manifest build is not served.
    (out / "app.0123456789ab.css").write_text("stale")
    assert client.get("/static/b/app.0123456789ab.css").status_code == 404
    assert client.get("/static/b/manifest.json").status_code == 404


def test_a_rebuild_keeps_serving_the_previous_hashes_to_old_and_new_processes(tmp_path):
    out = tmp_path / "dist"
    bundler.build(out, sources(b"/* v1 */"))
    old_client = make_app(tmp_path, out).test_client()
    old_css, _ = links(old_client)

    bundler.build(out, sources(b"/* v2 */"))  # the new release, built beside the old one
    new_client = make_app(tmp_path, out).test_client()
    new_css, _ = links(new_client)
    assert new_css != old_css
    # A page of the old version asks a new host for its files, and the other way round.
    assert new_client.get(old_css).data == b"/* v1 */"
    assert old_client.get(new_css).data == b"/* v2 */"
    assert links(old_client)[0] == old_css  # a running process keeps linking what it started with


def test_only_the_last_builds_are_kept_and_a_rebuild_of_the_same_sources_changes_nothing(
        tmp_path):
    out = tmp_path / "dist"
    first = bundler.build(out, sources(b"/* 1 */"), keep=2)
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("[!.]*")}
    assert bundler.build(out, sources(b"/* 1 */"), keep=2) == first
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("[!.]*")} == before
    bundler.build(out, sources(b"/* 2 */"), keep=2)
    bundler.build(out, sources(b"/* 3 */"), keep=2)
    client = make_app(tmp_path, out).test_client()
    assert client.get(f"/static/b/{first['current']['app.css']}").status_code == 404
    assert not (out / first["current"]["app.css"]).exists()
    assert len(json.loads((out / "manifest.json").read_text())["builds"]) == 2


def test_a_server_without_a_manifest_says_to_run_portal_build(tmp_path):
    from portal import assets

    app = make_app(tmp_path, tmp_path / "empty", TESTING=False)
    with pytest.raises(RuntimeError, match="portal build"):
        assets.require_built(app)
    response = app.test_client().get("/login")
    assert response.status_code == 503
    assert "portal build" in response.get_data(as_text=True)


def test_the_wsgi_module_refuses_to_start_without_bundles(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_SECRET_KEY="x" * 32, PORTAL_INSTANCE_PATH=str(tmp_path),
               PORTAL_STATIC_BUILD_DIR=str(tmp_path / "nothing-built"))
    result = subprocess.run([sys.executable, "-c", "import portal.wsgi"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Run `portal build`" in result.stderr


def test_portal_build_writes_where_the_setting_says(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_INSTANCE_PATH=str(tmp_path), PORTAL_STATIC_BUILD_DIR=str(tmp_path / "s"))
    result = subprocess.run([sys.executable, "-m", "portal", "build"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    js = (tmp_path / "s" / manifest["current"]["app.js"]).read_bytes()
    assert js.startswith(bundler.htmx_source())


def test_htmx_is_the_pinned_2_0_release_from_npm():
    package = json.loads((bundler.PROJECT_DIR / "package.json").read_text())
    pinned = package["dependencies"]["htmx.org"]
    assert pinned.startswith("2.0.") and pinned[0].isdigit()  # exact: no ^ or ~ range
    assert bundler.locked_htmx_version() == pinned
    assert f'version:"{pinned}"'.encode() in bundler.htmx_source()
