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


def test_observations_from_before_reports_get_their_school_and_local_day(empty_database):
    """A visit at 5:30 pm in Denver on 30 September is 1 October in UTC; reports must count it in September."""
    app = create_app(base_test_config(empty_database))
    with app.app_context():
        upgrade(revision="0006_coverage_plans")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO schools (id, name, level, region, timezone, rotation, year_first_day, year_last_day, "
                    "address, release_minutes_default, weekly_cover_cap, requires_visit_approval) VALUES "
                    "(1, 'Mesa High', 'high', 'West', 'America/Denver', 'weekly', '2026-08-17', '2027-05-28', '', "
                    "480, 3, false)"
                )
            )
            for user_id, email, school in ((1, "host@school.example", 1), (2, "visitor@school.example", None)):
                connection.execute(
                    text(
                        "INSERT INTO users (id, email, name, session_token, school_id, subjects, grade_band, "
                        "is_active_account, created_at, calendar_token, cover_lock) VALUES "
                        "(:id, :email, :email, :email, :school, '', '', true, '2026-09-01 08:00:00', :email, 0)"
                    ),
                    {"id": user_id, "email": email, "school": school},
                )
            version_id = connection.execute(text("SELECT min(id) FROM protocol_versions")).scalar_one()
            connection.execute(
                text(
                    "INSERT INTO observations (observer_id, host_id, protocol_version_id, focus_question, started_at, "
                    "host_reply, created_at) VALUES (2, 1, :version, '', '2026-10-01 00:30:00', '', "
                    "'2026-10-01 00:30:00')"
                ),
                {"version": version_id},
            )
        upgrade()
        with db.engine.connect() as connection:
            school_id, day = connection.execute(text("SELECT school_id, day FROM observations")).one()
        assert school_id == 1
        assert str(day) == "2026-09-30"
        db.engine.dispose()


def test_cover_months_counted_before_minutes_are_counted_again(empty_database):
    """0025 adds cover minutes to the roll-ups: months counted before it are marked stale, so the next dashboard
    or export counts their minutes instead of showing none."""
    app = create_app(base_test_config(empty_database))
    with app.app_context():
        upgrade(revision="0024_rollups")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO rollup_school_cover VALUES (1, 24309, 3, 2), (2, 24310, 1, 0)"))
            connection.execute(text("INSERT INTO rollup_stale VALUES ('school', 1, 24309)"))
        upgrade()
        with db.engine.connect() as connection:
            stale = connection.execute(text("SELECT kind, key_id, month FROM rollup_stale ORDER BY key_id")).all()
            minutes = connection.execute(text("SELECT minutes FROM rollup_school_cover")).scalars().all()
        assert [tuple(row) for row in stale] == [("school", 1, 24309), ("school", 2, 24310)]
        assert minutes == [0, 0]
        db.engine.dispose()
