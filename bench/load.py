"""`python -m bench load`: the main pages through gunicorn on loopback under a bounded load.

For 2 and 4 sync workers, wrk (a second process) holds 8 connections on each page for a few
seconds, with keep-alive on (wrk's default) and off (`Connection: close`), and reports
requests/s, p50/p95/p99 and non-2xx answers. A bare Flask "hello" app (bench/hello.py) served
the same way gives the framework's own rate, so each page's rate reads as a fraction of it.
After the pages, the workers' resident memory (VmRSS) is read from /proc.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import bench
from bench import scenario
from bench.server import Gunicorn, HttpSession, loadavg

CONNECTIONS = 8
THREADS = 2

LUA = r"""
wrk.method = %(method)s
wrk.body = %(body)s
expected = %(expected)d
%(headers)s
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if (status < 200 or status > 299) and status ~= expected then bad = bad + 1 end
end
function done(summary, latency, requests)
  local non2xx = 0
  for _, t in ipairs(threads) do non2xx = non2xx + t:get("bad") end
  io.write(string.format(
    'BENCHJSON {"requests":%%d,"duration_us":%%d,"bytes":%%d,"non2xx":%%d,' ..
    '"connect":%%d,"read":%%d,"write":%%d,"timeout":%%d,' ..
    '"p50":%%d,"p95":%%d,"p99":%%d,"max":%%d,"mean":%%f}\n',
    summary.requests, summary.duration, summary.bytes, non2xx,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean))
end
"""


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def wrk(base: str, request: scenario.Request, cookie: str, seconds: int, keepalive: bool,
        workdir: Path, expected: int = 200) -> dict:
    """One wrk run; answers other than 2xx and `expected` (a 422 by design) count as errors."""
    headers = dict(request.headers)
    if request.method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    script = workdir / "page.lua"
    script.write_text(LUA % {
        "method": _lua_string(request.method),
        "body": _lua_string(request.body()) if request.method == "POST" else "nil",
        "expected": expected,
        "headers": "\n".join(f"wrk.headers[ {_lua_string(k)} ] = {_lua_string(v)}"
                             for k, v in headers.items()),
    })
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
               "--timeout", "30s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if not keepalive:
        command += ["-H", "Connection: close"]
    done = subprocess.run(command + [base + request.url], capture_output=True, text=True,
                          check=True)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCHJSON ")), None)
    if line is None:
        raise SystemExit("wrk printed no summary:\n" + done.stdout + done.stderr)
    raw = json.loads(line.split(" ", 1)[1])
    seconds_run = raw["duration_us"] / 1e6
    if not raw["requests"]:
        # Nothing came back within the run: wrk's empty histogram says 0 ms; say "none".
        raw.update(p50=None, p95=None, p99=None, max=None)
    return {
        "requests": raw["requests"], "rps": round(raw["requests"] / seconds_run, 1),
        **{key: None if raw[key] is None else round(raw[key] / 1000, 2)
           for key in ("p50", "p95", "p99", "max")},
        "non2xx": raw["non2xx"],
        "socket_errors": raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
        "kb_per_request": round(raw["bytes"] / max(raw["requests"], 1) / 1024, 2),
    }


def _requests(server: Gunicorn, ctx: dict, pages) -> list[tuple]:
    """(page, request, cookie) for each page, signed in as the page's user over HTTP."""
    sessions: dict[str, tuple[HttpSession, str]] = {}
    found = []
    for page in pages:
        if page.user not in sessions:
            session = HttpSession(server.port)
            sessions[page.user] = (session, session.sign_in(page.user))
        session, token = sessions[page.user]
        try:
            request = scenario.resolve(page, ctx, session.html, token)
        except scenario.Missing as missing:
            found.append((page, None, str(missing), None))
            continue
        status, _h, _b = session.request(request.method, request.url, request.data,
                                         request.headers)
        if status >= 300 and status not in (422, page.status):
            found.append((page, None, f"answers {status}", status))
            continue
        found.append((page, request, session, status))
    return found


def run_load(kind: str, seconds: int = 10, workers=(2, 4), only=None) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    from bench.inprocess import set_cart

    app = bench.make_app(kind)
    ctx = scenario.fixtures(app)
    set_cart(app, ctx, bench.CART_LINES)
    pages = [p for p in scenario.PAGES if p.load and (not only or p.name in only)]
    runs, rss, notes = [], {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for count in workers:
            # Hello and the portal run side by side, and each page is paired with a hello
            # run made just before it: on a shared machine the load of other work changes
            # within seconds, so a page's ratio is taken against the hello of the same moment.
            with Gunicorn(kind, count, "bench.hello:app") as hello_server, \
                    Gunicorn(kind, count) as server:
                for page, request, session, status in _requests(server, ctx, pages):
                    if request is None:
                        notes[page.name] = session
                        bench.log(f"{page.name}: skipped ({session})")
                        continue
                    for keepalive in (True, False):
                        hello = wrk(hello_server.base, scenario.Request("GET", "/"), "",
                                    seconds, keepalive, workdir)
                        runs.append({"workers": count, "keepalive": keepalive,
                                     "page": "hello", "before": page.name,
                                     "label": "Bare Flask \"hello\" (baseline)",
                                     "loadavg": loadavg(), **hello, "of_hello": 1.0})
                        _print(runs[-1])
                        result = wrk(server.base, request, session.cookie_header, seconds,
                                     keepalive, workdir, status)
                        runs.append({"workers": count, "keepalive": keepalive,
                                     "page": page.name, "label": page.label,
                                     "budget": page.budget, "status": status,
                                     "loadavg": loadavg(), **result, "hello_rps": hello["rps"],
                                     "of_hello": round(result["rps"] / hello["rps"], 3)})
                        _print(runs[-1])
                rss[count] = {"portal": server.worker_rss_mb(),
                              "hello": hello_server.worker_rss_mb()}
                bench.log(f"worker RSS with {count} workers: {rss[count]}")
    record = {"db": kind, "date": datetime.now(UTC).isoformat(), "seconds": seconds,
              "connections": CONNECTIONS, "threads": THREADS, "runs": runs, "rss_mb": rss,
              "skipped": notes}
    (bench.OUT / f"load-{kind}.json").write_text(json.dumps(record, indent=2))
    return record


def _print(run: dict) -> None:
    mode = "keep-alive" if run["keepalive"] else "close"
    bench.log(f"w={run['workers']} {mode:<10} {run['page']:<16} {run['rps']:8.1f} req/s "
              f"p50 {run['p50']} p95 {run['p95']} p99 {run['p99']} ms "
              f"non-2xx {run['non2xx']} ({run['of_hello']:.1%} of hello)")
