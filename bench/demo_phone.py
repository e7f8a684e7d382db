"""`python -m bench demo-phone`: LCP of key pages of the demo (with its product photos) on the
emulated phone of `bench phone` (Chromium, 150 ms latency, 1.6 Mbps down, CPU × 4, 360 × 640,
cold cache, median of 5 loads), the measure UX.md's LCP budget (≤ 1.2 s) is written for.

Lighthouse (`bench lighthouse`) scores the same pages with its own simulation (Lantern), which
adds the simulated round trips to the measured work; this part loads them for real through
the throttled browser. Output: bench/out/demo_phone.json and a line per page.
"""

from __future__ import annotations

import json
import os

from playwright.sync_api import sync_playwright

import bench
from bench.lighthouse import _cookie, seed_demo
from bench.phone import Phone, measure_page
from bench.server import Gunicorn
from e2e.key_pages import KEY_PAGES

DEFAULT = ("catalog", "category", "product", "product_photos")


def run_demo_phone(only=None, runs: int = 5) -> dict:
    names = only or DEFAULT
    ids = seed_demo()
    os.environ.setdefault("PORTAL_LOGIN_RATE_LIMIT", "1000 per minute")
    rows, sessions = [], {}
    with Gunicorn("demo", 2) as server, sync_playwright() as playwright:
        phone = Phone(playwright, server)
        try:
            for page in KEY_PAGES:
                if page.name not in names or page.needs == "checked":
                    continue
                path = page.path.format(**ids)
                cookie = _cookie(server, sessions, page, path)
                phone.cookies[page.user] = [
                    {"name": k, "value": v, "url": server.base}
                    for k, v in (part.split("=", 1) for part in cookie.split("; ") if part)]
                row = measure_page(phone, path, page.user, runs)
                row["name"] = page.name
                rows.append(row)
                bench.log(f"demo-phone {page.name:<16} LCP {row['lcp']} ms  FCP {row['fcp']} ms"
                          f"  {row['bytes']} B in {row['requests']} requests")
        finally:
            phone.close()
    (bench.OUT / "demo_phone.json").write_text(json.dumps(rows, indent=2))
    return {"pages": rows}
