"""Building walks at the size of a district, in-process: a year of walks at every school, then the pages
that read them, each next to a bare Flask "hello world" timed the same way in the same run.

    .venv/bin/python bench/walks.py [--schools 50] [--walks 4] [--classrooms 30] [--requests 100]
                                    [--database-url URL]

With no --database-url it builds the data in a temporary SQLite file; give an empty PostgreSQL database
to measure that. Prints p50 and p95 latency, requests per second with one client, the share of hello
world's rate, and the SQL statements each request ran (which must not grow with the number of walks)."""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("WALKTHROUGH_SECRET_KEY", "bench-only")

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, insert, select, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from walkthrough import create_app  # noqa: E402
from walkthrough.auth.models import Role, User  # noqa: E402
from walkthrough.config import normalise_database_url  # noqa: E402
from walkthrough.extensions import db  # noqa: E402
from walkthrough.schools.models import Rotation, SchoolLevel  # noqa: E402
from walkthrough.schools.services import save_school  # noqa: E402
from walkthrough.walks.models import GRADE_BANDS, SUBJECT_AREAS, Walk, WalkClassroom, WalkMark, WalkTool  # noqa: E402

PASSWORD = "bench walks password"


def build(schools: int, walks_each: int, classrooms: int) -> dict:
    rng = random.Random(2026)
    tool = db.session.scalar(select(WalkTool).where(WalkTool.slug == "strategic-plan-focus"))
    keys = [item["key"] for item in tool.look_fors]
    today = date.today()
    first = today - timedelta(days=120)
    password = generate_password_hash(PASSWORD)
    district = User(email="district@bench.example", name="District Admin", password_hash=password)
    district.set_roles({Role.ADMIN})
    db.session.add(district)
    coach = None
    for n in range(schools):
        school = save_school(
            school=None,
            name=f"School {n:03d}",
            level=SchoolLevel.MIDDLE,
            region="",
            timezone="America/Chicago",
            rotation=Rotation.WEEKLY,
            year_first_day=today - timedelta(days=150),
            year_last_day=today + timedelta(150),
        )
        member = User(email=f"coach{n}@bench.example", name=f"Coach {n}", school_id=school.id, password_hash=password)
        member.set_roles({Role.COACH})
        db.session.add(member)
        db.session.flush()
        coach = coach or member
        for w in range(walks_each):
            day = first + timedelta(days=25 * w)
            walk = Walk(
                school_id=school.id,
                tool_id=tool.id,
                kind="blast",
                focus=f"Walk {w}",
                starts_on=day,
                ends_on=day,
                look_fors=tool.look_fors,
                created_by_id=member.id,
            )
            db.session.add(walk)
            db.session.flush()
            rooms = [
                {
                    "walk_id": walk.id,
                    "walker_id": member.id,
                    "client_key": f"{walk.id}-{c}",
                    "visited_on": day,
                    "grade_band": rng.choice(GRADE_BANDS),
                    "subject_area": rng.choice(SUBJECT_AREAS),
                    "evidence": "",
                }
                for c in range(classrooms)
            ]
            db.session.execute(insert(WalkClassroom), rooms)
            ids = db.session.scalars(select(WalkClassroom.id).where(WalkClassroom.walk_id == walk.id)).all()
            marks = [
                {
                    "classroom_id": i,
                    "walk_id": walk.id,
                    "look_for_key": k,
                    "state": rng.choice(("seen", "not_seen", "not_applicable")),
                    "tally": None,
                }
                for i in ids
                for k in keys
            ]
            db.session.execute(insert(WalkMark), marks)
    found = {"coach": coach.email, "school": coach.school_id, "district": district.email}
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # statistics, as autovacuum would gather on a live database
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return found | {"walk": db.session.scalar(select(Walk.id).order_by(Walk.id))}


def timed(name: str, ask, count: int, baseline: float | None) -> float:
    def request():
        # Closed at once, as a server would: a streamed response left open keeps its request context pushed.
        response = ask()
        response.close()
        return response

    request()
    statements = []

    def count_statement(*_args, **_kwargs):
        statements.append(1)

    event.listen(Engine, "before_cursor_execute", count_statement)
    response = request()
    event.remove(Engine, "before_cursor_execute", count_statement)
    assert response.status_code == 200, (name, response.status_code)
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        request()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    rate = 1000 / statistics.mean(timings)
    share = f"{100 * rate / baseline:8.1f}%" if baseline else f"{'100.0%':>9}"
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{name:<34}{statistics.median(timings):>8.1f}{p95:>8.1f}{rate:>9.0f}{share}{len(statements):>8}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--walks", type=int, default=4)
    parser.add_argument("--classrooms", type=int, default=30)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.mkdtemp()}/walks.sqlite")
    args = parser.parse_args()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(args.database_url),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    app.logger.setLevel("WARNING")
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        world = build(args.schools, args.walks, args.classrooms)
        marks = args.schools * args.walks * args.classrooms * 11
        print(
            f"built {args.schools} schools x {args.walks} walks x {args.classrooms} classrooms "
            f"({marks:,} marks) in {time.perf_counter() - started:.0f} s on {args.database_url.split(':')[0]}"
        )
    hello_app = Flask("hello")
    hello_app.get("/")(lambda: "Hello, world!")
    hello = hello_app.test_client()
    coach, district = app.test_client(), app.test_client()
    coach.post("/auth/login", data={"email": world["coach"], "password": PASSWORD})
    district.post("/auth/login", data={"email": world["district"], "password": PASSWORD})
    print(f"{'request':<34}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>9}{'share':>9}{'SQL':>8}")
    # No app context held open here: Flask would reuse its `g`, and one client's sign-in would leak into another's.
    baseline = timed("hello world (bare Flask)", lambda: hello.get("/"), args.requests, None)
    walk = world["walk"]
    timed("walk page (one walk)", lambda: coach.get(f"/walks/{walk}"), args.requests, baseline)
    timed("school results (a year of walks)", lambda: coach.get("/walks/results"), args.requests, baseline)
    timed("school results CSV", lambda: coach.get("/walks/school-results.csv"), args.requests, baseline)
    timed(
        f"district compare ({args.schools} schools)",
        lambda: district.get("/walks/compare"),
        args.requests,
        baseline,
    )


if __name__ == "__main__":
    main()
