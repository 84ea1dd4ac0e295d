"""Signed-in people kept between requests (walkthrough/auth/kept.py): two app processes share the database and
Redis, as two gunicorn workers do. Whatever changes who someone is, what they may do or whether their session
still stands, committed through either process and however it was written, is seen by the other on its next
request."""

import uuid
from datetime import timedelta

import pytest
import redis
from sqlalchemy import delete, event, select, update
from sqlalchemy.engine import Engine

from tests.conftest import PASSWORD
from walkthrough.auth import kept, sessions
from walkthrough.auth.models import DeviceSession, Role, User
from walkthrough.db_types import utcnow
from walkthrough.extensions import cache, db
from walkthrough.schools.models import School

STORE = "redis://127.0.0.1:6379/15"


@pytest.fixture
def two_processes(make_app):
    prefix = f"walkthrough-test-{uuid.uuid4().hex}"  # other test processes use the same Redis
    # On SQLite too (where it is off unless asked for), so both databases' sessions are shown to keep the rules.
    shared = dict(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=STORE, CACHE_KEY_PREFIX=prefix, KEEP_SIGN_INS=True)
    yield make_app(**shared), make_app(**shared)
    store = redis.Redis.from_url(STORE)
    for key in store.scan_iter(f"{prefix}*"):
        store.delete(key)


@pytest.fixture
def sign_in_reads():
    """How many times the sign-in statement was sent since the test began (it reads a session by its token)."""
    sent = []

    def note(_conn, _cursor, statement, *_args):
        sent.extend(["sign-in"] if "device_sessions.token_hash = " in statement else [])

    event.listen(Engine, "before_cursor_execute", note)
    yield sent
    event.remove(Engine, "before_cursor_execute", note)


def signed_in(app, person):
    client = app.test_client()
    assert client.post("/auth/login", data={"email": person.email, "password": PASSWORD}).status_code == 302
    return client


def kept_by(client, sign_in_reads) -> None:
    """Asked until the process keeps the person: the first request learns whose token it is, the second keeps
    them under stamps read before the database; the third reads nothing."""
    for _ in range(2):
        assert client.get("/account").status_code == 200
    before = len(sign_in_reads)
    assert client.get("/account").status_code == 200
    assert len(sign_in_reads) == before


def kept_teacher(two_processes, make_user, sign_in_reads):
    """A teacher signed in through the first process, which keeps them: (that process, the teacher, the client)."""
    first, _ = two_processes
    person = make_user(Role.TEACHER)
    client = signed_in(first, person)
    kept_by(client, sign_in_reads)
    return first, person, client


def change(app, work) -> None:
    with app.app_context():
        work()
        db.session.commit()


def test_a_kept_person_is_the_same_person_and_sends_no_sign_in_statement(
    two_processes, make_user, make_school, sign_in_reads
):
    first, _ = two_processes
    school = make_school("Riverside Middle")
    teacher = make_user(Role.TEACHER, Role.COACH, name="Maya Ortiz", school=school)
    client = signed_in(first, teacher)
    kept_by(client, sign_in_reads)

    page = client.get("/account").get_data(as_text=True)
    assert "Maya Ortiz" in page and "Riverside Middle" in page
    assert client.get("/coaching/").status_code == 200  # roles came along

    # A kept person is a row the session knows: changing them writes an UPDATE.
    renamed = client.post("/account", data={"profile-name": "Maya Ortiz-Reyes", "profile-submit": "y"})
    assert renamed.status_code == 302
    with first.app_context():
        assert db.session.scalar(select(User.name).where(User.id == teacher.id)) == "Maya Ortiz-Reyes"


def _deactivate(person_id):
    def work():
        db.session.get(User, person_id).is_active_account = False

    return work


def _remove_coach(person_id):
    def work():
        db.session.get(User, person_id).set_roles({Role.TEACHER})

    return work


def _end_sessions_by_script(_person_id):
    def work():
        db.session.execute(delete(DeviceSession))  # a bulk statement names nobody: everyone is read again

    return work


def _sign_out_everywhere(person_id):
    def work():
        sessions.end_sessions(db.session.get(User, person_id))

    return work


@pytest.mark.parametrize(
    "how",
    [_deactivate, _remove_coach, _end_sessions_by_script, _sign_out_everywhere],
    ids=["deactivated", "coach role removed", "sessions deleted by a script", "signed out everywhere"],
)
def test_a_change_through_one_process_refuses_the_next_request_in_the_other(
    two_processes, make_user, sign_in_reads, how
):
    first, second = two_processes
    person = make_user(Role.TEACHER, Role.COACH)
    client = signed_in(second, person)
    kept_by(client, sign_in_reads)
    assert client.get("/coaching/").status_code == 200

    change(first, how(person.id))

    answer = client.get("/coaching/")
    assert answer.status_code in (302, 403)
    if answer.status_code == 302:
        assert "/auth/login" in answer.headers["Location"]


def test_names_and_schools_changed_elsewhere_show_at_once(two_processes, make_user, make_school, sign_in_reads):
    first, second = two_processes
    school = make_school("Riverside Middle")
    person = make_user(Role.TEACHER, name="Sam Rivera", school=school)
    client = signed_in(second, person)
    kept_by(client, sign_in_reads)

    change(first, lambda: setattr(db.session.get(School, school.id), "name", "Riverside Middle School"))
    assert "Riverside Middle School" in client.get("/account").get_data(as_text=True)

    kept_by(client, sign_in_reads)
    change(first, lambda: db.session.execute(update(User).where(User.id == person.id).values(name="Samuel Rivera")))
    assert "Samuel Rivera" in client.get("/account").get_data(as_text=True)


def test_a_kept_session_still_ends_when_idle_and_is_still_marked_seen(
    two_processes, make_user, sign_in_reads, monkeypatch
):
    first, person, client = kept_teacher(two_processes, make_user, sign_in_reads)

    later = utcnow() + sessions.TOUCH_EVERY + timedelta(minutes=1)
    monkeypatch.setattr(sessions, "utcnow", lambda: later)
    assert client.get("/account").status_code == 200
    with first.app_context():
        seen_at = db.session.scalar(select(DeviceSession.last_seen_at).where(DeviceSession.user_id == person.id))
    assert seen_at == later  # written by the database path, not skipped by the kept one

    much_later = later + timedelta(days=2)  # past the idle limit of a session not remembered
    monkeypatch.setattr(sessions, "utcnow", lambda: much_later)
    answer = client.get("/account")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_signing_out_in_one_process_ends_the_cookie_in_the_other(two_processes, make_user, sign_in_reads):
    first, second = two_processes
    person = make_user(Role.TEACHER)
    browser = signed_in(first, person)
    kept_by(browser, sign_in_reads)
    # The same cookie sent to the other process (a load balancer's next choice), which keeps it too.
    other = second.test_client()
    other.set_cookie("session", browser.get_cookie("session").value)
    kept_by(other, sign_in_reads)

    assert browser.post("/auth/logout").status_code == 302
    answer = other.get("/account")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_every_page_answers_a_kept_person_as_it_answers_one_read_from_the_database(
    shared_app, same_world, two_processes, sign_in_reads
):
    """The permission matrix's reads, asked by people the process has kept: every page's decision about who may
    see it is the same whether the person came from the database or from what was kept."""
    from tests.permission_world import KINDS, sign_in_as, url_in_world
    from tests.test_permission_matrix import MATRIX, READS, _was_allowed

    kept_app, _ = two_processes
    for kind in KINDS[1:]:  # everyone but the anonymous visitor
        client = kept_app.test_client()
        sign_in_as(client, same_world.people[kind])
        kept_by(client, sign_in_reads)
        before = len(sign_in_reads)
        for endpoint, method in READS:
            allowed, _ = MATRIX[(endpoint, method)]
            response = client.get(url_in_world(kept_app, endpoint, same_world.ids))
            response.close()
            assert _was_allowed(endpoint, response) == (kind in allowed), (kind, endpoint, response.status_code)
        assert len(sign_in_reads) == before, f"{kind} was read from the database again"


def test_a_change_written_outside_the_app_is_seen_when_what_was_kept_lapses(
    two_processes, make_user, sign_in_reads, monkeypatch
):
    first, _, client = kept_teacher(two_processes, make_user, sign_in_reads)
    with first.app_context(), db.engine.begin() as connection:  # by hand, not through the app: no stamp changes
        connection.execute(delete(DeviceSession.__table__))
    assert client.get("/account").status_code == 200  # for up to KEEP_FOR

    monkeypatch.setattr(kept, "KEEP_FOR", 0)
    answer = client.get("/account")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_without_redis_nothing_is_kept(make_app, make_user, sign_in_reads):
    memory = make_app(CACHE_TYPE="SimpleCache")  # one process's memory can't tell the others
    client = signed_in(memory, make_user(Role.TEACHER))
    for _ in range(3):
        before = len(sign_in_reads)
        assert client.get("/account").status_code == 200
        assert len(sign_in_reads) == before + 1


def test_on_sqlite_it_is_off_unless_asked_for(make_app, backend):
    with make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=STORE).app_context():
        assert kept.is_on() == (backend == "postgresql")


def test_when_redis_cant_be_reached_the_database_decides(make_app, make_user):
    unreachable = make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL="redis://127.0.0.1:1/0")
    person = make_user(Role.TEACHER)
    with unreachable.app_context():
        assert kept.current_stamps(person.id) is None


def redis_commands(app, monkeypatch) -> list[str]:
    """The commands this process sends Redis from now on, by name."""
    client, sent = app.extensions["cache"][cache]._read_client, []
    send = client.execute_command

    def noted(*args, **options):
        sent.append(args[0])
        return send(*args, **options)

    monkeypatch.setattr(client, "execute_command", noted)
    return sent


def test_a_page_that_shows_a_day_reads_every_stamp_in_one_round_trip(
    two_processes, make_user, make_school, sign_in_reads, monkeypatch
):
    """The kept person's stamps and the school calendars' come back together."""
    first, _ = two_processes
    person = make_user(Role.TEACHER, school=make_school("Riverside Middle"))
    client = signed_in(first, person)
    kept_by(client, sign_in_reads)
    assert client.get("/").status_code == 200  # the school's year is kept too
    sent = redis_commands(first, monkeypatch)

    page = client.get("/")

    assert page.status_code == 200 and "Riverside Middle" in page.get_data(as_text=True)
    assert sent == ["MGET"]


def test_when_redis_refuses_writes_a_change_still_reaches_the_other_process(
    two_processes, make_user, sign_in_reads, monkeypatch
):
    """Redis out of memory (maxmemory with noeviction) refuses SET but still deletes: the stamps are deleted
    instead, and the next reader makes new ones, so the other process reads the person again."""
    first, second = two_processes
    person = make_user(Role.TEACHER, Role.COACH)
    client = signed_in(second, person)
    kept_by(client, sign_in_reads)

    def out_of_memory(*_args, **_options):
        raise redis.exceptions.OutOfMemoryError("command not allowed when used memory > 'maxmemory'.")

    monkeypatch.setattr(first.extensions["cache"][cache], "set_many", out_of_memory)
    change(first, _deactivate(person.id))

    assert client.get("/coaching/").status_code in (302, 403)
