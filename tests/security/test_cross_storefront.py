"""Cross-storefront sweep (issue 22): a session made on one storefront is nobody on another.

Company B moves to a consumer storefront on its own host. Company A's people (trade portal)
replay their session cookie on B's host, and B's people theirs on the trade host: on every
route and verb, each answer must be exactly what an anonymous visitor of that host gets, no
body may carry the signed-in side's data, and nothing may change.
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


def _answers(client, rules, base_url: str) -> tuple[dict, list[str]]:
    answers, bodies = {}, []
    for rule in rules:
        url = matrix.sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, base_url=base_url)
            answers[(method, rule.endpoint)] = response.status_code
            bodies.append(response.get_data(as_text=True))
    return answers, bodies


def _state() -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Order, Cart, CartLine, AuditEntry))


def test_a_session_of_one_storefront_is_an_anonymous_visitor_on_another(figure, app, world):
    direct = Storefront(code="direct", kind=StorefrontKind.CONSUMER, name="Direct",
                        hosts=DIRECT, prices_with_vat=True, brand_colour="#7a1f1f")
    db.session.add(direct)
    db.session.flush()
    world.b.company.storefront_id = direct.id
    db.session.commit()
    forget()
    rules = [r for r in app.url_map.iter_rules()
             if r.endpoint not in ("auth.logout", "static") and not r.rule.startswith("/api/")]
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
