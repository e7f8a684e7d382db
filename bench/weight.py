"""`python -m bench weight`: bytes on the wire of a cold load, and of each htmx fragment.

A cold load is the page's HTML plus every subresource it names (stylesheets, scripts, images,
icons, sprites), each fetched once with `Accept-Encoding: gzip` as a browser with an empty cache
would; the byte counts are the response bodies as sent (compressed where the server compresses).
Fragments are requested with `HX-Request: true`, as htmx sends them. The in-process app gives
the same bytes as gunicorn (compression is done by the app).
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import bench
from bench import forms, scenario
from bench.inprocess import set_cart, sign_in

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def _body(answer) -> tuple[int, str]:
    raw = answer.get_data()
    text = gzip.decompress(raw) if answer.headers.get("Content-Encoding") == "gzip" else raw
    return len(raw), text.decode("utf-8", "replace")


def cold_load(client, url: str) -> dict:
    answer = client.get(url, headers=GZIP)
    html_bytes, html = _body(answer)
    parts, kinds = [], {"css": 0, "js": 0, "other": 0}
    for sub in forms.subresources(html):
        if sub.startswith(("http://", "https://", "//")):
            parts.append({"url": sub, "bytes": None, "external": True})
            continue
        got = client.get(sub, headers=GZIP)
        size = len(got.get_data())
        kind = "css" if sub.endswith(".css") else "js" if sub.endswith(".js") else "other"
        kinds[kind] += size
        parts.append({"url": sub, "bytes": size, "status": got.status_code,
                      "encoding": got.headers.get("Content-Encoding", "")})
    total = html_bytes + sum(p["bytes"] or 0 for p in parts)
    return {"status": answer.status_code, "placeholder": forms.is_placeholder(html),
            "html_gz": html_bytes, "html_raw": len(html.encode()),
            "compressed": answer.headers.get("Content-Encoding") == "gzip",
            "css_gz": kinds["css"], "js_gz": kinds["js"], "other_gz": kinds["other"],
            "total_gz": total, "requests": 1 + len(parts), "subresources": parts}


def fragment(client, request: scenario.Request) -> dict:
    answer = client.open(request.url, method=request.method, data=request.data,
                         headers={**request.headers, **GZIP})
    size, text = _body(answer)
    return {"status": answer.status_code, "bytes_gz": size, "bytes_raw": len(text.encode()),
            "compressed": answer.headers.get("Content-Encoding") == "gzip"}


def run_weight(kind: str) -> dict:
    app = bench.make_app(kind)
    ctx = scenario.fixtures(app)
    set_cart(app, ctx, bench.CART_LINES)
    clients, pages, fragments = {}, [], []
    anonymous = app.test_client()
    pages.append({"name": "login", "label": "Sign-in page (anonymous)",
                  **cold_load(anonymous, "/login")})
    for page in scenario.PAGES:
        if not page.weight:
            continue
        if page.user not in clients:
            clients[page.user] = sign_in(app, page.user)
        client, token = clients[page.user]
        if page.name == "orders_more" and "orders_cursor" not in ctx:
            from bench.inprocess import _orders_cursor

            ctx["orders_cursor"] = _orders_cursor(client.get("/orders/").get_data(as_text=True))
        try:
            request = scenario.resolve(page, ctx, lambda url, c=client: _html(c, url), token)
        except scenario.Missing as missing:
            (fragments if page.htmx else pages).append(
                {"name": page.name, "label": page.label, "missing": str(missing)})
            continue
        if page.htmx:
            fragments.append({"name": page.name, "label": page.label,
                              **fragment(client, request)})
            row = fragments[-1]
            bench.log(f"fragment {page.name:<18} {row['status']} {row['bytes_gz']:7,} B gz")
        else:
            pages.append({"name": page.name, "label": page.label,
                          **cold_load(client, request.url)})
            row = pages[-1]
            bench.log(f"page {page.name:<18} {row['status']} html {row['html_gz']:7,} B gz, "
                      f"total {row['total_gz']:7,} B in {row['requests']} requests")
    htmx_gz = len(gzip.compress(_htmx_source(), 9))
    record = {"db": kind, "date": datetime.now(UTC).isoformat(), "pages": pages,
              "fragments": fragments, "htmx_gz": htmx_gz}
    (bench.OUT / f"weight-{kind}.json").write_text(json.dumps(record, indent=2))
    return record


def _html(client, url: str) -> str | None:
    answer = client.get(url)
    return answer.get_data(as_text=True) if answer.status_code == 200 else None


def _htmx_source() -> bytes:
    from portal.assets import htmx_source

    return htmx_source()
