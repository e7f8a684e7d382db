"""Headers, error pages, CSRF, request size, static bundles: the shell every page lives in."""

import gzip

import pytest

from portal import create_app
from tests.conftest import base_config, login


@pytest.fixture
def client(app):
    """These tests read English messages: the browser asks for English."""
    english = app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return english


def test_pages_carry_csp_nosniff_and_vary(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "HX-Request" in response.headers["Vary"]


def test_signed_in_pages_are_never_stored_by_caches(client, world):
    login(client, world.a.buyer)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite_lax(client, world):
    response = client.post("/login", data={"email": world.a.buyer.email,
                                           "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_unknown_page_is_a_friendly_404_with_a_way_home(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Back to home" in response.get_data(as_text=True)


def test_errors_during_an_htmx_swap_go_to_the_alert_region(client):
    response = client.get("/no/such/page", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#alerts"
    assert "<html" not in response.get_data(as_text=True)


def test_oversized_request_gets_a_friendly_413(client):
    response = client.post("/password/forgot", data={"email": "x" * (9 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_missing_csrf_token_on_htmx_request_reloads_the_page(client):
    response = client.post("/password/forgot", data={"email": "a@b.example"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response.headers["HX-Refresh"] == "true"


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_missing_csrf_token_on_a_plain_form_gets_a_clear_page(client):
    response = client.post("/password/forgot", data={"email": "a@b.example"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_bundles_are_compressed_and_cached_for_a_year(app, client):
    html = client.get("/login").get_data(as_text=True)
    js = app.jinja_env.globals["bundle_js"]
    assert js in html
    response = client.get(js, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert b"htmx" in gzip.decompress(response.data)


def test_html_is_compressed_for_browsers_that_accept_it(client):
    response = client.get("/login", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<!doctype html>" in gzip.decompress(response.data)


def test_refuses_to_start_with_the_default_secret_key_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    config = base_config(SQLALCHEMY_DATABASE_URI="sqlite://")
    assert create_app(config).config["SECRET_KEY"] == "test-secret"
