"""Sentry is optional: loaded only when SENTRY_DSN is set, and never sends personal data."""

import sys
import types

import pytest

from portal import create_app
from portal.extensions import db
from tests.conftest import base_config


def _app(tmp_path, **settings):
    return create_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 's.db'}",
                                  **settings))


@pytest.fixture
def fake_sentry(monkeypatch):
    calls = {}
    sdk = types.ModuleType("sentry_sdk")
    sdk.init = lambda **kwargs: calls.update(kwargs)
    integrations = types.ModuleType("sentry_sdk.integrations")
    flask_integration = types.ModuleType("sentry_sdk.integrations.flask")
    flask_integration.FlaskIntegration = type("FlaskIntegration", (), {})
    monkeypatch.setitem(sys.modules, "sentry_sdk", sdk)
    monkeypatch.setitem(sys.modules, "sentry_sdk.integrations", integrations)
    monkeypatch.setitem(sys.modules, "sentry_sdk.integrations.flask", flask_integration)
    return calls


def test_without_a_dsn_sentry_is_not_even_imported(tmp_path, fake_sentry):
    _app(tmp_path)
    assert fake_sentry == {}


def test_a_dsn_starts_sentry_without_personal_data_and_tags_events(tmp_path, fake_sentry):
    app = _app(tmp_path, SENTRY_DSN="https://key@sentry.example/1", SENTRY_ENVIRONMENT="staging")
    assert fake_sentry["dsn"] == "https://key@sentry.example/1"
    assert fake_sentry["environment"] == "staging"
    assert fake_sentry["send_default_pii"] is False
    with app.app_context():
        db.create_all()  # every request reads which storefront it is for
    with app.test_request_context("/", headers={"X-Request-Id": "rid-sentry"}):
        app.preprocess_request()
        event = fake_sentry["before_send"]({"message": "boom"}, {})
    assert event["tags"]["request_id"] == "rid-sentry"


def test_a_dsn_without_the_package_stops_the_start_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # import fails as if not installed
    with pytest.raises(RuntimeError, match=r"pip install 'portal\[sentry\]'"):
        _app(tmp_path, SENTRY_DSN="https://key@sentry.example/1")
