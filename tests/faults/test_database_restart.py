"""PostgreSQL stops under load and comes back: while it is down every request gets a clear 503 page
(never a 500 or a hang), and the same app processes recover by themselves once it returns."""

import threading
import time
import urllib.error
import urllib.request

import pytest
from flask_migrate import upgrade

from tests.conftest import PASSWORD_HASH, REQUIRE_POSTGRES, base_test_config
from tests.faults.servers import PG_BIN, ThrowawayPostgres, children_of, gunicorn
from tests.test_concurrency import signed_in_opener
from walkthrough import create_app
from walkthrough.auth.models import Role, User
from walkthrough.extensions import db


@pytest.fixture
def throwaway_postgres():
    if PG_BIN is None:
        if REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL's server binaries (initdb, pg_ctl) are needed for the restart test")
        pytest.skip("PostgreSQL server binaries not found")
    server = ThrowawayPostgres()
    server.initialise()
    server.start()
    app = create_app(base_test_config(server.url))
    with app.app_context():
        upgrade()
        teacher = User(email="restart@school.example", name="Rae Restart", password_hash=PASSWORD_HASH)
        teacher.set_roles({Role.TEACHER})
        db.session.add(teacher)
        db.session.commit()
        db.engine.dispose()
    yield server
    try:
        server.stop()
    except Exception:  # already stopped by a failing test
        pass
    server.remove()


def test_the_app_says_so_while_postgres_is_down_and_recovers_by_itself(throwaway_postgres):
    answers: list[tuple[str, int, str]] = []
    phase = ["up"]
    stop = threading.Event()
    with gunicorn(throwaway_postgres.url) as server:
        base = f"http://127.0.0.1:{server.port}"
        opener = signed_in_opener(base, "restart@school.example")
        workers_before = sorted(children_of(server.pid))

        def during(asked_in: str) -> str:
            """The phase a request belongs to: one still in flight when PostgreSQL began to stop (or to start)
            belongs to that change, whose answers may be either, not to the phase it was asked in."""
            if phase[0] == asked_in:
                return asked_in
            return {"up": "stopping", "down": "coming back"}.get(asked_in, asked_in)

        def keep_asking():
            while not stop.is_set():
                started = time.monotonic()
                asked_in = phase[0]
                try:
                    with opener.open(f"{base}/", timeout=15) as response:
                        answers.append((during(asked_in), response.status, ""))
                except urllib.error.HTTPError as error:
                    answers.append((during(asked_in), error.code, error.read().decode(errors="replace")))
                except OSError as error:  # a hang or a dropped connection is a failure too
                    answers.append((during(asked_in), 0, str(error)))
                assert time.monotonic() - started < 15
                time.sleep(0.02)

        clients = [threading.Thread(target=keep_asking) for _ in range(4)]
        for client in clients:
            client.start()
        time.sleep(1.5)
        phase[0] = "stopping"
        throwaway_postgres.stop()
        phase[0] = "down"
        time.sleep(3)
        phase[0] = "coming back"
        throwaway_postgres.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(p == "coming back" and s == 200 for p, s, _ in answers[-8:]):
            time.sleep(0.2)
        phase[0] = "back"
        time.sleep(1.5)
        stop.set()
        for client in clients:
            client.join(timeout=30)
        assert server.poll() is None and sorted(children_of(server.pid)) == workers_before, "the app was restarted"

    down = [(status, body) for p, status, body in answers if p == "down"]
    print(f"\n{len(answers)} requests: {len(down)} while PostgreSQL was down, statuses {sorted({s for s, _ in down})}")
    assert [p for p, s, _ in answers if p == "up" and s != 200] == []
    assert {s for p, s, _ in answers if p in ("stopping", "coming back")} <= {200, 503}
    assert down and all(status == 503 for status, _ in down), sorted({s for s, _ in down})
    assert all("can&#39;t reach its database" in body or "can't reach its database" in body for _, body in down)
    back = [s for p, s, _ in answers if p == "back"]
    assert back and set(back) == {200}, back
