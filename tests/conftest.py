"""Fixtures shared by the suite. Every test that takes `app` runs once on SQLite and once on
PostgreSQL (when WALKTHROUGH_TEST_POSTGRES_URL is set; CI requires it)."""

import os
import secrets
import tempfile
from pathlib import Path

import pytest
from flask import g
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text
from werkzeug.security import generate_password_hash

os.environ.setdefault("WALKTHROUGH_SECRET_KEY", "test-" + secrets.token_hex(16))

from walkthrough import create_app  # noqa: E402
from walkthrough.config import normalise_database_url  # noqa: E402
from walkthrough.coverage.reasons import install_default_reasons  # noqa: E402
from walkthrough.extensions import db  # noqa: E402
from walkthrough.protocols.builtin import install_builtin_protocols  # noqa: E402
from walkthrough.walks.builtin import install_builtin_tools  # noqa: E402

pytest_plugins = [
    "tests.people_setup",
    "tests.survey_setup",
    "tests.coverage_setup",
    "tests.visit_setup",
    "tests.smtp_setup",
    "tests.oidc_setup",
    "tests.walk_setup",
]

POSTGRES_URL = os.environ.get("WALKTHROUGH_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("WALKTHROUGH_REQUIRE_POSTGRES") == "1"
PASSWORD = "correct horse battery"
# Hashing is deliberately slow; hash the shared test password once, not for every person made.
PASSWORD_HASH = generate_password_hash(PASSWORD)
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL tests need WALKTHROUGH_TEST_POSTGRES_URL"),
    ),
]


def pytest_configure(config):
    if REQUIRE_POSTGRES and not POSTGRES_URL:
        raise pytest.UsageError("WALKTHROUGH_REQUIRE_POSTGRES=1 but WALKTHROUGH_TEST_POSTGRES_URL is not set")


PHOTO_FOLDER = tempfile.mkdtemp(prefix="walkthrough-photos-")


def base_test_config(database_url: str) -> dict:
    return {
        "PHOTO_FOLDER": PHOTO_FOLDER,
        "PLANS_FOLDER": PHOTO_FOLDER + "-plans",
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SMTP_HOST": "",
        "QUEUE_URL": "memory://",
        "CACHE_TYPE": "NullCache",  # tests change data between requests; test_reports checks the cache
        "CACHE_NO_NULL_WARNING": True,
    }


def reset_postgres_schema(url: str) -> None:
    engine = create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def migrate_to_head(database_url: str) -> None:
    app = create_app(base_test_config(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


# pytest-xdist runs the suite in several processes (scripts/test); each gets a PostgreSQL database of its own.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_database(url: str) -> str:
    """The given database for a plain run; under xdist, a database beside it named for the worker."""
    if not XDIST_WORKER:
        return url
    given = make_url(url)
    name = f"{given.database}_{XDIST_WORKER}"
    server = create_engine(given, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


def _drop_worker_database(url: str) -> None:
    given = make_url(url)
    server = create_engine(given.set(database=make_url(normalise_database_url(POSTGRES_URL)).database))
    with server.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{given.database}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database migrated to head with Alembic, once per backend per run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'walkthrough.sqlite'}"
    else:
        url = _worker_database(normalise_database_url(POSTGRES_URL))
        reset_postgres_schema(url)
    migrate_to_head(url)
    yield url
    if request.param == "postgres" and XDIST_WORKER:
        _drop_worker_database(url)


def _empty_every_table() -> None:
    """Delete every row, children first, and start ids at 1 again. On PostgreSQL this is ten times faster
    than TRUNCATE of every table (0.03 s against 0.3 s a test), because the tables are small."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c "
                "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
            )
        )
    # SQLite's ids (no AUTOINCREMENT) start after the highest id left, so with every row gone, at 1.
    # The built-in protocols come with the schema (a data migration); put them back.
    install_builtin_protocols(db.session.connection())
    install_default_reasons(db.session.connection())
    install_builtin_tools(db.session.connection())
    db.session.commit()


def _fresh_g_for_each_request():
    # The test holds one app context open so it can use the database between requests, and
    # Flask reuses that context (and its `g`) for every request. Production gives each
    # request a new `g`; so must the tests, or one client's signed-in user leaks into another's.
    for name in list(g):
        g.pop(name)


@pytest.fixture(scope="session")
def shared_app(database_url):
    """One app per database for the whole run: building an app is 0.05 s, and most tests want the same one."""
    app = create_app(base_test_config(database_url))
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g_for_each_request)
    yield app
    with app.app_context():
        db.engine.dispose()


# Databases where a fixture kept rows after its test (a world built once for many tests that change
# nothing); the next test that wants an empty database empties it first.
LEFT_WITH_ROWS: set[str] = set()


@pytest.fixture
def app(shared_app):
    """The shared app with an empty database; settings a test changes are put back afterwards."""
    settings = dict(shared_app.config)
    with shared_app.app_context():
        if shared_app.config["SQLALCHEMY_DATABASE_URI"] in LEFT_WITH_ROWS:
            _empty_every_table()
            LEFT_WITH_ROWS.discard(shared_app.config["SQLALCHEMY_DATABASE_URI"])
        yield shared_app
        db.session.remove()
        _empty_every_table()
    shared_app.config.clear()
    shared_app.config.update(settings)


@pytest.fixture
def same_world(shared_app):
    """The permission world (tests/permission_world.py), built once per database for tests that change
    nothing (refusals, reading pages, junk input) and built again if one did. Use `shared_app` with it,
    not `app`, which empties the database."""
    from tests.permission_world import reused_world

    with shared_app.app_context():
        yield reused_world(shared_app)
        db.session.remove()


@pytest.fixture
def make_app(database_url):
    """Another app on the same database, with config overrides; its connections close afterwards."""
    from walkthrough.extensions import limiter

    made = []
    # Flask-Limiter keeps one app's settings on the extension object itself (enabled, storage); another app
    # with limits on would leave them on for the shared app, so they are put back afterwards.
    limiter_state = dict(vars(limiter))

    def make(**overrides):
        extra = create_app(base_test_config(database_url) | overrides)
        made.append(extra)
        return extra

    yield make
    for extra in made:
        with extra.app_context():
            db.engine.dispose()
    vars(limiter).clear()
    vars(limiter).update(limiter_state)


@pytest.fixture
def backend(app) -> str:
    return db.engine.dialect.name


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


PROJECT_ROOT = Path(__file__).resolve().parent.parent


def pytest_terminal_summary(terminalreporter):
    """Say plainly which parts of the suite did not run on this machine."""
    reasons = [
        str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        for report in terminalreporter.stats.get("skipped", [])
    ]
    for topic, needle in (
        ("Browser", "Chromium not found"),
        ("PostgreSQL", "WALKTHROUGH_TEST_POSTGRES_URL"),
        ("HTML checker", "Nu HTML checker"),
    ):
        skipped = [reason for reason in reasons if needle in reason]
        if skipped:
            terminalreporter.write_line(
                f"NOTE: {topic} tests were skipped ({len(skipped)}): {skipped[0].removeprefix('Skipped: ')}",
                yellow=True,
                bold=True,
            )


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counted: ...` then `counted.n` is the number of SQL statements run, on
    any engine: an app from `make_app` has its own."""
    from contextlib import contextmanager

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    class Counter:
        n = 0

    @contextmanager
    def counting():
        counter = Counter()

        def count(*_args, **_kwargs):
            counter.n += 1

        event.listen(Engine, "before_cursor_execute", count)
        try:
            yield counter
        finally:
            event.remove(Engine, "before_cursor_execute", count)

    return counting
