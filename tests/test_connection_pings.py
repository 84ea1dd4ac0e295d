"""Pooled connections are tested before use only after sitting idle (extensions.py): a connection the
database dropped while it was idle is replaced without the person noticing, and one in constant use is
not asked SELECT 1 on every request."""

import pytest
from sqlalchemy import event, text

from walkthrough import extensions
from walkthrough.extensions import db


@pytest.fixture
def statements(app):
    seen = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


def test_a_connection_dropped_while_idle_is_replaced_unnoticed(app, backend, monkeypatch):
    if backend != "postgresql":
        pytest.skip("SQLite has no server to drop a connection")
    db.session.remove()
    victim, killer = db.engine.connect(), db.engine.connect()
    victim_pid = victim.execute(text("SELECT pg_backend_pid()")).scalar()
    victim.close()  # back to the pool, first in line for the next request
    # The database ends it while it waits, as a restart or a firewall's idle timeout would.
    killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": victim_pid})
    killer.commit()
    killer.close()
    monkeypatch.setattr(extensions, "PING_AFTER_IDLE_SECONDS", -1)  # as if both had been idle a while
    try:
        # Both pooled connections taken at once, so the dead one is certainly among them.
        with db.engine.connect() as first, db.engine.connect() as second:
            pids = {connection.execute(text("SELECT pg_backend_pid()")).scalar() for connection in (first, second)}
        assert victim_pid not in pids and len(pids) == 2
    finally:
        db.engine.dispose()  # the tests after this one share the pool


def test_a_connection_in_use_is_not_pinged_on_every_request(app, client, statements):
    client.get("/auth/login")
    client.get("/auth/login")
    assert not any(statement.strip().upper() == "SELECT 1" for statement in statements)
