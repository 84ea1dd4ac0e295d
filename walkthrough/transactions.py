"""On PostgreSQL a transaction begins at the first statement that needs one, so a page that only reads sends
no BEGIN and no COMMIT.

psycopg would otherwise send BEGIN before a request's first statement and COMMIT or ROLLBACK after its last:
two round trips of the five or six that a page such as home makes, each costing the app about as much CPU as
a small query (a context switch and a wake-up on each side). Here the app's connections run in psycopg's
autocommit mode, and BEGIN goes out just before the first statement that writes or locks: anything but a
plain SELECT, and a SELECT ... FOR UPDATE or FOR SHARE. From there on everything is as before: SQLAlchemy's
commit or rollback ends that transaction (psycopg sends COMMIT or ROLLBACK only when one is open), so what a
request writes still commits all together or not at all, and a lock is held until the end.

The reads before that BEGIN see what they would have seen inside it: under PostgreSQL's READ COMMITTED,
the isolation used throughout, every statement takes its own snapshot whether or not a transaction is open.

A read-only transaction also no longer ends with ROLLBACK, after which psycopg forgets the statements it had
prepared on the connection (it prepares a query run five times, so that it is parsed once).

SQLite keeps its driver's own transactions: its round trips are function calls."""

from functools import lru_cache

import psycopg
from flask import Flask
from psycopg.pq import TransactionStatus
from sqlalchemy import event

from .extensions import db

_LOCKING_CLAUSES = (" FOR UPDATE", " FOR NO KEY UPDATE", " FOR SHARE", " FOR KEY SHARE")


@lru_cache(maxsize=4096)  # a page's statements are the same strings every time
def needs_transaction(statement: str) -> bool:
    """Anything that isn't a plain SELECT: writes, DDL, SAVEPOINT, a WITH that might write, row locks."""
    if statement.lstrip()[:6].upper() != "SELECT":
        return True
    upper = statement.upper()
    return any(clause in upper for clause in _LOCKING_CLAUSES)


def _autocommit(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, psycopg.Connection):
        dbapi_connection.autocommit = True


def _begin_when_needed(cursor, statement, parameters, context) -> bool:
    """A dialect execute event: it runs where SQLAlchemy handles the driver's errors, so a connection the
    database has ended fails here as any statement would (the pool replaces it; the person sees the "can't
    reach the database" page). Returns False: the statement itself is still run by SQLAlchemy."""
    dbapi_connection = cursor.connection
    if (
        dbapi_connection.autocommit
        and dbapi_connection.pgconn.transaction_status == TransactionStatus.IDLE
        # Someone asked for autocommit on purpose (a migration building an index concurrently, say).
        and "isolation_level" not in context.execution_options
        and needs_transaction(statement)
    ):
        dbapi_connection.execute("BEGIN", prepare=False)
    return False


def _begin_when_needed_without_parameters(cursor, statement, context) -> bool:
    return _begin_when_needed(cursor, statement, None, context)


def init_transactions(app: Flask) -> None:
    """On the app's own engine only: another engine (a test's, with AUTOCOMMIT on purpose) is left alone."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    event.listen(engine, "connect", _autocommit)
    event.listen(engine, "do_execute", _begin_when_needed)
    event.listen(engine, "do_executemany", _begin_when_needed)
    event.listen(engine, "do_execute_no_params", _begin_when_needed_without_parameters)
