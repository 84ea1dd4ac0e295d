"""What a request writes commits all together or not at all, and on PostgreSQL a request that only reads opens
no transaction: BEGIN goes out before the first statement that writes or locks (walkthrough/transactions.py)."""

import pytest
from psycopg.errors import LockNotAvailable
from psycopg.pq import TransactionStatus
from sqlalchemy import event, select, text, update
from sqlalchemy.exc import OperationalError

from tests.conftest import PASSWORD
from walkthrough.access import public
from walkthrough.auth.models import Role, User
from walkthrough.extensions import db
from walkthrough.transactions import needs_transaction


@pytest.fixture
def probe(make_app, make_user):
    """An app with routes that read, lock, or change a person's name and then don't commit, and the
    transaction state PostgreSQL reported after each statement: "idle" (none open) or "in" one."""
    person = make_user(name="Before")
    extra = make_app()
    states: list[tuple[str, str]] = []
    loaded: list[User] = []
    seen_by_another: list[str] = []

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

    def change_twice_then_fail():
        db.session.execute(update(User).where(User.id == person.id).values(email="changed@example.org"))
        db.session.get(User, person.id).name = "Failed"
        db.session.flush()
        raise RuntimeError("after the writes")

    def change_and_commit():
        db.session.scalar(select(User.name).where(User.id == person.id))
        db.session.execute(update(User).where(User.id == person.id).values(name="Committed"))
        db.session.commit()
        return "saved"

    def lock_then_look():
        """Lock the person's row, then ask from another connection whether it can lock it too."""
        db.session.scalar(select(User.id).where(User.id == person.id).with_for_update())
        with db.engine.connect() as other:
            try:
                other.execute(text("SELECT id FROM users WHERE id = :id FOR UPDATE NOWAIT"), {"id": person.id})
                seen_by_another.append("free")
            except OperationalError as error:
                seen_by_another.append("locked" if isinstance(error.orig, LockNotAvailable) else repr(error))
        return "looked"

    views = (read, load, change_unflushed, change_flushed, change_by_statement, change_twice_then_fail)
    for view in views + (change_and_commit, lock_then_look):
        extra.add_url_rule(f"/probe/{view.__name__}", view.__name__, public(view))
    with extra.app_context():
        engine = db.engine

    @event.listens_for(engine, "after_cursor_execute")
    def _note_state(connection, cursor, statement, parameters, context, executemany):
        status = getattr(getattr(cursor.connection, "pgconn", None), "transaction_status", None)
        if status is not None:
            states.append((statement.split()[0].upper(), "idle" if status == TransactionStatus.IDLE else "in"))

    extra.loaded = loaded
    extra.seen_by_another = seen_by_another
    return extra, person, states


def stored(person) -> tuple[str, str]:
    db.session.expire_all()
    return db.session.execute(select(User.name, User.email).where(User.id == person.id)).one()._tuple()


def test_what_a_request_loaded_stays_readable_after_it_ends(probe):
    """A streamed download reads its rows after the request's teardown."""
    extra, person, states = probe
    assert extra.test_client().get("/probe/load").status_code == 200
    assert extra.loaded[0].name == "Before"


@pytest.mark.parametrize("route", ["change_unflushed", "change_flushed", "change_by_statement"])
def test_a_request_that_changed_anything_without_committing_is_rolled_back(probe, route):
    extra, person, states = probe
    assert extra.test_client().get(f"/probe/{route}").status_code == 200
    assert stored(person)[0] == "Before"


def test_a_request_that_failed_after_writing_keeps_none_of_its_writes(probe):
    extra, person, states = probe
    email = person.email
    extra.config["PROPAGATE_EXCEPTIONS"] = False
    assert extra.test_client().get("/probe/change_twice_then_fail").status_code == 500
    assert stored(person) == ("Before", email)


def test_a_request_that_commits_keeps_its_write(probe):
    extra, person, states = probe
    assert extra.test_client().get("/probe/change_and_commit").status_code == 200
    assert stored(person)[0] == "Committed"


def test_on_postgresql_a_request_that_only_reads_opens_no_transaction(probe, backend):
    if backend != "postgresql":
        pytest.skip("SQLite keeps its driver's own transactions")
    extra, person, states = probe
    client = extra.test_client()
    assert client.get("/probe/read").get_data(as_text=True) == "Before"
    assert ("SELECT", "idle") in states
    assert all(state == "idle" for _, state in states), states


def test_on_postgresql_a_transaction_opens_at_the_first_write_and_holds_what_follows(probe, backend):
    if backend != "postgresql":
        pytest.skip("SQLite keeps its driver's own transactions")
    extra, person, states = probe
    extra.config["PROPAGATE_EXCEPTIONS"] = False
    extra.test_client().get("/probe/change_twice_then_fail")
    first_write = next(i for i, (verb, _) in enumerate(states) if verb != "SELECT")
    assert states[first_write] == ("UPDATE", "in")
    assert all(state == "idle" for _, state in states[:first_write]), states
    assert all(state == "in" for _, state in states[first_write:]), states


def test_on_postgresql_a_row_lock_is_held_until_the_request_ends(probe, backend):
    if backend != "postgresql":
        pytest.skip("NOWAIT and row locks are PostgreSQL's")
    extra, person, states = probe
    client = extra.test_client()
    assert client.get("/probe/lock_then_look").status_code == 200
    assert extra.seen_by_another == ["locked"]
    assert client.get("/probe/lock_then_look").status_code == 200  # released when that request ended
    assert extra.seen_by_another == ["locked", "locked"]


def test_on_postgresql_a_signed_in_page_opens_no_transaction(probe, backend, make_user, make_school):
    if backend != "postgresql":
        pytest.skip("SQLite keeps its driver's own transactions")
    extra, person, states = probe
    teacher = make_user(Role.TEACHER, school=make_school())
    client = extra.test_client()
    assert client.post("/auth/login", data={"email": teacher.email, "password": PASSWORD}).status_code == 302
    for page in ("/", "/visits/", "/observations/"):
        states.clear()
        assert client.get(page).status_code == 200, page
        assert states and all(state == "idle" for _, state in states), (page, states)


def test_on_postgresql_a_page_read_often_is_prepared_once(probe, backend):
    if backend != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    extra, person, states = probe
    client = extra.test_client()
    for _ in range(6):  # psycopg prepares a statement on its fifth run on a connection
        assert client.get("/probe/read").get_data(as_text=True) == "Before"
    with extra.app_context():
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM users" in statement for statement in prepared)


@pytest.mark.parametrize(
    ("statement", "needs"),
    [
        ("SELECT users.id FROM users WHERE users.id = %(id)s", False),
        ("\n  select 1", False),
        ("SELECT users.id FROM users WHERE users.id = %(id)s FOR UPDATE", True),
        ("SELECT id FROM users FOR NO KEY UPDATE OF users", True),
        ("SELECT id FROM users FOR SHARE", True),
        ("INSERT INTO users (name) VALUES (%(name)s) RETURNING users.id", True),
        ("UPDATE users SET name=%(name)s", True),
        ("DELETE FROM users", True),
        ("SAVEPOINT sa_savepoint_1", True),
        ("WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone", True),
    ],
)
def test_what_needs_a_transaction(statement, needs):
    assert needs_transaction(statement) is needs
