"""API test helpers: a client holding a token with given scopes, JSON calls with it."""

from datetime import UTC, datetime

import pytest

from portal import create_app
from portal.extensions import db
from portal.services import integration
from tests.conftest import _truncate_all, base_config


class Caller:
    """Calls /api/v1 with one bearer token."""

    def __init__(self, http, token: str):
        self.http, self.token = http, token

    def headers(self, extra=None) -> dict:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, path, **kw):
        return self.http.get(path, headers=self.headers(kw.pop("headers", None)), **kw)

    def send(self, method, path, body=None, *, raw=None, headers=None, **kw):
        extra = {"Content-Type": "application/json", **(headers or {})}
        if raw is None:
            return self.http.open(path, method=method, json=body, headers=self.headers(headers),
                                  **kw)
        return self.http.open(path, method=method, data=raw, headers=self.headers(extra), **kw)

    def post(self, path, body=None, **kw):
        return self.send("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.send("PUT", path, body, **kw)


@pytest.fixture
def make_caller(app):
    """make_caller(*scopes, company=None, name=None) -> Caller with a fresh client's token."""
    counter = iter(range(1, 10_000))

    def make(*scopes, company=None, name=None):
        client, token = integration.create_client(
            name or f"client-{next(counter)}", scopes or integration.SELLER_SCOPES,
            company_id=company.id if company else None, now=datetime.now(UTC))
        db.session.commit()
        caller = Caller(app.test_client(), token)
        caller.client = client
        return caller

    return make


@pytest.fixture
def pg_app(request):
    """An app of its own on PostgreSQL, for races between real connections."""
    url = request.getfixturevalue("_pg_schema")  # skips without PostgreSQL (fails under CI)
    application = create_app(base_config(SQLALCHEMY_DATABASE_URI=url))
    with application.app_context():
        _truncate_all()
        yield application
        db.session.remove()
        _truncate_all()
        db.engine.dispose()


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.data[:800]
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"]
    if code:
        assert body.get("code") == code, body
    return body
