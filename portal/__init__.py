"""The B2B ordering portal: create_app() builds a configured Flask application."""

import os
from pathlib import Path

from flask import Flask

from portal import config as config_module

PACKAGE_DIR = Path(__file__).resolve().parent


def create_app(test_config: dict | None = None) -> Flask:
    """Settings come from defaults, then instance/config.py, then PORTAL_* variables."""
    instance_path = os.environ.get("PORTAL_INSTANCE_PATH") or str(Path.cwd() / "instance")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_object(config_module.Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config_module.from_environment(current=app.config))
        unknown = config_module.unknown_variables(app.config)
    else:
        app.config.update(test_config)
        unknown = []
    _check_secret_key(app)
    config_module.check_settings(app.config)
    _configure_database(app)

    from portal import (
        assets,
        database,
        errors,
        i18n,
        layout,
        logs,
        memory,
        monitoring,
        security,
        ui,
        web,
        worker,
    )
    from portal.extensions import csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    database.init_app(app)  # after db: its teardown runs first
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    logs.init_app(app)
    web.init_app(app)
    monitoring.init_app(app)
    worker.init_app(app)
    ui.init_app(app)
    layout.init_app(app)
    login_manager.init_app(app)

    from portal.blueprints import register_blueprints

    register_blueprints(app)
    security.check_limits_where_they_apply(app)  # after the blueprints: it reads their limits
    memory.init_app(app)  # last: it wraps the finished app and freezes what it holds
    for variable in unknown:
        app.logger.warning("%s names no setting: ignored", variable)
    return app


def _check_secret_key(app: Flask) -> None:
    if app.config["SECRET_KEY"] == config_module.DEFAULT_SECRET_KEY and not (
        app.debug or app.testing or os.environ.get("PORTAL_DEMO") == "1"
    ):
        raise RuntimeError(
            "Refusing to start with the default SECRET_KEY: set PORTAL_SECRET_KEY "
            "or SECRET_KEY in instance/config.py."
        )


def _configure_database(app: Flask) -> None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config["DATABASE_URL"]
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'portal.sqlite3'}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg 3 is the driver we ship.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    # A copy: the default dict is shared by every app built in this process.
    opts = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("sqlite"):
        opts.setdefault("connect_args", {"timeout": 15})
    else:
        # No pool_pre_ping: portal/database.py checks only connections that sat idle.
        opts.setdefault("pool_pre_ping", False)
    if url.startswith("postgresql+psycopg://"):
        # Prepared only when a statement asks for it (database.prepared).
        from portal.database import NEVER_BY_COUNT

        opts["connect_args"] = {"prepare_threshold": NEVER_BY_COUNT,
                                **opts.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = opts
