"""A request that only read ends its transaction with COMMIT (psycopg then keeps its prepared statements);
anything that wrote, or failed, is still rolled back, so nothing a request left unfinished is committed."""

import pytest
from sqlalchemy import event, select, text, update

from walkthrough.access import public
from walkthrough.auth.models import User
from walkthrough.extensions import db


@pytest.fixture
def probe(make_app, make_user):
    """An app with routes that read, or change a person's name and then don't commit, and a record of
    how each request's transaction ended."""
    person = make_user(name="Before")
    extra = make_app()
    endings: list[str] = []
    loaded: list[User] = []

    def read():
        return db.session.scalar(select(User.name).where(User.id == person.id))

    def load():
        loaded.append(db.session.get(User, person.id))
        return "loaded"

    def change_unflushed():
        db.session.get(User, person.id).name = "Changed in memory"
        return "left without saving"

    def change_flushed():
        db.session.get(User, person.id).name = "Flushed"
        db.session.flush()
        return "left without committing"

    def change_by_statement():
        db.session.execute(update(User).where(User.id == person.id).values(name="By statement"))
        return "left without committing"

    def change_then_fail():
        db.session.get(User, person.id).name = "Failed"
        db.session.flush()
        raise RuntimeError("after the write")

    for view in (read, load, change_unflushed, change_flushed, change_by_statement, change_then_fail):
        extra.add_url_rule(f"/probe/{view.__name__}", view.__name__, public(view))
    with extra.app_context():
        event.listen(db.engine, "commit", lambda connection: endings.append("commit"))
        event.listen(db.engine, "rollback", lambda connection: endings.append("rollback"))
    extra.loaded = loaded
    return extra, person, endings


def name_of(person) -> str:
    db.session.expire_all()
    return db.session.scalar(select(User.name).where(User.id == person.id))


def test_a_request_that_only_read_commits(probe):
    extra, person, endings = probe
    response = extra.test_client().get("/probe/read")
    assert response.get_data(as_text=True) == "Before"
    assert endings == ["commit"]


def test_what_a_request_loaded_stays_readable_after_it_ends(probe):
    """A streamed download reads its rows after the request's teardown: committing mustn't expire them."""
    extra, person, endings = probe
    assert extra.test_client().get("/probe/load").status_code == 200
    assert endings == ["commit"]
    assert extra.loaded[0].name == "Before"


@pytest.mark.parametrize("route", ["change_unflushed", "change_flushed", "change_by_statement"])
def test_a_request_that_changed_anything_without_committing_is_rolled_back(probe, route):
    extra, person, endings = probe
    assert extra.test_client().get(f"/probe/{route}").status_code == 200
    assert endings == ["rollback"]
    assert name_of(person) == "Before"


def test_a_request_that_failed_after_writing_is_rolled_back(probe):
    extra, person, endings = probe
    extra.config["PROPAGATE_EXCEPTIONS"] = False
    assert extra.test_client().get("/probe/change_then_fail").status_code == 500
    assert "commit" not in endings
    assert name_of(person) == "Before"


def test_on_postgresql_a_page_read_often_is_prepared_once(probe, backend):
    if backend != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    extra, person, endings = probe
    client = extra.test_client()
    for _ in range(6):  # psycopg prepares a statement on its fifth run on a connection
        assert client.get("/probe/read").get_data(as_text=True) == "Before"
    with extra.app_context():
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
        plans = db.session.scalar(text("SHOW plan_cache_mode"))
    assert any("FROM users" in statement for statement in prepared)
    assert plans == "force_custom_plan"  # planned for each run's own values, as an unprepared query is
