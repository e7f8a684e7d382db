"""Cross-storefront sweep (issue 22): a session made on one storefront is nobody on another.

Company B moves to a consumer storefront on its own host. Company A's people (trade portal)
replay their session cookie on B's host, and B's people theirs on the trade host: on every
route and verb, each answer must be exactly what an anonymous visitor of that host gets, no
body may carry the signed-in side's data, and nothing may change. The same sweep runs with B's
storefront reached by a path of the trade portal's host ("/direct", portal/mounts.py).
"""

import pytest
from sqlalchemy import func, select

from portal.extensions import db, limiter
from portal.models import AuditEntry, Cart, CartLine, Order, Storefront, StorefrontKind
from portal.services.storefronts import forget
from tests.factories import PASSWORD
from tests.security import matrix

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)

DIRECT = "direct.example.test"


def _answers(client, rules, base_url: str, prefix: str = "") -> tuple[dict, list[str]]:
    answers, bodies = {}, []
    for rule in rules:
        url = prefix + matrix.sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, base_url=base_url)
            answers[(method, rule.endpoint)] = response.status_code
            bodies.append(response.get_data(as_text=True))
    return answers, bodies


def _state() -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Order, Cart, CartLine, AuditEntry))


def _b_on_its_own_storefront(app, world, **where) -> list:
    """Company B moves to the consumer storefront "Direct" (`where`: its hosts and path);
    the routes to sweep."""
    direct = Storefront(code="direct", kind=StorefrontKind.CONSUMER, name="Direct",
                        prices_with_vat=True, brand_colour="#7a1f1f", **where)
    db.session.add(direct)
    db.session.flush()
    world.b.company.storefront_id = direct.id
    db.session.commit()
    forget()
    return [r for r in app.url_map.iter_rules()
            if r.endpoint not in ("auth.logout", "static") and not r.rule.startswith("/api/")]


def test_a_session_of_one_storefront_is_an_anonymous_visitor_on_another(figure, app, world):
    rules = _b_on_its_own_storefront(app, world, hosts=DIRECT)
    sides = (
        # (whose session, made on which host, replayed on which host, words never shown)
        (world.a.buyer, "http://localhost", f"http://{DIRECT}", world.a.company.name),
        (world.a.admin, "http://localhost", f"http://{DIRECT}", world.a.company.name),
        (world.staff, "http://localhost", f"http://{DIRECT}", world.staff.email),
        (world.b.buyer, f"http://{DIRECT}", "http://localhost", world.b.company.name),
    )
    before, made, differences, leaks = _state(), 0, [], []
    for user, home, other, secret in sides:
        limiter.reset()  # the sign-in and sign-up limits count per address, not per side
        anonymous, _ = _answers(app.test_client(), rules, other)
        limiter.reset()
        client = app.test_client()
        response = client.post("/login", base_url=home,
                               data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 303
        cookie = client.get_cookie("session", domain=home.split("//")[1])
        client.set_cookie("session", cookie.value, domain=other.split("//")[1])
        replayed, bodies = _answers(client, rules, other)
        made += 2 * len(replayed)
        differences += [(user.email, key, anonymous[key], status)
                        for key, status in replayed.items() if status != anonymous[key]]
        leaks += [user.email for body in bodies if secret in body or user.email in body]
    figure(f"cross-storefront sweep: {len(rules)} routes, 4 replayed sessions, {made} requests, "
           f"answers unlike an anonymous visitor's {len(differences)}, leaks {len(leaks)}")
    assert not differences, differences[:20]
    assert not leaks
    assert _state() == before


def test_a_session_of_one_storefront_is_an_anonymous_visitor_on_a_path_of_the_same_host(
        figure, app, world):
    """B's storefront at localhost/direct, A's trade portal at localhost/: one host, one
    browser. A's cookie ("session", path /) reaches /direct as browsers send it, and again
    copied under the shop's own name; B's cookie ("session-direct") is copied to the root."""
    rules = _b_on_its_own_storefront(app, world, hosts="", path_prefix="/direct")
    host = "http://localhost"
    sides = (
        # (whose session, made under which path, replayed under which, cookie names there)
        (world.a.buyer, "", "/direct", ("session", "session-direct"), world.a.company.name),
        (world.a.admin, "", "/direct", ("session", "session-direct"), world.a.company.name),
        (world.staff, "", "/direct", ("session", "session-direct"), world.staff.email),
        (world.b.buyer, "/direct", "", ("session-direct", "session"), world.b.company.name),
    )
    before, made, differences, leaks = _state(), 0, [], []
    for user, home, other, (made_as, replayed_as), secret in sides:
        limiter.reset()
        anonymous, _ = _answers(app.test_client(), rules, host, other)
        limiter.reset()
        client = app.test_client()
        response = client.post(f"{home}/login", base_url=host,
                               data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 303
        cookie = client.get_cookie(made_as, path=home or "/")
        assert cookie is not None
        client.set_cookie(replayed_as, cookie.value, path=other or "/")
        replayed, bodies = _answers(client, rules, host, other)
        made += 2 * len(replayed)
        differences += [(user.email, key, anonymous[key], status)
                        for key, status in replayed.items() if status != anonymous[key]]
        leaks += [user.email for body in bodies if secret in body or user.email in body]
    figure(f"cross-storefront sweep by path: {len(rules)} routes, 4 replayed sessions, "
           f"{made} requests, answers unlike an anonymous visitor's {len(differences)}, "
           f"leaks {len(leaks)}")
    assert not differences, differences[:20]
    assert not leaks
    assert _state() == before
