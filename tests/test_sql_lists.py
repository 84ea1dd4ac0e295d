"""one_of: a list given when the statement runs, as an IN list on SQLite and one array on PostgreSQL."""

import pytest
from sqlalchemy import bindparam, event, select
from sqlalchemy.dialects import postgresql, sqlite

from walkthrough.auth.models import User
from walkthrough.extensions import db
from walkthrough.sql_lists import one_of

CHOSEN = select(User.id).where(one_of(User.id, "ids")).order_by(User.id)


@pytest.fixture
def people(make_user):
    return [make_user().id for _ in range(60)]


@pytest.mark.parametrize("how_many", [0, 1, 3, 60])
def test_finds_exactly_the_ones_listed(people, how_many):
    wanted = people[:how_many]
    assert list(db.session.scalars(CHOSEN, {"ids": wanted})) == wanted


def test_ids_nobody_has_find_nobody(people):
    assert list(db.session.scalars(CHOSEN, {"ids": [max(people) + 1, -5]})) == []


def test_on_postgresql_the_statement_is_the_same_whatever_the_count(people, backend):
    if backend != "postgresql":
        pytest.skip("SQLite has no arrays: it gets an IN list")
    sent: list[tuple[str, dict]] = []

    def note(connection, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        for how_many in (2, 60):
            db.session.scalars(CHOSEN, {"ids": people[:how_many]}).all()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    (few, few_values), (many, many_values) = sent
    assert few == many
    assert "= ANY (" in many
    assert many_values == {"ids": people[:60]}


def test_on_sqlite_it_is_the_plain_in_list_so_the_same_indexes_serve():
    plain = select(User.id).where(User.id.in_(bindparam("ids", expanding=True))).order_by(User.id)
    assert str(CHOSEN.compile(dialect=sqlite.dialect())) == str(plain.compile(dialect=sqlite.dialect()))
    assert str(CHOSEN.compile(dialect=postgresql.dialect())).endswith(
        "WHERE users.id = ANY (%(ids)s::INTEGER[]) ORDER BY users.id"
    )
