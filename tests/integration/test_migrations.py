"""The schema comes from the Alembic migrations: they must build exactly what the models say."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from portal import create_app
from portal.extensions import db
from portal.models.base import exists_on
from tests.conftest import PG_URL, base_config


def _differences(app):
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            dialect = connection.dialect.name
            context = MigrationContext.configure(
                connection, opts={"compare_type": True,
                                  "include_object": lambda obj, name, kind, reflected, other:
                                      exists_on(obj, dialect),
                                  "include_name": lambda name, kind, parent: not (
                                      kind == "table" and name and name.startswith("product_fts"))})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    return diff


def test_migrations_build_the_models_schema_on_sqlite(tmp_path):
    app = create_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.db'}"))
    assert _differences(app) == []


def test_migrations_build_the_models_schema_on_postgresql():
    if not PG_URL:
        pytest.skip("PORTAL_TEST_DATABASE_URL not set")
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS portal_migration_check WITH (FORCE)"))
        connection.execute(text("CREATE DATABASE portal_migration_check"))
    admin.dispose()
    url = PG_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(base_config(SQLALCHEMY_DATABASE_URI=f"{url}/portal_migration_check"))
    assert _differences(app) == []
