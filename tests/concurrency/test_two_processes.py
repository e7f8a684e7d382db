"""Two gunicorn processes on one PostgreSQL database (same SECRET_KEY, one Redis for the rate
limits) behave as one portal: sessions, carts, checkout submits, approvals and the sign-in
limit are shared. Each test talks HTTP to both, like a load balancer sending a user's
requests to either.
"""

import contextlib
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ApprovalRequest, AuditEntry, CartLine, Order, Role, UnitKind
from tests import factories as f
from tests.conftest import IN_CI, _make_app, base_config
from tests.faults.live_pg import PORTAL, gunicorn, portal_env, scratch_database

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TOKEN = re.compile(r'name="token" value="([^"]+)"')
LOGIN_LIMIT = 6  # failed sign-ins per minute, counted once for both processes
APPROVAL_ROUNDS = 5


class Browser:
    """One person's cookie jar; cookies are per host, so A and B both get the session."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)

    def open(self, url: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, dict(answer.headers), answer.read().decode()

    def post_form(self, page_url: str, url: str, **fields) -> tuple[int, dict, str]:
        """Load the page the form is on (for its CSRF token), then post it."""
        status, _, page = self.open(page_url)
        assert status == 200, (page_url, status)
        return self.open(url, {"csrf_token": CSRF.search(page).group(1), **fields})

    def sign_in(self, base: str, email: str, password: str = f.PASSWORD) -> int:
        return self.post_form(base + "/login", base + "/login", email=email,
                              password=password)[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 303 is an answer to look at, not to follow


@pytest.fixture(scope="module")
def redis_url():
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        if IN_CI:
            pytest.fail("Redis is not reachable on 127.0.0.1:6379")
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    return url


@pytest.fixture(scope="module")
def portal(tmp_path_factory, redis_url):
    """Processes A and B on one scratch database with a small company; the data's ids."""
    import subprocess

    import redis

    instance = tmp_path_factory.mktemp("two-processes")
    prefix = f"two-processes-{uuid.uuid4().hex[:8]}"
    (instance / "config.py").write_text(f"RATELIMIT_KEY_PREFIX = {prefix!r}\n")
    with scratch_database("portal_two") as url, contextlib.ExitStack() as stack:
        # The address+account limit counts through the same store: the same figure for both.
        env = portal_env(instance, url, RATELIMIT_STORAGE_URI=redis_url,
                         LOGIN_RATE_LIMIT=f"{LOGIN_LIMIT} per minute",
                         LOGIN_PAIR_RATE_LIMIT=f"{LOGIN_LIMIT} per minute")
        subprocess.run([*PORTAL, "db", "upgrade"], env=env, check=True, capture_output=True)
        app = _make_app(base_config(SQLALCHEMY_DATABASE_URI=url.render_as_string(False)))
        stack.enter_context(app.app_context())
        stack.callback(db.engine.dispose)
        data = _company()
        a = stack.enter_context(gunicorn(env, instance / "a.log"))
        b_ = stack.enter_context(gunicorn(env, instance / "b.log"))
        yield a, b_, data
        store = redis.Redis.from_url(redis_url)
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)
        db.session.remove()


def _company():
    base = f.price_list("BASE", is_base=True)
    wh = f.warehouse("LYO")
    cement = f.product(f.category("Outillage"), "CIM-35", price_list=base, case_pack=1,
                       tiers={1: 850}, warehouse=wh, stock=10_000)
    company = f.company("Deux Process")
    branch = f.unit(company, "Agence")
    site = f.unit(company, "Site 1", UnitKind.JOBSITE, parent=branch)
    people = {
        "buyer": f.user(company, Role.BUYER, unit_id=branch.id, email="buyer@two.test"),
        "checkout": f.user(company, Role.BUYER, unit_id=branch.id, email="checkout@two.test"),
        "limited": f.user(company, Role.BUYER, unit_id=branch.id, order_limit_cents=1_000,
                          email="limited@two.test"),
        "approver1": f.user(company, Role.APPROVER, unit_id=branch.id, email="ap1@two.test"),
        "approver2": f.user(company, Role.APPROVER, unit_id=branch.id, email="ap2@two.test"),
    }
    f.user(company, Role.COMPANY_ADMIN, email="admin@two.test")
    f.rule(company, Role.APPROVER, when_over_order_limit=True)
    db.session.commit()
    waiting = [f.order(people["limited"], [(cement, 10, 15_000)], route=True)
               for _ in range(APPROVAL_ROUNDS)]
    return {"product": cement.id, "site": site.id,
            "requests": [f.requests_of(o)[0].id for o in waiting],
            **{k: u.email for k, u in people.items()}}


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.postgres
def test_a_session_and_a_cart_started_on_one_process_continue_on_the_other(figure, portal):
    a, b_, data = portal
    buyer = Browser()
    assert buyer.sign_in(a, data["buyer"]) == 303
    assert buyer.open(b_ + "/cart/")[0] == 200  # the cookie A set is a session on B
    product = f"/catalog/p/{data['product']}"
    added = buyer.post_form(a + product, a + product + "/cart", qty="3")
    assert added[0] == 303
    status, _, cart = buyer.open(b_ + "/cart/")
    assert status == 200 and "CIM-35" in cart
    line = re.search(r"/cart/line/(\d+)/qty", cart).group(1)
    changed = buyer.post_form(b_ + "/cart/", f"{b_}/cart/line/{line}/qty", quantity="7")
    assert changed[0] in (200, 303)
    seen_on_a = buyer.open(a + "/cart/")[2]
    assert re.search(r'name="quantity"[^>]*value="7"', seen_on_a), "A does not see B's change"
    [quantity] = db.session.scalars(select(CartLine.quantity)).all()
    assert quantity == 7
    figure("two processes: signed in on A, cart read on B, line added on A and changed on B "
           "to 7; A shows 7, one cart line in the database")


@pytest.mark.postgres
def test_ten_concurrent_submits_of_one_checkout_across_both_processes_make_one_order(
        figure, portal):
    a, b_, data = portal
    buyer = Browser()
    assert buyer.sign_in(a, data["checkout"]) == 303
    product = f"/catalog/p/{data['product']}"
    assert buyer.post_form(a + product, a + product + "/cart", qty="2")[0] == 303
    page = buyer.open(a + "/checkout/")[2]
    form = {"csrf_token": CSRF.search(page).group(1), "token": TOKEN.search(page).group(1),
            "place": f"jobsite:{data['site']}", "po_number": "PO-TWO"}
    gate = threading.Barrier(10)
    answers: list = [None] * 10

    def submit(i: int):
        gate.wait()
        answers[i] = buyer.open((a, b_)[i % 2] + "/checkout/", form)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(answer[0] for answer in answers)
    locations = {answer[1].get("Location") for answer in answers}
    orders = _count(Order, Order.po_number == "PO-TWO")
    figure(f"two processes: 10 concurrent submits of one checkout (5 on A, 5 on B) -> "
           f"{orders} order, answers {statuses}, {len(locations)} order page")
    assert statuses == [303] * 10 and len(locations) == 1
    assert orders == 1


@pytest.mark.postgres
def test_one_approval_decided_through_both_at_once_is_decided_once_and_the_other_sees_409(
        figure, portal):
    a, b_, data = portal
    first, second = Browser(), Browser()
    assert first.sign_in(a, data["approver1"]) == 303
    assert second.sign_in(b_, data["approver2"]) == 303
    outcomes = []
    for request_id in data["requests"]:
        path = f"/approvals/{request_id}"
        forms = [(who, base, CSRF.search(who.open(base + path)[2]).group(1))
                 for who, base in ((first, a), (second, b_))]
        gate = threading.Barrier(2)
        answers = [None, None]

        def decide(i, who, base, csrf, path=path, gate=gate, answers=answers):
            gate.wait()
            answers[i] = who.open(f"{base}{path}/approve", {"csrf_token": csrf})[0]

        threads = [threading.Thread(target=decide, args=(i, *form))
                   for i, form in enumerate(forms)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        audits = _count(AuditEntry, AuditEntry.object_type == "approval_requests",
                        AuditEntry.object_id == request_id)
        outcomes.append((sorted(answers), audits))
    one_each = sum(1 for answers, audits in outcomes if answers == [303, 409] and audits == 1)
    figure(f"two processes: {APPROVAL_ROUNDS} approvals tapped on A and B at the same moment, "
           f"{one_each} decided once with a 409 for the other")
    assert one_each == APPROVAL_ROUNDS, outcomes
    assert _count(ApprovalRequest, ApprovalRequest.id.in_(data["requests"]),
                  ApprovalRequest.decided_by_id.is_(None)) == 0


@pytest.mark.postgres
def test_the_sign_in_limit_counts_failures_on_both_processes_together(figure, portal):
    a, b_, data = portal
    someone = Browser()
    wrong = [someone.sign_in((a, b_)[i % 2], data["buyer"], "wrong password")
             for i in range(LOGIN_LIMIT)]
    over = [someone.sign_in(base, data["buyer"], "wrong password") for base in (a, b_)]
    figure(f"two processes: sign-in limit {LOGIN_LIMIT}/min, {LOGIN_LIMIT} failures split "
           f"3 + 3 over A and B answered {sorted(set(wrong))}, the next on A and on B {over}")
    assert wrong == [422] * LOGIN_LIMIT
    assert over == [429, 429]


def test_with_redis_unreachable_sign_in_still_answers_and_counts_in_memory(tmp_path):
    app = _make_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 't.db'}",
                                RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
                                LOGIN_RATE_LIMIT="3 per minute"))
    try:
        with app.app_context():
            db.create_all()
            client = app.test_client()
            answers = [client.post("/login", data={"email": "x@test.example", "password": "no"})
                       .status_code for _ in range(4)]
            db.session.remove()
            db.engine.dispose()
    finally:
        # One limiter serves every app of this process: give the next tests their memory
        # store back (they would otherwise talk to the unreachable Redis).
        from portal.extensions import limiter

        limiter.init_app(_make_app(base_config(SQLALCHEMY_DATABASE_URI="sqlite://")))
    assert answers == [422, 422, 422, 429]
