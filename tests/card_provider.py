"""A stand-in for Stripe on loopback, so the real `stripe` library makes real HTTP requests.

`POST /v1/checkout/sessions` answers a Checkout Session the way Stripe's API does (JSON, the
form-encoded parameters read back); `GET /pay/<session>` is the hosted page, whose form
"pays": it signs a checkout.session.completed event the way Stripe does and posts it to the
portal's webhook, then sends the payer to the session's success URL. `sign` is that signature
(Stripe-Signature: t=<timestamp>,v1=<HMAC-SHA256 of "t.payload" with the endpoint's secret>).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

SECRET_KEY = "sk_test_portal"
WEBHOOK_SECRET = "whsec_portal_test"


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    stamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256)
    return f"t={stamp},v1={mac.hexdigest()}"


def completed_event(session: dict, **changes) -> bytes:
    """The body of a checkout.session.completed notice for `session`, as Stripe sends it."""
    paid = {**session, "status": "complete", "payment_status": "paid", **changes}
    return json.dumps({"id": "evt_" + session["id"], "object": "event",
                       "api_version": "2025-08-27.basil", "type": "checkout.session.completed",
                       "data": {"object": paid}}).encode()


def _unflatten(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (line_items[0][price_data][unit_amount]=...) back to a dict."""
    out: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = out
        for part, following in zip(parts, [*parts[1:], None], strict=True):
            if following is None:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return out


class FakeStripe:
    """Serves on 127.0.0.1; `sessions` are the sessions it created, `requests` what came."""

    def __init__(self, webhook_url: str = ""):
        self.sessions: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.webhook_url = webhook_url
        self.down = False
        self.held: list[bytes] = []  # notices kept back while `hold` (sent by `release`)
        self.hold = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: bytes, kind: str, headers=()):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 - the http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                if self.path == "/v1/checkout/sessions":
                    fake.requests.append({"auth": self.headers.get("Authorization", ""),
                                          "params": _unflatten(parse_qsl(body))})
                    if fake.down:
                        error = {"error": {"type": "api_error", "message": "down"}}
                        return self._answer(500, json.dumps(error).encode(),
                                            "application/json")
                    session = fake.create(fake.requests[-1]["params"])
                    return self._answer(200, json.dumps(session).encode(), "application/json")
                paid = re.fullmatch(r"/pay/(cs_test_\d+)", self.path)
                if paid and paid.group(1) in fake.sessions:
                    session = fake.sessions[paid.group(1)]
                    notice = completed_event(session)
                    if fake.hold:
                        fake.held.append(notice)
                    else:
                        fake.notify(notice)
                    return self._answer(303, b"", "text/plain",
                                        [("Location", session["success_url"])])
                return self._answer(404, b"{}", "application/json")

            def do_GET(self):  # noqa: N802
                shown = re.fullmatch(r"/pay/(cs_test_\d+)", self.path)
                if not shown or shown.group(1) not in fake.sessions:
                    return self._answer(404, b"not found", "text/plain")
                return self._answer(200, fake.page(fake.sessions[shown.group(1)]),
                                    "text/html; charset=utf-8")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def create(self, params: dict) -> dict:
        number = len(self.sessions) + 1
        item = params["line_items"]["0"]
        session_id = f"cs_test_{number}"
        session = {
            "id": session_id, "object": "checkout.session", "mode": params.get("mode"),
            "status": "open", "payment_status": "unpaid",
            "amount_total": int(item["price_data"]["unit_amount"]) * int(item["quantity"]),
            "currency": item["price_data"]["currency"],
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "success_url": params["success_url"], "cancel_url": params["cancel_url"],
            "url": f"{self.base}/pay/{session_id}",
        }
        self.sessions[session_id] = session
        return session

    def page(self, session: dict) -> bytes:
        amount = f"{session['amount_total'] / 100:.2f} {session['currency'].upper()}"
        return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>Test payment page</title></head>
<body><main><h1>Test payment page</h1><p>Pay {html.escape(amount)}</p>
<form method="post" action="/pay/{session['id']}"><button type="submit">Pay {amount}</button>
</form><p><a href="{html.escape(session['cancel_url'])}">Back</a></p></main></body></html>
""".encode()

    def notify(self, payload: bytes) -> int:
        request = urllib.request.Request(  # noqa: S310 - the portal on loopback
            self.webhook_url, data=payload, method="POST",
            headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload)})
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status

    def release(self) -> list[int]:
        """Send the notices kept back: the provider's notice arriving late."""
        sent, self.held = self.held, []
        return [self.notify(notice) for notice in sent]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
