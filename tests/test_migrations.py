"""The schema comes from Alembic migrations, and they match the models exactly."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from tests.conftest import POSTGRES_URL, base_test_config
from walkthrough import create_app
from walkthrough.config import normalise_database_url
from walkthrough.extensions import db


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgres",
            marks=pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL tests need WALKTHROUGH_TEST_POSTGRES_URL"),
        ),
    ]
)
def empty_database(request, tmp_path):
    """A brand-new, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    server = create_engine(normalise_database_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    name = f"walkthrough_migrations_{uuid.uuid4().hex[:10]}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.url.set(database=name).render_as_string(hide_password=False)
    yield url
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def test_an_empty_database_upgrades_to_head_matching_the_models(empty_database):
    app = create_app(base_test_config(empty_database))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata
            )
            tables = set(inspect(connection).get_table_names())
        assert differences == []
        assert {"users", "role_grants", "schools", "bell_periods", "period_assignments"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()


def test_yesterdays_database_upgrades_with_its_data(empty_database):
    """A database created by the first release, with people in it, upgrades to head intact."""
    app = create_app(base_test_config(empty_database))
    with app.app_context():
        upgrade(revision="0001_initial")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (email, name, session_token, subjects, grade_band, is_active_account, "
                    "created_at) "
                    "VALUES ('kept@school.example', 'Kept Person', 'tok', '', '', true, '2026-09-01 08:00:00')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM users")).scalar_one() == "Kept Person"
            assert connection.execute(text("SELECT count(*) FROM protocols WHERE slug IS NOT NULL")).scalar_one() == 5
        db.engine.dispose()
