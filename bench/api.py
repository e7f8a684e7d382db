"""API throughput: bulk upserts, reading orders by cursor, webhook deliveries (in process).

    python -m bench.api [--products 50000] [--batch 1000] [--orders-db bench/out/bench.sqlite3]
                        [--webhooks 2000]

Upserts products, then three price tiers and three stock rows per product, through
/api/v1/.../bulk in batches (Flask test client, a fresh SQLite file); reads every order of
`--orders-db` (a copy of the bench database, so the original is left as it is) by cursor,
500 a page; posts webhook deliveries to a loopback receiver with `deliver_due_webhooks`.
Prints rows per second and the process's peak RSS after each part.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app(url: str):
    from portal import create_app
    from portal.extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "API_RATE_LIMIT": "100000000 per minute", "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
    return app


def _token(app, name: str) -> str:
    from portal.extensions import db
    from portal.services import integration

    with app.app_context():
        _client, token = integration.create_client(name, integration.SELLER_SCOPES,
                                                   now=datetime.now(UTC))
        db.session.commit()
    return token


def _post_batches(http, token, path, items, batch) -> tuple[float, int]:
    started = time.perf_counter()
    for start in range(0, len(items), batch):
        answer = http.post(path, json={"items": items[start:start + batch]},
                           headers={"Authorization": f"Bearer {token}"})
        if answer.status_code != 200:
            raise SystemExit(f"{path}: {answer.status_code} {answer.data[:300]!r}")
    return time.perf_counter() - started, len(items)


def upserts(products: int, batch: int) -> None:
    from portal.extensions import db
    from portal.models import Category, PriceList, Warehouse

    folder = Path(tempfile.mkdtemp())
    app = _app(f"sqlite:///{folder / 'api.sqlite3'}")
    with app.app_context():
        db.session.add(Category(slug="bench", name_fr="Banc", name_en="Bench", position=0))
        for code in ("BASE", "PRO", "CHR"):
            db.session.add(PriceList(code=code, name=code, currency="EUR",
                                     is_base=code == "BASE"))
        for code in ("LYO", "PAR", "MAR"):
            db.session.add(Warehouse(code=code, name=code, city=""))
        db.session.commit()
    token, http = _token(app, "bench"), app.test_client()
    items = [{"sku": f"AP-{i:06d}", "name_fr": f"Vis {i}", "name_en": f"Screw {i}",
              "category_slug": "bench", "brand": f"Marque {i % 40}", "case_pack": 10,
              "order_multiple": 10} for i in range(products)]
    spent, rows = _post_batches(http, token, "/api/v1/products/bulk", items, batch)
    print(f"products: {rows} in {spent:.1f} s = {rows / spent:,.0f} rows/s, "
          f"peak RSS {rss_mb():.0f} MB")
    tiers = [{"price_list_code": code, "sku": f"AP-{i:06d}", "min_qty": 10,
              "unit_price_cents": 100 + i % 900, "currency": "EUR"}
             for i in range(products) for code in ("BASE", "PRO", "CHR")]
    spent, rows = _post_batches(http, token, "/api/v1/price-tiers/bulk", tiers, batch)
    print(f"price tiers: {rows} in {spent:.1f} s = {rows / spent:,.0f} rows/s, "
          f"peak RSS {rss_mb():.0f} MB")
    stock = [{"sku": f"AP-{i:06d}", "warehouse_code": code, "quantity": i % 500}
             for i in range(products) for code in ("LYO", "PAR", "MAR")]
    spent, rows = _post_batches(http, token, "/api/v1/stock/bulk", stock, batch)
    print(f"stock: {rows} in {spent:.1f} s = {rows / spent:,.0f} rows/s, "
          f"peak RSS {rss_mb():.0f} MB")
    shutil.rmtree(folder, ignore_errors=True)


def read_orders(source: Path) -> None:
    folder = Path(tempfile.mkdtemp())
    copy = folder / "orders.sqlite3"
    shutil.copyfile(source, copy)
    app = _app(f"sqlite:///{copy}")
    from portal.extensions import db
    from portal.models import Order

    with app.app_context():  # create_all makes missing tables only: the feed's index too
        for index in Order.__table__.indexes:
            index.create(db.engine, checkfirst=True)
    token, http = _token(app, "bench-reader"), app.test_client()
    started, cursor, count, pages = time.perf_counter(), None, 0, 0
    while True:
        url = "/api/v1/orders?limit=500" + (f"&cursor={cursor}" if cursor else "")
        page = http.get(url, headers={"Authorization": f"Bearer {token}"}).get_json()
        count, pages = count + len(page["data"]), pages + 1
        cursor = page["next_cursor"] or cursor
        if not page["has_more"]:
            break
    spent = time.perf_counter() - started
    print(f"orders read by cursor: {count} in {pages} pages, {spent:.1f} s = "
          f"{count / spent:,.0f} orders/s ({spent / pages * 1000:.0f} ms a page), "
          f"peak RSS {rss_mb():.0f} MB")
    shutil.rmtree(folder, ignore_errors=True)


def webhooks(count: int) -> None:
    from portal.extensions import db
    from portal.models import ApiClient, WebhookDelivery, WebhookSubscription
    from portal.services import integration

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    folder = Path(tempfile.mkdtemp())
    app = _app(f"sqlite:///{folder / 'hooks.sqlite3'}")
    _token(app, "bench-hooks")
    now = datetime.now(UTC)
    with app.app_context():
        client = db.session.query(ApiClient).one()
        sub = WebhookSubscription(client_id=client.id, events=["order.status_changed"],
                                  url=f"http://127.0.0.1:{receiver.server_address[1]}/h",
                                  secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",  # noqa: S106
                                  created_at=now)
        db.session.add(sub)
        db.session.flush()
        db.session.add_all(WebhookDelivery(
            subscription_id=sub.id, message_id=f"msg_{n:08d}", event="order.status_changed",
            payload={"type": "order.status_changed", "data": {"order_id": n}},
            state="pending", attempts=0, next_attempt_at=now, last_error="", created_at=now)
            for n in range(count))
        db.session.commit()
        started, sent = time.perf_counter(), 0
        while sent < count:
            sent += integration.deliver_due_webhooks(limit=200)
        spent = time.perf_counter() - started
    receiver.shutdown()
    receiver.server_close()
    print(f"webhooks: {sent} delivered to a loopback receiver in {spent:.1f} s = "
          f"{sent / spent:,.0f}/s (one worker, one at a time), peak RSS {rss_mb():.0f} MB")
    shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--orders-db", type=Path, default=Path("bench/out/bench.sqlite3"))
    parser.add_argument("--webhooks", type=int, default=2000)
    parser.add_argument("--only", default="upserts,orders,webhooks")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    if "upserts" in parts:
        upserts(args.products, args.batch)
    if "orders" in parts and args.orders_db.exists():
        read_orders(args.orders_db)
    if "webhooks" in parts:
        webhooks(args.webhooks)


if __name__ == "__main__":
    main()
