"""What one SQL statement costs the app's CPU, layer by layer, beside what hello world's whole request costs.

    .venv/bin/python bench/statement.py [--database-url URL] [--runs 3000]

A page's share of hello world (load.py) is mostly a sum of fixed costs: the statements it sends and the
layers each goes through. This prints, in microseconds of this process's CPU, one small statement (a
person by id) sent four ways — straight through the driver, through SQLAlchemy Core on a connection,
through the ORM session, and loading a User object — then the sign-in's own statement as every
signed-in request runs it, and a bare Flask hello world served in-process. With no --database-url it
uses a temporary SQLite file; point it at PostgreSQL (postgresql+psycopg://...) to see the round trip."""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WALKTHROUGH_SECRET_KEY", "bench-only")

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import bindparam, select  # noqa: E402

from walkthrough import create_app  # noqa: E402
from walkthrough.auth import kept, sessions  # noqa: E402
from walkthrough.auth.models import Role, User  # noqa: E402
from walkthrough.extensions import db  # noqa: E402


def cpu_microseconds(work, runs: int) -> float:
    for _ in range(min(runs // 10, 300)):  # warm: caches filled, statements prepared
        work()
    started = time.process_time()
    for _ in range(runs):
        work()
    return (time.process_time() - started) / runs * 1e6


def hello_world_request(runs: int) -> float:
    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, world!")
    client = hello.test_client()
    return cpu_microseconds(lambda: client.get("/"), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.mkdtemp()}/statement.sqlite")
    parser.add_argument("--runs", type=int, default=3000)
    parser.add_argument("--redis", default="", help="e.g. redis://127.0.0.1:6379/9: also time a kept sign-in")
    args = parser.parse_args()
    config = {"SQLALCHEMY_DATABASE_URI": args.database_url}
    if args.redis:
        config |= {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": args.redis}
    app = create_app(config)
    with app.app_context():
        upgrade()
        person = db.session.scalar(select(User).order_by(User.id))
        if person is None:
            person = User(email="statement@bench.example", name="Bench")
            person.set_roles({Role.TEACHER})
            db.session.add(person)
        token = sessions.start(person)
        db.session.commit()
        person_id, token_hash = person.id, sessions._hash(token)
        db.session.remove()

        by_id = select(User.id, User.name).where(User.id == bindparam("id"))
        user_by_id = select(User).where(User.id == bindparam("id"))
        sql = str(by_id.compile(db.engine, compile_kwargs={"render_postcompile": True}))
        driver_sql = sql.replace("%(id)s", "%s")  # psycopg's named parameter; SQLite's is already "?"

        def driver():
            cursor = db.session.connection().connection.dbapi_connection.cursor()
            cursor.execute(driver_sql, (person_id,))
            cursor.fetchall()
            cursor.close()

        def core():
            db.session.connection().execute(by_id, {"id": person_id}).all()

        def orm_session():
            db.session.execute(by_id, {"id": person_id}).all()

        def orm_object():
            db.session.scalars(user_by_id, {"id": person_id}).all()

        def sign_in():
            db.session.execute(sessions._signed_in(), {"token_hash": token_hash}).unique().one()

        def nothing():
            db.session.connection()

        rows = []
        for name, statement in [
            ("the driver's cursor", driver),
            ("SQLAlchemy Core", core),
            ("the ORM session, columns", orm_session),
            ("the ORM session, a User (+ roles: 2 statements)", orm_object),
            ("sign-in: person, session, school, roles", sign_in),
        ]:

            def twice(statement=statement):
                statement()
                statement()
                db.session.remove()

            def once():
                nothing()
                db.session.remove()

            # Per statement: two in a session minus a session that sends none, halved.
            rows.append((name, (cpu_microseconds(twice, args.runs) - cpu_microseconds(once, args.runs)) / 2))
        session_cost = cpu_microseconds(lambda: (nothing(), db.session.remove()), args.runs)
        if args.redis:
            rows.append(("sign-in kept: stamps from Redis, no statement", _kept_sign_in(token_hash, args.runs)))
    hello = hello_world_request(args.runs)
    backend = args.database_url.split(":", 1)[0]
    print(f"\none statement, {backend}, CPU µs of this process ({args.runs} runs each)")
    for name, micros in rows:
        print(f"  {name:<48}{micros:>8.0f}{micros / hello:>8.1f}× hello world's request")
    print(f"  {'a session: connection out and back':<48}{session_cost:>8.0f}{session_cost / hello:>8.1f}×")
    print(f"  {'hello world: a whole request, in-process':<48}{hello:>8.0f}")


def _kept_sign_in(token_hash: str, runs: int) -> float:
    """What a request whose person is kept does instead of the sign-in statement (walkthrough/auth/kept.py):
    read the two stamps, compare, and put the kept person, school and roles in the session. Once a session,
    since a second time in one session finds the person already there."""
    found = db.session.execute(sessions._signed_in(), {"token_hash": token_hash}).unique().one()
    user = found[0]
    stamps = kept.current_stamps(user.id)
    kept.keep(token_hash, stamps, user, found.id, found.remember, found.created_at, found.last_seen_at)
    db.session.remove()
    entry = kept.seen(token_hash)

    def recall():
        assert kept.still_good(entry, kept.current_stamps(entry.user_id))
        kept.recall(entry)
        db.session.remove()

    def session_only():
        db.session()
        db.session.remove()

    return cpu_microseconds(recall, runs) - cpu_microseconds(session_only, runs)


if __name__ == "__main__":
    main()
