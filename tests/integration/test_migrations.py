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


def test_words_migration_keeps_old_timeline_text_and_names_old_lines_in_english(tmp_path):
    """Rows written before event codes keep their text; old lines get the English name."""
    from flask_migrate import upgrade as upgrade_to
    from sqlalchemy import text

    app = create_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'w.db'}"))
    now = "2026-03-02 08:00:00.000000"
    with app.app_context():
        upgrade_to(revision="8d3f0a6c2b19")
        with db.engine.begin() as connection:
            connection.execute(text("PRAGMA foreign_keys=OFF"))
            connection.execute(text(
                "INSERT INTO products (id, sku, name_fr, name_en, description_fr, description_en,"
                " brand, category_id, uom, case_pack, order_multiple, lead_time_days,"
                " discontinued, active, search_text, updated_at) VALUES (1, 'CIM-35',"
                " 'Ciment 35 kg', 'Cement 35 kg', '', '', '', 1, 'bag', 40, 40, 2, 0, 1, '',"
                " :now)"), {"now": now})
            connection.execute(text(
                "INSERT INTO orders (id, number, company_id, ship_to, site_contact,"
                " delivery_window, delivery_notes, placed_by_id, po_number, notes, payment_terms,"
                " currency, subtotal_cents, tax_cents, total_cents, status, content_version,"
                " placed_at, updated_at, search_text) VALUES (1, 'C1', 1, '', '', '', '', 1, '',"
                " '', 'net30', 'EUR', 0, 0, 0, 'confirmed', 1, :now, :now, '')"), {"now": now})
            connection.execute(text(
                "INSERT INTO order_lines (id, order_id, position, product_id, sku, name, quantity,"
                " unit_price_cents, line_total_cents, note, shipped_qty, backordered_qty)"
                " VALUES (1, 1, 0, 1, 'CIM-35', 'Ciment 35 kg', 40, 850, 34000, '', 0, 0)"))
            connection.execute(text(
                "INSERT INTO order_events (id, order_id, at, kind, status, message) VALUES"
                " (1, 1, :now, 'status', 'confirmed', 'Commande confirmée (LYO).')"),
                {"now": now})
        upgrade_to()
        with db.engine.connect() as connection:
            line = connection.execute(text("SELECT name, name_en FROM order_lines")).one()
            event = connection.execute(text("SELECT code, params, message FROM order_events")
                                       ).one()
            kind = connection.execute(text("SELECT pack_kind FROM products")).scalar_one()
        db.engine.dispose()
    assert tuple(line) == ("Ciment 35 kg", "Cement 35 kg")
    assert tuple(event) == (None, None, "Commande confirmée (LYO).")
    assert kind == "case"
