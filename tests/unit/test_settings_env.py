"""Any setting can come from a PORTAL_<NAME> variable, read as the type of its default."""

import logging
from datetime import timedelta

import pytest

from portal import config
from portal.config import SettingError, from_environment, unknown_variables


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", True), ("true", True), ("Yes", True), (" on ", True),
    ("0", False), ("false", False), ("NO", False), ("off", False), ("", False),
])
def test_booleans_read_the_usual_words(raw, expected):
    found = from_environment({"PORTAL_PUBLIC_CATALOG": raw})
    assert found == {"PUBLIC_CATALOG": expected}


def test_a_boolean_that_is_no_known_word_stops_the_start_naming_the_variable():
    with pytest.raises(SettingError, match="PORTAL_SESSION_COOKIE_SECURE='flase'"):
        from_environment({"PORTAL_SESSION_COOKIE_SECURE": "flase"})


def test_integers_and_a_bad_integer():
    found = from_environment({"PORTAL_MAIL_PORT": " 2525 ",
                                              "PORTAL_ARGON2_TIME_COST": "4"})
    assert found == {"MAIL_PORT": 2525, "ARGON2_TIME_COST": 4}
    with pytest.raises(SettingError, match="PORTAL_MAIL_PORT"):
        from_environment({"PORTAL_MAIL_PORT": "25a"})


def test_lists_from_commas_or_a_json_array():
    found = from_environment({
        "PORTAL_SECRET_KEY_FALLBACKS": "old-key-2, old-key-1",
        "PORTAL_WTF_CSRF_HEADERS": '["X-CSRFToken", "X-Token,with-comma"]',
        "PORTAL_LANGUAGES": "fr,en,de",
    })
    assert found["SECRET_KEY_FALLBACKS"] == ["old-key-2", "old-key-1"]
    assert found["WTF_CSRF_HEADERS"] == ["X-CSRFToken", "X-Token,with-comma"]
    assert found["LANGUAGES"] == ("fr", "en", "de")


def test_dicts_from_json_and_durations_in_seconds():
    found = from_environment({
        "PORTAL_SQLALCHEMY_ENGINE_OPTIONS": '{"pool_size": 10, "max_overflow": 5}',
        "PORTAL_REMEMBER_COOKIE_DURATION": "3600",
        "PORTAL_RATELIMIT_KEY_PREFIX": "portal-b",
    })
    assert found == {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 5},
                     "REMEMBER_COOKIE_DURATION": timedelta(hours=1),
                     "RATELIMIT_KEY_PREFIX": "portal-b"}
    with pytest.raises(SettingError, match="JSON object"):
        from_environment({"PORTAL_SQLALCHEMY_ENGINE_OPTIONS": "[1]"})
    with pytest.raises(SettingError, match="SQLALCHEMY_ENGINE_OPTIONS"):
        from_environment({"PORTAL_SQLALCHEMY_ENGINE_OPTIONS": "pool_size=10"})


def test_unknown_names_are_reported_and_tool_variables_are_not():
    environ = {"PORTAL_MAIL_HOTS": "smtp.example.fr", "PORTAL_INSTANCE_PATH": "/srv/portal",
               "PORTAL_TEST_DATABASE_URL": "postgresql://x", "PORTAL_BIND": "0.0.0.0:80",
               "HOME": "/root"}
    assert from_environment(environ) == {}
    assert unknown_variables(config.defaults(), environ) == ["PORTAL_MAIL_HOTS"]


def test_the_app_reads_every_setting_from_the_environment(tmp_path, monkeypatch, caplog):
    """Through create_app, after the instance file: the variables win over the file."""
    from portal import create_app

    (tmp_path / "config.py").write_text('MAIL_PORT = 25\nRATELIMIT_KEY_PREFIX = "from-file"\n')
    for name, value in {
        "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "a-real-secret-key-for-this-test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'e.db'}", "MAIL_PORT": "2525",
        "RATELIMIT_KEY_PREFIX": "portal-b", "SECRET_KEY_FALLBACKS": "old-1,old-2",
        "PUBLIC_CATALOG": "off", "METRICS_TOKEN": "t0k", "LOG_FORMAT": "json",
        "MAIL_HOTS": "typo.example",
    }.items():
        monkeypatch.setenv(f"PORTAL_{name}", value)
    with caplog.at_level(logging.WARNING):
        app = create_app()
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["RATELIMIT_KEY_PREFIX"] == "portal-b"
    assert app.config["SECRET_KEY_FALLBACKS"] == ["old-1", "old-2"]
    assert app.config["PUBLIC_CATALOG"] is False
    assert (app.config["METRICS_TOKEN"], app.config["LOG_FORMAT"]) == ("t0k", "json")
    assert "PORTAL_MAIL_HOTS names no setting" in caplog.text


def test_secret_keys_lists_the_signing_key_first():
    assert config.secret_keys({"SECRET_KEY": "new", "SECRET_KEY_FALLBACKS": ["old"]}) == [
        "new", "old"]
    assert config.secret_keys({"SECRET_KEY": "new", "SECRET_KEY_FALLBACKS": None}) == ["new"]
