"""`python -m bench run`: server time of each page and fragment, in-process, on the big data set.

The app is the real one (TESTING off, CSRF on, the bench database), driven by Flask's test
client: no network, no server, so the figure is the portal's own time per request (routing,
queries, templates, compression off). Each page is warmed up, then requested N times (fewer for
the slow ones, at least 30); SQL statements are counted per request with a
`before_cursor_execute` listener on the engine.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from datetime import UTC, datetime
from urllib.parse import unquote

from sqlalchemy import event

import bench
from bench import forms, scenario

WARMUP = 5
MIN_N = 30
SLOW_SECONDS = 8.0  # time spent measuring one slow page, at least MIN_N requests


class SqlCounter:
    """Statements executed on the engine, and the statements of one traced request.

    Statement times are those of `cursor.execute`: on SQLite most of the work happens while
    rows are fetched, after it, so `python -m bench explain` times them properly.
    """

    def __init__(self, engine):
        self.count = 0
        self.trace: list | None = None
        self._started: dict = {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self.count += 1
        if self.trace is not None:
            self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        if self.trace is not None and id(cursor) in self._started:
            took = (time.perf_counter() - self._started.pop(id(cursor))) * 1000
            self.trace.append((round(took, 2), " ".join(statement.split())[:3000]))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def sign_in(app, email: str):
    """A test client signed in as `email`, and the CSRF token of its session."""
    client = app.test_client()
    token = forms.csrf_token(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"email": email, "password": bench.PASSWORD,
                                         "csrf_token": token, "next": ""})
    if answer.status_code != 303:
        raise SystemExit(f"Sign-in as {email} failed ({answer.status_code}).")
    token = forms.csrf_token(client.get("/").get_data(as_text=True))
    return client, token


def set_cart(app, ctx: dict, count: int) -> None:
    """The bench buyer's cart holds exactly `count` lines again."""
    from sqlalchemy import delete

    from portal.extensions import db
    from portal.models import Cart, CartLine

    with app.app_context():
        cart_id = ctx.get("cart_id")
        if cart_id is None:
            cart = Cart(user_id=ctx["users"][bench.BUYER], company_id=ctx["company_id"])
            db.session.add(cart)
            db.session.flush()
            cart_id = ctx["cart_id"] = cart.id
        db.session.execute(delete(CartLine).where(CartLine.cart_id == cart_id))
        for position, (pid, om) in enumerate(ctx["paste_ids"][:count]):
            db.session.add(CartLine(cart_id=cart_id, product_id=pid, quantity=om * 2, note="",
                                    position=position))
        db.session.commit()


def _orders_cursor(html: str) -> str | None:
    found = re.search(r"cursor=([^\"&'<> ]+)", html)
    return unquote(found.group(1)) if found else None


def measure(client, request: scenario.Request, counter: SqlCounter, n: int) -> dict:
    cpu: list[float] = []

    def once():
        before = counter.count
        cpu_started, started = time.process_time(), time.perf_counter()
        answer = client.open(request.url, method=request.method, data=request.data,
                             headers=request.headers)
        took = (time.perf_counter() - started) * 1000
        cpu.append((time.process_time() - cpu_started) * 1000)
        return answer, took, counter.count - before

    first, took, _sql = once()
    warm = [took] + [once()[1] for _ in range(WARMUP - 1)]
    mean = sum(warm[1:]) / max(len(warm) - 1, 1)
    if mean > 40:
        n = max(MIN_N, min(n, int(SLOW_SECONDS * 1000 / mean)))
    times, sqls = [], []
    cpu.clear()
    load_before = os.getloadavg()[0]
    for _ in range(n):
        answer, took, sql = once()
        times.append(took)
        sqls.append(sql)
    cpu_times = list(cpu)
    counter.trace = []
    once()
    trace, counter.trace = counter.trace, None
    html = first.get_data(as_text=True)
    return {
        "status": first.status_code, "placeholder": forms.is_placeholder(html), "n": n,
        "p50": round(percentile(times, 50), 2), "p95": round(percentile(times, 95), 2),
        "p99": round(percentile(times, 99), 2), "mean": round(sum(times) / n, 2),
        "cpu_p50": round(percentile(cpu_times, 50), 2),
        "cpu_p95": round(percentile(cpu_times, 95), 2),
        "loadavg": round((load_before + os.getloadavg()[0]) / 2, 2),
        "sql_median": sorted(sqls)[len(sqls) // 2], "sql_max": max(sqls),
        "bytes": len(first.get_data()),
        "repeated_sql": _repeated(trace),
    }


def _repeated(trace: list) -> list:
    """Statements run more than twice in one request (an N+1 shows here), most frequent first."""
    counts: dict[str, list] = {}
    for took, statement in trace:
        entry = counts.setdefault(statement[:160], [0, 0.0])
        entry[0] += 1
        entry[1] += took
    found = [(n, round(total, 2), sql) for sql, (n, total) in counts.items() if n > 2]
    return sorted(found, reverse=True)[:3]


def measure_sign_in(app, n: int) -> dict:
    times, cpu, statuses = [], [], set()
    load_before = os.getloadavg()[0]
    for _ in range(n):
        client = app.test_client()
        token = forms.csrf_token(client.get("/login").get_data(as_text=True))
        data = {"email": bench.BUYER, "password": bench.PASSWORD, "csrf_token": token,
                "next": ""}
        cpu_started, started = time.process_time(), time.perf_counter()
        answer = client.post("/login", data=data)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        statuses.add(answer.status_code)
    return {"status": min(statuses), "placeholder": False, "n": n,
            "p50": round(percentile(times, 50), 2), "p95": round(percentile(times, 95), 2),
            "p99": round(percentile(times, 99), 2), "mean": round(sum(times) / n, 2),
            "cpu_p50": round(percentile(cpu, 50), 2), "cpu_p95": round(percentile(cpu, 95), 2),
            "loadavg": round((load_before + os.getloadavg()[0]) / 2, 2),
            "sql_median": None, "sql_max": None, "bytes": 0}


def wait_for_quiet(threshold: float | None, max_wait: float = 90.0) -> None:
    """On a shared machine, wait (a while at most) for the 1-minute load to fall below."""
    if not threshold:
        return
    deadline = time.monotonic() + max_wait
    while os.getloadavg()[0] > threshold and time.monotonic() < deadline:
        time.sleep(5)


def run(kind: str, only: list[str] | None = None, n: int = 200,
        quiet_load: float | None = None) -> dict:
    app = bench.make_app(kind)
    ctx = scenario.fixtures(app)
    with app.app_context():
        from portal.extensions import db

        counter = SqlCounter(db.engine)
        routes = scenario.discover(app)
    bench.log("POST routes offered for fragments: " + "; ".join(routes))
    clients = {}
    results = []
    for page in scenario.PAGES:
        if only and page.name not in only:
            continue
        wait_for_quiet(quiet_load)
        if page.name == "sign_in":
            row = measure_sign_in(app, MIN_N)
        else:
            if page.user not in clients:
                clients[page.user] = sign_in(app, page.user)
            client, token = clients[page.user]
            if page.name == "orders_more" and "orders_cursor" not in ctx:
                ctx["orders_cursor"] = _orders_cursor(client.get("/orders/").get_data(
                    as_text=True))
            if page.name in ("cart", "checkout", "cart_10"):
                set_cart(app, ctx, 10 if page.name == "cart_10" else bench.CART_LINES)
            try:
                request = scenario.resolve(page, ctx, lambda url, c=client: _html(c, url),
                                           token)
            except scenario.Missing as missing:
                row = {"status": None, "missing": str(missing)}
            else:
                row = measure(client, request, counter, n)
                row["url"] = request.url
            if page.name == "cart_10":
                set_cart(app, ctx, bench.CART_LINES)
        row.update(name=page.name, label=page.label, budget=page.budget,
                   user=page.user or "anonymous", method=page.method, htmx=page.htmx)
        results.append(row)
        _print(row)
    record = {"db": kind, "scale": _scale(kind), "date": datetime.now(UTC).isoformat(),
              "pages": _merged(kind, results) if only else results}
    (bench.OUT / f"run-{kind}.json").write_text(json.dumps(record, indent=2))
    return record


def _merged(kind: str, fresh: list[dict]) -> list[dict]:
    """With --only, the new rows replace theirs in the last full run; the others stay."""
    path = bench.OUT / f"run-{kind}.json"
    if not path.exists():
        return fresh
    by_name = {row["name"]: row for row in fresh}
    kept = json.loads(path.read_text())["pages"]
    merged = [by_name.pop(row["name"], row) for row in kept]
    return merged + list(by_name.values())


def _html(client, url: str) -> str | None:
    answer = client.get(url)
    return answer.get_data(as_text=True) if answer.status_code == 200 else None


def _scale(kind: str) -> str | None:
    from bench.generate import existing

    record = existing(kind)
    return record and record.get("scale")


def _print(row: dict) -> None:
    if row.get("missing"):
        bench.log(f"{row['name']:<18} missing: {row['missing']}")
        return
    flag = " (placeholder)" if row.get("placeholder") else ""
    cpu = f"  cpu p95 {row['cpu_p95']:6.1f} ms  load {row['loadavg']}" if "cpu_p95" in row else ""
    bench.log(f"{row['name']:<18} {row['status']} n={row['n']:<4} p50 {row['p50']:7.1f} ms  "
              f"p95 {row['p95']:7.1f} ms  p99 {row['p99']:7.1f} ms  sql {row['sql_median']}"
              f"{cpu}{flag}")
