"""How a request's transaction ends when the request wrote nothing: with COMMIT, not ROLLBACK.

For a transaction that only read, the two are the same to the database. They differ to psycopg: after a
ROLLBACK it forgets every statement it had prepared on the connection, so on PostgreSQL each page's queries
were parsed and planned afresh on every request. After a COMMIT it keeps them, and a query run five times on
a connection is prepared once and then only executed.

A transaction that wrote anything, or a request that failed, still ends with ROLLBACK: nothing a request left
unfinished is ever committed here. "Wrote" is judged by the statements sent, not by the code that sent them:
anything but a plain SELECT counts."""

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from .extensions import db

log = logging.getLogger(__name__)
_WROTE = "walkthrough_wrote"


@event.listens_for(Engine, "begin")
def _transaction_begins(connection) -> None:
    connection.info[_WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection, cursor, statement, parameters, context, executemany) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        connection.info[_WROTE] = True


def _only_read(session) -> bool:
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    return session.connection().info.get(_WROTE) is False


def end_read_only_transaction(exception: BaseException | None) -> None:
    """teardown_appcontext: commit a transaction that only read; anything else is left to be rolled back."""
    if exception is not None:
        return
    session = db.session()
    try:
        if _only_read(session):
            # The session closes next. Objects keep what they had loaded, as they do after a rollback: a
            # streamed download reads them after this, and a commit would otherwise expire them.
            session.expire_on_commit = False
            session.commit()
    except DBAPIError as error:  # the page is made; Flask-SQLAlchemy's teardown rolls back and closes
        log.warning("Ending a read-only transaction failed: %s", error.orig)


def init_read_only_end(app: Flask) -> None:
    app.teardown_appcontext(end_read_only_transaction)
