"""`python -m bench explain`: the query plans of the slow statements behind each page.

Requests each page once (in-process, as `run` does) with a listener that, for every SELECT
slower than `min_ms`, asks the database for its plan on the same connection with the same
parameters: `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL (which
runs the SELECT again). On SQLite a statement's time is taken by running it again with its
rows fetched (sqlite3 does the work while rows are fetched, after the cursor events).
Writes bench/out/explain-<db>.md for whoever fixes the page.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time

from sqlalchemy import event

import bench
from bench import scenario
from bench.inprocess import _html, _orders_cursor, set_cart, sign_in


class PlanCatcher:
    def __init__(self, engine, kind: str, min_ms: float):
        self.kind, self.min_ms = kind, min_ms
        self.found: list[dict] = []
        self.active = False
        self._started: dict = {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        took = (time.perf_counter() - self._started.pop(id(cursor), time.perf_counter())) * 1000
        if not self.active or executemany:
            return
        if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            return
        raw = cursor.connection.cursor()
        try:
            if self.kind == "sqlite":
                # sqlite3 runs a query as its rows are fetched, after this event: time it again
                # with the fetch, on the same connection and parameters.
                started = time.perf_counter()
                raw.execute(statement, parameters)
                raw.fetchall()
                took = (time.perf_counter() - started) * 1000
            if took < self.min_ms:
                return
            prefix = ("EXPLAIN QUERY PLAN " if self.kind == "sqlite"
                      else "EXPLAIN (ANALYZE, BUFFERS) ")
            raw.execute(prefix + statement, parameters)
            rows = raw.fetchall()
        finally:
            raw.close()
        if self.kind == "sqlite":
            plan = "\n".join(f"{'  ' * _depth(r, rows)}{r[-1]}" for r in rows)
        else:
            plan = "\n".join(r[0] for r in rows)
        self.found.append({"ms": round(took, 1), "sql": " ".join(statement.split()),
                           "plan": plan})


def _depth(row, rows) -> int:
    """Indentation of an EXPLAIN QUERY PLAN row (id, parent, notused, detail)."""
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents and depth < 10:
        depth += 1
        parent = parents[parent]
    return depth


def profile_top(call, lines: int = 14) -> str:
    """The functions of one call that took the most cumulative time (portal code first)."""
    profiler = cProfile.Profile()
    profiler.runcall(call)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
    stats.print_stats(r"portal/|jinja2|sqlalchemy/orm|babel", lines)
    body = text.getvalue()
    start = body.find("   ncalls")
    return body[start:].rstrip() if start >= 0 else body.rstrip()


def run_explain(kind: str, only=None, min_ms: float = 5.0, profile: bool = False) -> str:
    app = bench.make_app(kind)
    ctx = scenario.fixtures(app)
    with app.app_context():
        from portal.extensions import db

        catcher = PlanCatcher(db.engine, kind, min_ms)
    clients = {}
    out = [f"# Query plans of statements slower than {min_ms} ms ({kind})", ""]
    for page in scenario.PAGES:
        if page.name == "sign_in" or (only and page.name not in only):
            continue
        if page.user not in clients:
            clients[page.user] = sign_in(app, page.user)
        client, token = clients[page.user]
        if page.name == "orders_more":
            ctx.setdefault("orders_cursor", _orders_cursor(client.get("/orders/").get_data(
                as_text=True)))
        if page.name in ("cart", "checkout", "cart_10"):
            set_cart(app, ctx, 10 if page.name == "cart_10" else bench.CART_LINES)
        try:
            request = scenario.resolve(page, ctx, lambda url, c=client: _html(c, url), token)
        except scenario.Missing:
            continue
        client.open(request.url, method=request.method, data=request.data,
                    headers=request.headers)  # warm
        catcher.found, catcher.active = [], True
        client.open(request.url, method=request.method, data=request.data,
                    headers=request.headers)
        catcher.active = False
        if profile:
            out += [f"## {page.label}: profile of one request", "", "```", profile_top(
                lambda r=request, c=client: c.open(r.url, method=r.method, data=r.data,
                                                   headers=r.headers)), "```", ""]
        for item in sorted(catcher.found, key=lambda f: -f["ms"])[:3]:
            out += [f"## {page.label}: {item['ms']} ms", "", "```sql", item["sql"][:1500],
                    "```", "", "```", item["plan"], "```", ""]
    set_cart(app, ctx, bench.CART_LINES)
    text = "\n".join(out) + "\n"
    (bench.OUT / f"explain-{kind}.md").write_text(text)
    bench.log(f"Wrote {bench.OUT / f'explain-{kind}.md'}")
    return text
