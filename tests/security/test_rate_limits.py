"""Rate limits stay in force where the limiter's per-request hook is skipped
(security.check_limits_where_they_apply): the hook runs only in blueprints that carry limits,
unless the deployment sets a limit for every request."""

import pytest

from portal.extensions import db, limiter
from tests.conftest import _make_app, base_config


def test_a_limit_set_for_every_request_still_answers_429_on_any_page(tmp_path):
    url = f"sqlite:///{tmp_path / 'limits.sqlite3'}"
    app = _make_app(base_config(SQLALCHEMY_DATABASE_URI=url, RATELIMIT_DEFAULT="2 per minute"))
    try:
        with app.app_context():
            db.create_all()
            client = app.test_client()
            answers = [client.get("/healthz").status_code for _ in range(3)]
            assert answers == [200, 200, 429]
    finally:
        # The limiter is one object for every app of this process: the next app starts clean.
        limiter.limit_manager.set_default_limits([])
        limiter.reset()


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_pages_outside_the_limited_blueprints_never_use_up_the_api_limit(app, client):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    answers = [client.get("/healthz").status_code for _ in range(5)]
    assert answers == [200] * 5
    api = [client.get("/api/v1/me").status_code for _ in range(3)]
    assert api == [401, 401, 429]  # the API's own limit, per client, still applies
