"""A seller's integrator, end to end against the demo, with nothing but Python's standard
library: upsert 3 products and their prices, read the orders changed since a cursor, ship one
with tracking, and receive the signed webhook that follows on a small local receiver.

    portal demo                                   # terminal 1: the demo on :8000
    portal worker                                 # terminal 2: posts the webhooks
    portal api-clients create "ERP demo" --scope catalog:write --scope prices:write \\
        --scope stock:write --scope orders:read --scope fulfilment:write \\
        --scope webhooks:manage --scope customers:write   # prints the token once
    PORTAL_API_TOKEN=pfk_... python examples/erp_sync.py

With `customers:write` it also creates a customer company and its buyer by the CRM's own
references (the buyer's invitation waits in the outbox). Each step prints what it sent and
what came back. The webhook is verified as the Standard
Webhooks specification says (HMAC-SHA256 of "id.timestamp.body" with the secret).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import queue
import sys
import threading
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Api:
    def __init__(self, base: str, token: str):
        self.base, self.token = base.rstrip("/"), token

    def call(self, method: str, path: str, body=None, *, idempotent: bool = False) -> dict:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if idempotent:  # the retries below resend this key: the work is done once
            headers["Idempotency-Key"] = str(uuid.uuid4())
        request = urllib.request.Request(self.base + path, data=data, method=method,  # noqa: S310 - our own base URL
                                         headers=headers)
        for attempt in range(3):
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                    raw = answer.read()
                break
            except urllib.error.HTTPError as exc:
                problem = json.loads(exc.read() or b"{}")
                raise SystemExit(f"{method} {path} -> {exc.code}: "
                                 f"{json.dumps(problem, indent=1)}") from None
            except urllib.error.URLError:
                if attempt == 2 or not (idempotent or method == "GET"):
                    raise
        return json.loads(raw) if raw else {}


def verify(secret: str, headers, body: bytes) -> bool:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, part.split(",", 1)[-1])
               for part in headers["webhook-signature"].split())


def start_receiver() -> tuple[ThreadingHTTPServer, queue.Queue]:
    received: queue.Queue = queue.Queue()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--token", default=os.environ.get("PORTAL_API_TOKEN", ""))
    parser.add_argument("--category", default="ciment-mortier")
    parser.add_argument("--price-list", default="BASE")
    parser.add_argument("--warehouse", default="LYO")
    parser.add_argument("--wait", type=float, default=120, help="seconds to wait for the hook")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give --token or PORTAL_API_TOKEN (from `portal api-clients create`)")
    api = Api(args.base, args.token)

    server, received = start_receiver()
    hook_url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    sub = api.call("POST", "/api/v1/webhooks", {"url": hook_url,
                                                "events": ["order.status_changed"]},
                   idempotent=True)
    print(f"1. webhook {sub['id']} -> {hook_url} (secret shown once, kept in memory)")

    suffix = uuid.uuid4().hex[:6].upper()
    products = [{"sku": f"EX-{suffix}-{n}", "name_fr": f"Cheville exemple {n}",
                 "name_en": f"Example anchor {n}", "category_slug": args.category,
                 "brand": "Exemple", "case_pack": 10, "order_multiple": 10} for n in (1, 2, 3)]
    print("2. products:", api.call("POST", "/api/v1/products/bulk", {"items": products},
                                   idempotent=True))
    tiers = [{"price_list_code": args.price_list, "sku": p["sku"], "min_qty": 10,
              "unit_price_cents": 250 + 10 * n, "currency": "EUR"}
             for n, p in enumerate(products)]
    print("3. prices:", api.call("POST", "/api/v1/price-tiers/bulk", {"items": tiers},
                                 idempotent=True))
    stock = [{"sku": p["sku"], "warehouse_code": args.warehouse, "quantity": 500}
             for p in products]
    print("   stock:", api.call("POST", "/api/v1/stock/bulk", {"items": stock},
                                idempotent=True))
    if "customers:write" in api.call("GET", "/api/v1/me")["scopes"]:
        ref = f"EX-{suffix}"  # the CRM's own id of the customer, and of its buyer below
        company = api.call("POST", "/api/v1/companies/bulk", {"items": [
            {"external_ref": ref, "name": f"Client exemple {suffix}", "payment_terms": "net30"}
        ]}, idempotent=True)
        users = api.call("POST", f"/api/v1/companies/{ref}/users/bulk", {"items": [
            {"external_ref": f"{ref}-1", "email": f"acheteur-{suffix.lower()}@example.com",
             "name": "Acheteur Exemple", "role": "buyer"}]}, idempotent=True)
        print(f"   customer {ref}: {company}; its buyer: {users}")

    cursor, orders = None, []
    while True:  # every order, oldest change first; an ERP keeps the last cursor and polls
        page = api.call("GET", "/api/v1/orders?limit=200" + (f"&cursor={cursor}"
                                                             if cursor else ""))
        orders += page["data"]
        cursor = page["next_cursor"] or cursor
        if not page["has_more"]:
            break
    print(f"4. read {len(orders)} orders; keep cursor {cursor} for the next poll")

    target = next((o for o in orders if o["status"] == "confirmed"), None)
    if target is None:
        target = next(o for o in orders if o["status"] == "submitted")
        api.call("POST", f"/api/v1/orders/{target['id']}/confirm", {}, idempotent=True)
    lines = [{"line_id": line["id"], "quantity": line["quantity"] - line["shipped_qty"]}
             for line in target["lines"] if line["quantity"] > line["shipped_qty"]]
    shipped = api.call("POST", f"/api/v1/orders/{target['id']}/shipments", {
        "lines": lines, "carrier": "Geodis", "tracking_number": f"GEO{suffix}FR"},
        idempotent=True)
    print(f"5. shipped order {shipped['number']}: now {shipped['status']}")

    try:
        while True:
            headers, body = received.get(timeout=args.wait)
            event = json.loads(body)
            if event["data"].get("order_id") == target["id"] and \
                    event["data"].get("status") == shipped["status"]:
                break
    except queue.Empty:
        print("6. no webhook yet: is `portal worker` running?", file=sys.stderr)
        return 1
    finally:
        server.shutdown()
        server.server_close()
    ok = verify(sub["secret"], headers, body)
    print(f"6. webhook {headers['webhook-id']} {event['type']} -> {event['data']}, "
          f"signature {'valid' if ok else 'INVALID'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
