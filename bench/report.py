"""`python -m bench report`: bench/out/results.md and results.json from the saved parts.

Each part saves its own JSON (generate-, run-, load-, weight-, phone-<db>.json); the report
puts the latest of each side by side with its budget (shared/design/UX.md) and a ✓ or ✗.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
from datetime import UTC, datetime

import bench
from bench import scenario as sc

KINDS = ("sqlite", "postgresql")
OK, KO = "✓", "✗"


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in open("/proc/meminfo")
                  if line.startswith("MemTotal"))
    info = {"nproc": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "loadavg_at_report": [round(x, 2) for x in os.getloadavg()],
            "platform": platform.platform()}
    try:
        import psycopg

        with psycopg.connect(bench.PG_ADMIN_URL, connect_timeout=3) as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - no server is fine: SQLite-only report
        info["postgresql"] = None
    return info


def _load(prefix: str) -> dict:
    found = {}
    for kind in KINDS:
        path = bench.OUT / f"{prefix}-{kind}.json"
        if path.exists():
            found[kind] = json.loads(path.read_text())
    return found


def verdict(value, budget) -> str:
    if value is None or budget is None:
        return ""
    return OK if value <= budget else KO


def _ms(value) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _kb(value) -> str:
    return "—" if value is None else f"{value / 1024:,.1f}"


def generate_section(data: dict) -> list[str]:
    out = ["## 1. Data set and generation time", "",
           "| db | scale | rows | orders | order lines | products | size | time | budget |",
           "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for kind, rec in data.items():
        rows = rec["rows"]
        budget = 600 if kind == "sqlite" else 900
        mark = verdict(rec["seconds"], budget) if rec["scale"] == "full" else "(small scale)"
        out.append(f"| {kind} | {rec['scale']} | {rec['total_rows']:,} | {rows['orders']:,} | "
                   f"{rows['order_lines']:,} | {rows['products']:,} | "
                   f"{rec['database_bytes'] / 1e6:,.0f} MB | {rec['seconds']:,.0f} s | "
                   f"< {budget // 60} min {mark} |")
    if data:
        out += ["", "Slowest phases: " + "; ".join(
            f"{kind}: " + ", ".join(f"{k} {v:.0f} s" for k, v in sorted(
                rec["timings"].items(), key=lambda kv: -kv[1])[:4])
            for kind, rec in data.items()) + "."]
    return out + [""]


def run_section(data: dict) -> list[str]:
    out = ["## 2. In-process server time (Flask test client, CSRF on)", "",
           (f"Budget: p95 ≤ {sc.BUDGET_INPROCESS_P95_MS:.0f} ms for the pages UX.md names "
           "(marked ✓/✗); the others are shown for reference. *CPU p95* is the process CPU "
           "time per request (less sensitive to other work on the machine; on PostgreSQL it "
           "leaves out the database server's own time). *load* is the 1-minute load average "
           "during the page's run."), ""]
    for kind, rec in data.items():
        out += [f"### {kind} ({rec.get('scale')}, {rec['date'][:16]})", "",
                ("| page | user | status | n | p50 ms | p95 ms | p99 ms | CPU p95 | SQL/req "
                "| load | budget p95 | |"),
                "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
        for row in rec["pages"]:
            user = row["user"].split("@")[0].replace("bench-", "")
            if row.get("missing"):
                out.append(f"| {row['label']} | {user} | missing: {row['missing']} ||||||||||")
                continue
            budget = sc.BUDGET_INPROCESS_P95_MS if row["budget"] else None
            note = " (placeholder)" if row.get("placeholder") else ""
            sql = "—" if row.get("sql_median") is None else (
                f"{row['sql_median']}" + (f"–{row['sql_max']}" if row["sql_max"] !=
                                          row["sql_median"] else ""))
            out.append(f"| {row['label']}{note} | {user} | {row['status']} | {row['n']} | "
                       f"{_ms(row['p50'])} | {_ms(row['p95'])} | {_ms(row['p99'])} | "
                       f"{_ms(row.get('cpu_p95'))} | {sql} | {row.get('loadavg', '')} | "
                       f"{'≤ 25' if budget else ''} | {verdict(row['p95'], budget)} |")
        out += ["", _bounded_sql(rec["pages"]), ""]
    return out


def _bounded_sql(pages: list[dict]) -> str:
    by = {p["name"]: p for p in pages if p.get("sql_median") is not None}
    checks = []
    for small, large, what in (("quick_order_50", "quick_order_500", ("quick order 50 → 500 "
                                "lines")), ("cart_10", "cart", "cart 10 → 100 lines")):
        if small in by and large in by:
            a, b = by[small]["sql_median"], by[large]["sql_median"]
            checks.append(f"{what}: {a} → {b} statements {OK if b <= a else KO}")
    return ("SQL statements bounded (no N+1): " + "; ".join(checks) + ".") if checks else ""


def load_section(data: dict) -> list[str]:
    out = ["## 3. Through gunicorn on loopback (wrk, 8 connections)", "",
           (f"Budget: p95 ≤ {sc.BUDGET_LOAD_P95_MS:.0f} ms at 8 concurrent clients. "
           "*of hello* is the page's rate as a share of a bare Flask app served the same way. "
           "Sync workers close the connection after each response, so keep-alive mostly "
           "saves the client's reconnect."), ""]
    for kind, rec in data.items():
        out += [f"### {kind} ({rec['date'][:16]}, {rec['seconds']} s per run)", "",
                ("| workers | keep-alive | page | req/s | of hello | p50 ms | p95 ms | p99 ms | "
                "errors | load | budget p95 | |"),
                "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
        for run in rec["runs"]:
            budget = sc.BUDGET_LOAD_P95_MS if run["page"] != "hello" else None
            errors = run["non2xx"] + run["socket_errors"]
            mark = verdict(run["p95"], budget)
            if not run["requests"] or (run["p95"] == 0 and run["rps"] == 0):
                mark, run = KO, {**run, "p50": None, "p95": None, "p99": None}
            out.append(f"| {run['workers']} | {'on' if run['keepalive'] else 'off'} | "
                       f"{run['label']} | {run['rps']:,.1f} | {run['of_hello']:.1%} | "
                       f"{_ms(run['p50'])} | {_ms(run['p95'])} | {_ms(run['p99'])} | {errors} "
                       f"| {run.get('loadavg', '')} | {'≤ 50' if budget else ''} | {mark} |")
        out += ["", "| workers | portal worker RSS (MB) | hello worker RSS (MB) | budget | |",
                "|---:|---|---|---|---|"]
        for workers, rss in rec["rss_mb"].items():
            peak = max(rss["portal"]) if rss["portal"] else None
            out.append(f"| {workers} | {', '.join(map(str, rss['portal']))} | "
                       f"{', '.join(map(str, rss['hello']))} | ≤ {sc.BUDGET_RSS_MB:.0f} | "
                       f"{verdict(peak, sc.BUDGET_RSS_MB)} |")
        if rec.get("skipped"):
            out += ["", "Skipped: " + "; ".join(f"{k} ({v})" for k, v in rec["skipped"].items())]
        out.append("")
    return out


def weight_section(data: dict) -> list[str]:
    out = ["## 4. Page weight of a cold load (gzip as sent)", "",
           (f"Budgets: HTML ≤ {sc.BUDGET_HTML_GZ // 1024} KB, first load ≤ "
           f"{sc.BUDGET_FIRST_LOAD_GZ // 1024} KB, ≤ {sc.BUDGET_REQUESTS} requests, fragment ≤ "
           f"{sc.BUDGET_FRAGMENT_GZ // 1024} KB."), ""]
    for kind, rec in list(data.items())[:1]:
        out += [(f"Measured on the {kind} database ({rec['date'][:16]}); the bytes do not "
                "depend on the database."),
                f"htmx alone is {_kb(rec['htmx_gz'])} KB compressed (gzip -9).", "",
                "| page | status | HTML KB | | CSS KB | JS KB | total KB | | requests | |",
                "|---|---|---:|---|---:|---:|---:|---|---:|---|"]
        for row in rec["pages"]:
            if row.get("missing"):
                out.append(f"| {row['label']} | missing: {row['missing']} |||||||||")
                continue
            note = " (placeholder)" if row.get("placeholder") else ""
            out.append(
                f"| {row['label']}{note} | {row['status']} | {_kb(row['html_gz'])} | "
                f"{verdict(row['html_gz'], sc.BUDGET_HTML_GZ)} | {_kb(row['css_gz'])} | "
                f"{_kb(row['js_gz'])} | {_kb(row['total_gz'])} | "
                f"{verdict(row['total_gz'], sc.BUDGET_FIRST_LOAD_GZ)} | {row['requests']} | "
                f"{verdict(row['requests'], sc.BUDGET_REQUESTS)} |")
        out += ["", "| fragment (HX-Request) | status | KB gz | budget | |",
                "|---|---|---:|---|---|"]
        for row in rec["fragments"]:
            if row.get("missing"):
                out.append(f"| {row['label']} | missing: {row['missing']} ||||")
                continue
            out.append(f"| {row['label']} | {row['status']} | {_kb(row['bytes_gz'])} | ≤ 4 | "
                       f"{verdict(row['bytes_gz'], sc.BUDGET_FRAGMENT_GZ)} |")
        out.append("")
    return out


def phone_section(data: dict) -> list[str]:
    out = ["## 5. Emulated phone (Chromium, 150 ms RTT, 1.6/0.75 Mbps, CPU ×4, 360×640)", "",
           (f"Budgets: LCP ≤ {sc.BUDGET_LCP_MS:.0f} ms; tap round trip ≤ "
           f"{sc.BUDGET_TAP_MS:.0f} ms. Medians of cold loads (empty cache each run)."), ""]
    for kind, rec in data.items():
        out += [f"### {kind} ({rec['date'][:16]}, {rec['runs']} runs)", "",
                "| page | status | LCP ms | | FCP ms | TTFB ms | load ms | bytes | requests |",
                "|---|---|---:|---|---:|---:|---:|---:|---:|"]
        for row in rec["pages"]:
            out.append(f"| {row['label']} | {row['status']} | {_ms(row['lcp'])} | "
                       f"{verdict(row['lcp'], sc.BUDGET_LCP_MS)} | {_ms(row['fcp'])} | "
                       f"{_ms(row['ttfb'])} | {_ms(row['load'])} | {row['bytes']:,} | "
                       f"{row['requests']} |")
        if rec.get("taps"):
            out += ["", "| interaction | median ms | runs | budget | |", "|---|---:|---|---|---|"]
            for tap in rec["taps"].values():
                out.append(f"| {tap['label']} | {_ms(tap['median'])} | "
                           f"{', '.join(map(str, tap['runs']))} | ≤ 400 | "
                           f"{verdict(tap['median'], sc.BUDGET_TAP_MS)} |")
        out.append("")
    return out


def write_report() -> dict:
    parts = {"generate": _load("generate"), "run": _load("run"), "load": _load("load"),
             "weight": _load("weight"), "phone": _load("phone")}
    info = machine()
    results = {"date": datetime.now(UTC).isoformat(), "machine": info, **parts}
    (bench.OUT / "results.json").write_text(json.dumps(results, indent=2))
    lines = ["# Portal benchmark", "",
             (f"Date: {results['date'][:16]} UTC. Machine: {info['nproc']} cores, "
             f"{info['memory_gb']} GB, {info['cpu']}; Python {info['python']}, SQLite "
             f"{info['sqlite']}, PostgreSQL {info['postgresql'] or '—'}. Load average at report "
             f"time: {', '.join(map(str, info['loadavg_at_report']))} (the machine is shared; "
             "see the per-part load figures)."), ""]
    lines += generate_section(parts["generate"])
    lines += run_section(parts["run"])
    lines += load_section(parts["load"])
    lines += weight_section(parts["weight"])
    lines += phone_section(parts["phone"])
    (bench.OUT / "results.md").write_text("\n".join(lines) + "\n")
    bench.log(f"Wrote {bench.OUT / 'results.md'} and results.json")
    return results
