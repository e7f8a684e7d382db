"""`portal build`: the CSS and JS bundles, content-hashed, gzipped, listed in manifest.json.

Standard library only: the install hook (build_hooks.py) loads this file by its path, before
Flask or anything else of the portal is installed.

The JS bundle is htmx (the npm package `htmx.org`, pinned in package.json; the hook copies its
built file into static/vendor/ so an installed package can rebuild without npm) followed by our
own scripts; the CSS bundle is our stylesheets in name order. The barcode reader for browsers
without BarcodeDetector (the npm package `zxing-wasm`: its script and its WebAssembly file) is
built beside them as scan.js and zxing_reader.wasm, loaded only when a buyer taps Scan, from
our own origin (the CSP allows no other). The same sources give the same names on every host,
so hosts built apart agree on every URL.

A rolling deploy serves pages of two versions at once: a page from an old host asks a new one
for the old hashes, and the other way round. So a build never deletes the files of the
KEEP_BUILDS - 1 builds before it; the manifest lists them all and points at the newest.
"""

import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
DEFAULT_OUT = STATIC_DIR / "dist"
VENDOR_HTMX = STATIC_DIR / "vendor" / "htmx.min.js"
VENDOR_DIR = STATIC_DIR / "vendor"
# The barcode reader: (name in the build, file in the npm package zxing-wasm, vendored copy).
ZXING_FILES = (("scan.js", "dist/iife/reader/index.js", "zxing-reader.js"),
               ("zxing_reader.wasm", "dist/reader/zxing_reader.wasm", "zxing_reader.wasm"))
# The repository's root in a clone (package.json, node_modules/); absent once installed.
PROJECT_DIR = PACKAGE_DIR.parent
KEEP_BUILDS = 3
MANIFEST = "manifest.json"
MIMETYPES = {"css": "text/css", "js": "text/javascript", "wasm": "application/wasm"}
# Only files of this shape are ever deleted from the output directory.
HASHED_NAME = re.compile(r"^(app|scan|zxing_reader)\.[0-9a-f]{12}\.(css|js|wasm)(\.gz)?$")


class BuildError(RuntimeError):
    """The bundles cannot be built (htmx missing, npm failing): the message says what to do."""


def node_htmx(project: Path = PROJECT_DIR) -> Path:
    return project / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"


def locked_htmx_version(project: Path = PROJECT_DIR) -> str | None:
    return locked_version("htmx.org", project)


def locked_version(package: str, project: Path = PROJECT_DIR) -> str | None:
    lock = project / "package-lock.json"
    if not lock.exists():
        return None
    found = json.loads(lock.read_text()).get("packages", {}).get(f"node_modules/{package}")
    return found["version"] if found else None


def _installed(package: str, project: Path) -> bool:
    wanted = locked_version(package, project)
    installed = project / "node_modules" / package / "package.json"
    return wanted is None or (installed.exists()
                              and json.loads(installed.read_text())["version"] == wanted)


def install_node_packages(project: Path = PROJECT_DIR) -> None:
    """`npm ci` in a clone, unless node_modules already holds the locked packages."""
    if locked_htmx_version(project) is None:
        return  # an installed package: its build carries htmx in static/vendor/
    if all(_installed(name, project) for name in ("htmx.org", "zxing-wasm")):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("htmx comes from the npm package htmx.org: install Node.js and npm, "
                         "then run `npm ci` in the repository (or `pip install .` again).")
    # Fixed arguments, no shell: the lock file decides what is installed.
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],  # noqa: S603
                   cwd=project, check=True)


def htmx_source(project: Path = PROJECT_DIR, vendor: Path = VENDOR_HTMX) -> bytes:
    """htmx from node_modules in a clone (refreshing the packaged copy), else that copy."""
    fresh = node_htmx(project)
    if fresh.exists():
        body = fresh.read_bytes()
        if not vendor.exists() or vendor.read_bytes() != body:
            _write_atomic(vendor, body)
        return body
    if vendor.exists():
        return vendor.read_bytes()
    raise BuildError("htmx is missing: run `npm ci` in the repository, then `portal build`.")


def zxing_sources(project: Path = PROJECT_DIR, vendor: Path = VENDOR_DIR) -> dict[str, bytes]:
    """The barcode reader's files from node_modules in a clone (refreshing the packaged
    copies), else those copies."""
    found = {}
    for name, in_package, copy in ZXING_FILES:
        fresh, kept = project / "node_modules" / "zxing-wasm" / in_package, vendor / copy
        if fresh.exists():
            body = fresh.read_bytes()
            if not kept.exists() or kept.read_bytes() != body:
                _write_atomic(kept, body)
        elif kept.exists():
            body = kept.read_bytes()
        else:
            raise BuildError("The barcode reader (npm package zxing-wasm) is missing: run "
                             "`npm ci` in the repository, then `portal build`.")
        found[name] = body
    return found


def bundle_sources(static: Path = STATIC_DIR, htmx: bytes | None = None) -> dict[str, bytes]:
    css = b"\n".join(p.read_bytes() for p in sorted((static / "css").glob("*.css")))
    scripts = [p.read_bytes() for p in sorted((static / "js").glob("*.js"))]
    js = b";\n".join([htmx if htmx is not None else htmx_source(), *scripts])
    return {"app.css": css, "app.js": js, **zxing_sources()}


def hashed_name(name: str, body: bytes) -> str:
    stem, ext = name.rsplit(".", 1)
    return f"{stem}.{hashlib.sha256(body).hexdigest()[:12]}.{ext}"


def read_manifest(out: Path) -> dict | None:
    try:
        return json.loads((out / MANIFEST).read_text())
    except FileNotFoundError:
        return None


def build(out: Path = DEFAULT_OUT, sources: dict[str, bytes] | None = None,
          keep: int = KEEP_BUILDS) -> dict:
    """Write the bundles into `out` and point the manifest at them; returns the manifest.

    Idempotent: unchanged sources write nothing. Safe against a concurrent build (a lock
    file) and against readers (each file is written aside, then renamed into place).
    """
    sources = sources if sources is not None else bundle_sources()
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = {name: hashed_name(name, body) for name, body in sources.items()}
        for name, body in sources.items():
            target = out / current[name]
            if not target.exists():
                _write_atomic(target.with_name(target.name + ".gz"),
                              gzip.compress(body, compresslevel=9, mtime=0))
                _write_atomic(target, body)
        manifest = read_manifest(out) or {"builds": []}
        builds = [current] + [b for b in manifest.get("builds", []) if b != current]
        manifest = {"current": current, "builds": builds[:max(keep, 1)]}
        if read_manifest(out) != manifest:
            _write_atomic(out / MANIFEST, json.dumps(manifest, indent=2).encode() + b"\n")
        _prune(out, manifest)
    return manifest


def served_files(manifest: dict) -> set[str]:
    return {filename for build in manifest.get("builds", []) for filename in build.values()}


def _prune(out: Path, manifest: dict) -> None:
    kept = served_files(manifest)
    for path in out.iterdir():
        match = HASHED_NAME.match(path.name)
        if match and path.name.removesuffix(".gz") not in kept:
            path.unlink(missing_ok=True)


def _write_atomic(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    aside.write_bytes(body)
    os.replace(aside, path)
