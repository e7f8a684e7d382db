"""Webhooks: rows written with the change, signed per Standard Webhooks, retried with backoff
by the worker's pass, dead after the last try, sent again on demand."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from portal.extensions import db
from portal.models import CompanyStatus, WebhookDelivery
from portal.services import integration
from tests import factories as f
from tests.api.conftest import assert_problem


def _clock() -> datetime:
    """The worker's passes start now: the rows are due from the instant they were written."""
    return datetime.now(UTC) + timedelta(seconds=1)


class Receiver:
    """A loopback HTTP server answering the given statuses in turn (then 200)."""

    def __init__(self, statuses=()):
        self.statuses, self.received = list(statuses), []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def erp(make_caller, world):
    caller = make_caller("webhooks:manage", "fulfilment:write", "orders:read", name="ERP")
    caller.order = f.order(world.a.buyer, [(world.products["cement"], 4)], commit=True)
    return caller


def _subscribe(erp, url, events=("order.status_changed",)):
    answer = erp.post("/api/v1/webhooks", {"url": url, "events": list(events)})
    assert answer.status_code == 201, answer.data
    return answer.get_json()


def _deliveries():
    return db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def test_a_receiver_failing_three_times_gets_the_event_once_signed(app, erp, receiver):
    hook = receiver([500, 500, 500])
    sub = _subscribe(erp, hook.url)
    assert sub["secret"].startswith("whsec_")
    assert erp.post(f"/api/v1/orders/{erp.order.id}/confirm", {}).status_code == 200
    assert not hook.received  # nothing is posted from the request
    now, sent = _clock(), 0
    for _try in range(6):
        sent += integration.deliver_due_webhooks(now=now)
        now += timedelta(hours=1)
    assert sent == 1 and len(hook.received) == 4
    verifier = Webhook(sub["secret"])
    ids = set()
    for headers, body in hook.received:
        lowered = {k.lower(): v for k, v in headers.items()}
        # Each try is signed anew; the published library checks it as a receiver would.
        payload = _verified(verifier, lowered, body)
        ids.add(lowered["webhook-id"])
        assert payload["type"] == "order.status_changed"
        assert payload["data"]["order_id"] == erp.order.id
        assert payload["data"]["status"] == "confirmed"
    assert len(ids) == 1  # the same message id on every try: the receiver can deduplicate
    delivery = _deliveries()[0]
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("sent", 4, 200)


def _verified(verifier, headers, body):
    """Standard Webhooks' own verifier, with the tolerance window around the signed time."""
    import standardwebhooks.webhooks as module

    signed_at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
    original = module.datetime
    try:
        class Frozen(datetime):
            @classmethod
            def now(cls, tz=None):
                return signed_at

        module.datetime = Frozen
        return verifier.verify(body, headers)
    finally:
        module.datetime = original


def test_retries_wait_longer_each_time_then_the_delivery_is_dead(app, erp, receiver):
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 3
    hook = receiver([500] * 10)
    _subscribe(erp, hook.url)
    erp.post(f"/api/v1/orders/{erp.order.id}/confirm", {})
    t0 = _clock()
    assert integration.deliver_due_webhooks(now=t0) == 0
    delivery = _deliveries()[0]
    assert delivery.next_attempt_at == t0 + timedelta(seconds=30)
    assert integration.deliver_due_webhooks(now=t0 + timedelta(seconds=29)) == 0
    assert len(hook.received) == 1  # not due yet
    integration.deliver_due_webhooks(now=t0 + timedelta(seconds=30))
    db.session.refresh(delivery)
    assert delivery.next_attempt_at == t0 + timedelta(seconds=30 + 60)
    integration.deliver_due_webhooks(now=t0 + timedelta(hours=1))
    db.session.refresh(delivery)
    assert (delivery.state, delivery.attempts) == ("dead", 3)
    integration.deliver_due_webhooks(now=t0 + timedelta(days=1))
    assert len(hook.received) == 3


def test_send_again_revives_a_dead_delivery(app, erp, receiver):
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 1
    hook = receiver([503])
    sub = _subscribe(erp, hook.url)
    erp.post(f"/api/v1/orders/{erp.order.id}/confirm", {})
    integration.deliver_due_webhooks(now=_clock())
    log = erp.get(f"/api/v1/webhooks/{sub['id']}/deliveries").get_json()["data"]
    assert [(d["state"], d["last_status"]) for d in log] == [("dead", 503)]
    answer = erp.post(f"/api/v1/webhooks/{sub['id']}/deliveries/{log[0]['id']}/resend", {})
    assert answer.get_json()["state"] == "pending"
    assert integration.deliver_due_webhooks() == 1
    assert len(hook.received) == 2


def test_a_refused_change_writes_no_delivery_and_events_follow_their_subscription(
        app, erp, receiver, world):
    hook = receiver()
    _subscribe(erp, hook.url, ["order.placed", "company.approved", "company.applied"])
    assert_problem(erp.post(f"/api/v1/orders/{erp.order.id}/deliver", {}), 409)
    assert erp.post(f"/api/v1/orders/{erp.order.id}/confirm", {}).status_code == 200
    assert _deliveries() == []  # status changes are not among this subscription's events
    f.order(world.b.buyer, [(world.products["cement"], 1)], commit=True)
    pending = f.company("Nouvelle SARL", status=CompanyStatus.PENDING)
    db.session.commit()
    pending.status = CompanyStatus.ACTIVE
    db.session.commit()
    assert [d.event for d in _deliveries()] == ["order.placed", "company.approved"]
    integration.deliver_due_webhooks()
    assert [json.loads(body)["type"] for _h, body in hook.received] == [
        "order.placed", "company.approved"]


def test_subscriptions_are_the_clients_own_and_urls_are_checked(app, erp, make_caller,
                                                                receiver):
    sub = _subscribe(erp, receiver().url)
    other = make_caller("webhooks:manage")
    assert other.get("/api/v1/webhooks").get_json() == {"data": []}
    assert_problem(other.get(f"/api/v1/webhooks/{sub['id']}/deliveries"), 404)
    assert_problem(other.http.delete(f"/api/v1/webhooks/{sub['id']}",
                                     headers=other.headers()), 404)
    for url in ("ftp://x.example/h", "http://erp.example/h", "javascript:alert(1)"):
        assert_problem(erp.post("/api/v1/webhooks", {"url": url,
                                                     "events": ["order.placed"]}), 422)
    assert_problem(erp.post("/api/v1/webhooks", {"url": "https://erp.example/h",
                                                 "events": ["order.eaten"]}), 422)
    listed = erp.get("/api/v1/webhooks").get_json()["data"]
    assert [s["secret"] for s in listed] == [None]  # never shown again
    assert erp.http.delete(f"/api/v1/webhooks/{sub['id']}",
                           headers=erp.headers()).status_code == 204
    erp.post(f"/api/v1/orders/{erp.order.id}/confirm", {})
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_staff_see_the_delivery_log_and_send_again(app, erp, receiver, client, world):
    from tests.conftest import login

    app.config["WEBHOOK_MAX_ATTEMPTS"] = 1
    hook = receiver([500])
    _subscribe(erp, hook.url)
    erp.post(f"/api/v1/orders/{erp.order.id}/confirm", {})
    integration.deliver_due_webhooks(now=_clock())
    login(client, world.staff)
    page = client.get(f"/staff/api-clients/{erp.client.id}/webhooks")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and hook.url in html and "500" in html
    delivery = _deliveries()[0]
    assert delivery.state == "dead"
    resend = client.post(f"/staff/api-clients/{erp.client.id}/webhooks/{delivery.id}/resend")
    assert resend.status_code == 303
    db.session.refresh(delivery)
    assert delivery.state == "pending"
    assert integration.deliver_due_webhooks() == 1
    login_other = app.test_client()
    login(login_other, world.fulfilment)
    assert login_other.get(f"/staff/api-clients/{erp.client.id}/webhooks").status_code == 403


def test_the_workers_sweep_delivers_webhooks(app, erp, receiver):
    from portal.worker import duties

    hook = receiver()
    _subscribe(erp, hook.url)
    erp.post(f"/api/v1/orders/{erp.order.id}/confirm", {})
    assert duties.DRAINS["webhooks"](_clock(), "worker-1") == 1
    assert len(hook.received) == 1
