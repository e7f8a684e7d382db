"""`python -m bench lighthouse`: Lighthouse's scores on every key page of the demo.

Lighthouse (npm, the version pinned in bench/package.json and package-lock.json, installed by
`npm ci` into bench/out/lighthouse/) in its default mode: mobile form factor, simulated slow
4G and 4x CPU slowdown, run against Debian's Chromium (`CHROME_PATH`, headless). The portal is
gunicorn on a freshly seeded demo database (bench/out/demo.sqlite3). Signed-in pages get the
user's session cookie through `--extra-headers` (signed in over HTTP first, CSRF token from
the form); the cart and checkout pages get a cart filled by a quick-order post. The key pages
come from e2e/key_pages.py, shared with the axe-core scan; quick order with checked lines is
a POST answer, which Lighthouse cannot load, so the scan alone covers it.

Output: bench/out/lighthouse.json (scores, metrics and the audits that cost points, per page),
bench/out/lighthouse.md (the table) and each page's full report under bench/out/lighthouse/.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import bench
from bench.server import Gunicorn, HttpSession
from e2e.key_pages import CART_PASTE, KEY_PAGES, KeyPage, demo_ids

CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices")
METRICS = {"fcp": "first-contentful-paint", "lcp": "largest-contentful-paint",
           "tbt": "total-blocking-time", "cls": "cumulative-layout-shift", "si": "speed-index"}
DEMO_PASSWORD = "demo-password"  # noqa: S105 - the published demo sign-in
HOME = bench.OUT / "lighthouse"
PACKAGE_FILES = ("package.json", "package-lock.json")


def install() -> Path:
    """`npm ci` of the pinned Lighthouse into bench/out/lighthouse (again when the lock moved)."""
    HOME.mkdir(parents=True, exist_ok=True)
    changed = False
    for name in PACKAGE_FILES:
        wanted = (bench.BENCH_DIR / name).read_bytes()
        target = HOME / name
        if not target.exists() or target.read_bytes() != wanted:
            target.write_bytes(wanted)
            changed = True
    binary = HOME / "node_modules" / ".bin" / "lighthouse"
    if changed or not binary.exists():
        if shutil.which("npm") is None:
            raise SystemExit("npm is needed (apt-get install -y npm) to install Lighthouse.")
        bench.log("npm ci: installing the pinned Lighthouse into bench/out/lighthouse")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=HOME, check=True)
    return binary


def seed_demo() -> dict[str, int]:
    """A fresh demo database (`portal db upgrade` + `portal seed-demo`); the ids pages name."""
    bench.DEMO_SQLITE_PATH.unlink(missing_ok=True)
    (bench.OUT / "instance").mkdir(parents=True, exist_ok=True)
    env = bench.app_environment("demo")
    for args in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([sys.executable, "-m", "portal", *args], cwd=bench.ROOT, env=env,
                       check=True, capture_output=True)
    with sqlite3.connect(f"file:{bench.DEMO_SQLITE_PATH}?mode=ro", uri=True) as db:
        return demo_ids(db)


class Failed(Exception):
    """Lighthouse could not load or audit the page (e.g. it answered 500)."""


def _cookie(server: Gunicorn, sessions: dict, page: KeyPage, path: str) -> str:
    """The Cookie header of the page's user, signed in once (the cart filled if needed) and
    fresh: the page is asked for once first, which renews the session's idle clock (staff
    sessions end after 30 idle minutes, less than a run with --runs 3 takes)."""
    if page.user is None:
        return ""
    if page.user not in sessions:
        session = HttpSession(server.port)
        token = session.sign_in(page.user, DEMO_PASSWORD)
        if page.needs == "cart":
            status, _h, _b = session.request("POST", "/quick-order/add",
                                             {"csrf_token": token, "paste": CART_PASTE})
            if status >= 400:
                raise SystemExit(f"Filling the cart of {page.user} failed ({status}).")
        sessions[page.user] = session
    status, _h, _b = sessions[page.user].request("GET", path)
    if status != 200:
        raise Failed(f"{path} answered {status} to {page.user}")
    return sessions[page.user].cookie_header


def _failing(report: dict) -> list[dict]:
    """The weighted audits that cost points, per category."""
    found = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                found.append({"category": category, "id": ref["id"], "score": audit["score"],
                              "title": audit["title"], "value": audit.get("displayValue", "")})
    return found


def run_one(binary: Path, url: str, cookie: str, output: Path) -> dict:
    command = [str(binary), url, "--quiet", "--output=json", f"--output-path={output}",
               f"--chrome-flags={CHROME_FLAGS}",
               f"--only-categories={','.join(CATEGORIES)}"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": CHROME_PATH}
    output.unlink(missing_ok=True)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if not output.exists():
        raise Failed(done.stderr.strip().splitlines()[-1] if done.stderr.strip()
                     else f"exit status {done.returncode}")
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        raise Failed(report["runtimeError"].get("message", "runtime error"))
    return report


def _summary(report: dict) -> dict:
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    metrics = {k: round(report["audits"][v]["numericValue"], 3 if k == "cls" else 0)
               for k, v in METRICS.items()}
    return {"scores": scores, "metrics": metrics, "failing": _failing(report),
            "final_url": report["finalDisplayedUrl"], "warnings": report.get("runWarnings", [])}


def measure(binary: Path, server: Gunicorn, page: KeyPage, ids: dict, sessions: dict,
            runs: int) -> dict:
    path = page.path.format(**ids)
    url = server.base + path
    samples = []
    for n in range(runs):
        output = HOME / f"{page.name}{'' if n == 0 else f'-{n + 1}'}.report.json"
        report = run_one(binary, url, _cookie(server, sessions, page, path), output)
        if report["finalDisplayedUrl"] != url:  # e.g. sent to the sign-in page
            raise Failed(f"landed on {report['finalDisplayedUrl']}")
        samples.append(_summary(report))
    # The run with the median performance score speaks for the page (the others vary less).
    samples.sort(key=lambda s: s["scores"]["performance"])
    row = samples[len(samples) // 2]
    row["performance_runs"] = [s["scores"]["performance"] for s in samples]
    return {"name": page.name, "user": page.user, "path": url.removeprefix(server.base), **row}


def _who(email: str | None) -> str:
    return (email or "anonymous").replace("@demo.test", "").replace(".demo.test", "")


def markdown(rows: list[dict], skipped: list[str], errors: list[dict]) -> str:
    head = "| page | user | perf | a11y | best practices | LCP ms | TBT ms | CLS | audits below 1 |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        s, m = r["scores"], r["metrics"]
        below = ", ".join(sorted({f["id"] for f in r["failing"]})) or "—"
        lines.append(f"| {r['name']} | {_who(r['user'])} | "
                     f"{s['performance']} | {s['accessibility']} | {s['best-practices']} | "
                     f"{m['lcp']:.0f} | {m['tbt']:.0f} | {m['cls']} | {below} |")
    lines += [f"| {e['name']} | | failed | | | | | | {e['error'][:120]} |" for e in errors]
    if skipped:
        lines.append("")
        lines.append(f"Not loadable by Lighthouse (a POST answer): {', '.join(skipped)}.")
    return "\n".join(lines) + "\n"


def run_lighthouse(runs: int = 1, only=None) -> dict:
    binary = install()
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    chromium = subprocess.run([CHROME_PATH, "--version"], capture_output=True, text=True,
                              check=False).stdout.strip()
    bench.log(f"Lighthouse {version}, {chromium}; seeding the demo database")
    ids = seed_demo()
    # Nine people sign in within a minute: more than the login limit lets one address do.
    os.environ.setdefault("PORTAL_LOGIN_RATE_LIMIT", "1000 per minute")
    rows, skipped, errors, sessions = [], [], [], {}
    with Gunicorn("demo", 2) as server:
        for page in KEY_PAGES:
            if only and page.name not in only:
                continue
            if page.needs == "checked":
                skipped.append(page.name)
                continue
            try:
                row = measure(binary, server, page, ids, sessions, runs)
            except Failed as failed:
                errors.append({"name": page.name, "error": str(failed)})
                bench.log(f"lighthouse {page.name:<20} FAILED: {failed}")
                continue
            rows.append(row)
            s = row["scores"]
            bench.log(f"lighthouse {page.name:<20} perf {s['performance']:>3}  "
                      f"a11y {s['accessibility']:>3}  best {s['best-practices']:>3}  "
                      f"LCP {row['metrics']['lcp']:.0f} ms  TBT {row['metrics']['tbt']:.0f} ms")
    record = {"date": datetime.now(UTC).isoformat(), "lighthouse": version, "chromium": chromium,
              "mode": "default (mobile, simulated slow 4G, 4x CPU)", "runs": runs,
              "loadavg": os.getloadavg()[0], "pages": rows, "not_loadable": skipped,
              "errors": errors,
              "lowest": {c: min((r["scores"][c] for r in rows), default=None)
                         for c in CATEGORIES},
              "median_performance": statistics.median(r["scores"]["performance"] for r in rows)
              if rows else None}
    table = markdown(rows, skipped, errors)
    (bench.OUT / "lighthouse.json").write_text(json.dumps(record, indent=2))
    (bench.OUT / "lighthouse.md").write_text(table)
    print(table)
    return record
