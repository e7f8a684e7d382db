"""`python -m bench phone`: what a mid-range phone on slow 4G sees, in real Chromium.

Debian's Chromium, driven by Playwright, at 360×640 (mobile, touch), with CDP throttling:
150 ms latency, 1.6 Mbps down, 750 kbps up, CPU 4× slower. Each key page is loaded cold (a new
browser context: empty cache) `runs` times and its Largest Contentful Paint read from a
buffered PerformanceObserver after the load event; the median is reported. Then, on a loaded
page, the round trip of a stepper "+" tap and of a quick-order row check: from the click (or
the change event) to htmx's `htmx:afterSwap`, timed inside the page.
"""

from __future__ import annotations

import json
import statistics
from datetime import UTC, datetime

import bench
from bench import scenario
from bench.server import Gunicorn, HttpSession

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 200_000,
           "uploadThroughput": 93_750}
CPU_SLOWDOWN = 4
SERVER_WORKERS = 2

READ_PAINTS = """() => new Promise(resolve => {
  let lcp = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) lcp = e.renderTime || e.startTime;
  }).observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const bytes = performance.getEntriesByType('resource')
      .reduce((sum, r) => sum + (r.transferSize || 0), nav ? nav.transferSize : 0);
    resolve({lcp, fcp: fcp ? fcp.startTime : null, ttfb: nav ? nav.responseStart : null,
             load: nav ? nav.loadEventEnd : null, bytes,
             requests: performance.getEntriesByType('resource').length + 1});
  }, 300);
})"""

TAP = """async (selector) => {
  const target = document.querySelector(selector);
  if (!target) return null;
  const swapped = new Promise(r => document.body.addEventListener('htmx:afterSwap',
    () => r(performance.now()), {once: true}));
  const started = performance.now();
  target.click();
  const timeout = new Promise(r => setTimeout(() => r(null), 15000));
  const ended = await Promise.race([swapped, timeout]);
  return ended === null ? null : ended - started;
}"""

ROW_CHECK = """async ([skuSelector, qtySelector, sku, qty]) => {
  const skuInput = document.querySelector(skuSelector);
  const qtyInput = document.querySelector(qtySelector);
  if (!skuInput || !qtyInput) return null;
  skuInput.value = sku;
  qtyInput.value = qty;
  const swapped = new Promise(r => document.body.addEventListener('htmx:afterSwap',
    () => r(performance.now()), {once: true}));
  const started = performance.now();
  qtyInput.dispatchEvent(new Event('change', {bubbles: true}));
  const timeout = new Promise(r => setTimeout(() => r(null), 15000));
  const ended = await Promise.race([swapped, timeout]);
  return ended === null ? null : ended - started;
}"""


class Phone:
    """One Chromium; each `open()` is a fresh throttled context (cold cache) for a user."""

    def __init__(self, playwright, server: Gunicorn):
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        self.server = server
        self.cookies: dict[str | None, list] = {}

    def _cookies(self, user: str | None) -> list:
        if user not in self.cookies:
            session = HttpSession(self.server.port)
            if user:
                session.sign_in(user)
            self.cookies[user] = [{"name": k, "value": v, "url": self.server.base}
                                  for k, v in session.cookies.items()]
        return self.cookies[user]

    def open(self, user: str | None):
        context = self.browser.new_context(viewport={"width": 360, "height": 640},
                                           device_scale_factor=2, is_mobile=True,
                                           has_touch=True, locale="fr-FR")
        context.add_cookies(self._cookies(user))
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        return context, page

    def close(self) -> None:
        self.browser.close()


def _median(values):
    kept = [v for v in values if v is not None]
    return round(statistics.median(kept), 1) if kept else None


def measure_page(phone: Phone, url: str, user: str | None, runs: int) -> dict:
    samples = []
    for _ in range(runs):
        context, page = phone.open(user)
        try:
            answer = page.goto(phone.server.base + url, wait_until="load", timeout=60_000)
            paints = page.evaluate(READ_PAINTS)
            paints["status"] = answer.status if answer else None
            samples.append(paints)
        finally:
            context.close()
    return {"url": url, "runs": samples, "status": samples[0]["status"],
            "lcp": _median(s["lcp"] for s in samples),
            "fcp": _median(s["fcp"] for s in samples),
            "ttfb": _median(s["ttfb"] for s in samples),
            "load": _median(s["load"] for s in samples),
            "bytes": samples[0]["bytes"], "requests": samples[0]["requests"]}


def measure_taps(phone: Phone, url: str, user: str, runs: int, script: str, args) -> dict:
    context, page = phone.open(user)
    times = []
    try:
        page.goto(phone.server.base + url, wait_until="load", timeout=60_000)
        for n in range(runs):
            call_args = args(n) if callable(args) else args
            times.append(page.evaluate(script, call_args))
            page.wait_for_timeout(400)
    finally:
        context.close()
    return {"url": url, "runs": [round(t, 1) if t is not None else None for t in times],
            "median": _median(times)}


def run_phone(kind: str, runs: int = 5, only=None) -> dict:
    from playwright.sync_api import sync_playwright

    from bench.inprocess import set_cart

    app = bench.make_app(kind)
    ctx = scenario.fixtures(app)
    set_cart(app, ctx, bench.CART_LINES)
    pages, taps = [], {}
    with Gunicorn(kind, SERVER_WORKERS) as server, sync_playwright() as playwright:
        phone = Phone(playwright, server)
        try:
            for page in scenario.PAGES:
                if not page.phone or (only and page.name not in only):
                    continue
                url = page.path.format(**ctx)
                row = {"name": page.name, "label": page.label,
                       **measure_page(phone, url, page.user, runs)}
                pages.append(row)
                bench.log(f"phone {page.name:<14} {row['status']} LCP {row['lcp']} ms "
                          f"(FCP {row['fcp']}, TTFB {row['ttfb']}, load {row['load']})")
            if not only or "taps" in only:
                taps = _taps(phone, ctx, runs)
        finally:
            phone.close()
    path = bench.OUT / f"phone-{kind}.json"
    if only and path.exists():
        # --only: the new rows replace theirs in the last full run; the others stay.
        last = json.loads(path.read_text())
        fresh = {p["name"]: p for p in pages}
        pages = [fresh.pop(p["name"], p) for p in last["pages"]] + list(fresh.values())
        taps = taps or last.get("taps", {})
    record = {"db": kind, "date": datetime.now(UTC).isoformat(), "network": NETWORK,
              "cpu_slowdown": CPU_SLOWDOWN, "runs": runs, "pages": pages, "taps": taps}
    path.write_text(json.dumps(record, indent=2))
    return record


def _taps(phone: Phone, ctx: dict, runs: int) -> dict:
    stepper = scenario.FRAGMENTS["stepper"]
    line = scenario.FRAGMENTS["quick_order_line"]
    taps = {
        "stepper": {"label": "Stepper + tap on the product page", **measure_taps(
            phone, f"/catalog/p/{ctx['product_id']}", bench.BUYER, runs, TAP,
            stepper["selector"])},
        "quick_order_line": {"label": "Quick-order row check (change → swap)", **measure_taps(
            phone, line["page"], bench.BUYER, runs, ROW_CHECK,
            lambda n: [line["sku_selector"], line["qty_selector"], ctx["line_sku"],
                       str(ctx["line_qty"] + n)])},
    }
    for name, tap in taps.items():
        bench.log(f"tap {name:<18} median {tap['median']} ms  runs {tap['runs']}")
    return taps
