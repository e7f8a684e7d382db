"""CSRF on every state-changing route; security headers and cookie flags on every page."""

import pytest

from tests.conftest import login
from tests.security import matrix

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def _signed_in_client(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_every_state_changing_route_refuses_a_request_without_csrf_token(figure, app, world):
    checked, accepted = 0, []
    for user in (None, world.a.buyer, world.a.admin, world.staff):
        client = _signed_in_client(app, user) if user else app.test_client()
        for rule in app.url_map.iter_rules():
            for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
                for headers in ({}, {"HX-Request": "true"}):
                    response = client.open(matrix.sample_url(rule), method=method, headers=headers,
                                           data={"quantity": "1"})
                    checked += 1
                    if response.status_code != 400:
                        accepted.append((method, rule.rule, response.status_code))
    figure(f"CSRF sweep: {checked} requests without token, accepted {len(accepted)}")
    assert not accepted


def test_every_page_carries_the_security_headers(figure, app, world):
    client = app.test_client()
    login(client, world.a.buyer)
    checked, problems = 0, []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "assets.bundle"):
            continue
        response = client.get(matrix.sample_url(rule))
        checked += 1
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        if ("default-src 'self'" not in csp or "frame-ancestors 'none'" not in csp
                or "unsafe-inline" in csp or headers.get("X-Content-Type-Options") != "nosniff"
                or "no-store" not in headers.get("Cache-Control", "")):
            problems.append((rule.rule, response.status_code))
    figure(f"header conformance: {checked} routes, non-conforming {len(problems)}")
    assert not problems


@pytest.mark.config(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
def test_cookies_are_secure_httponly_and_samesite(app, world):
    client = app.test_client()
    response = client.post("/login", data={"email": world.a.buyer.email,
                                           "password": "correct horse battery",
                                           "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
