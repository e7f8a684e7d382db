"""The PostgreSQL app the race tests share: its own engine, so each thread gets a session."""

import pytest

from portal import create_app
from portal.extensions import db
from tests.conftest import _truncate_all, base_config


@pytest.fixture
def pg_app(request):
    url = request.getfixturevalue("_pg_schema")  # skips without PostgreSQL (fails under CI)
    app = create_app(base_config(SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        _truncate_all()
        yield app
        db.session.remove()
        _truncate_all()
        db.engine.dispose()
