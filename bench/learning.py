"""Surveys and learning hours at the size of a district, in-process: a district-wide survey answered by most
of its staff, and a year of logged learning, then the pages that read them, each next to a bare Flask
"hello world" timed the same way in the same run.

    .venv/bin/python bench/learning.py [--schools 50] [--staff 60] [--entries 12] [--requests 50]
                                       [--database-url URL]

With no --database-url it builds the data in a temporary SQLite file; give an empty PostgreSQL database
to measure that. Prints p50 and p95 latency, requests per second with one client, the share of hello
world's rate, and the SQL statements each request ran (which must not grow with the answers)."""

import argparse
import os
import random
import secrets
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("WALKTHROUGH_SECRET_KEY", "bench-only")

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench.walks import timed  # noqa: E402
from walkthrough import create_app  # noqa: E402
from walkthrough.auth.models import Role, RoleGrant, User  # noqa: E402
from walkthrough.config import normalise_database_url  # noqa: E402
from walkthrough.extensions import db  # noqa: E402
from walkthrough.learning.models import LearningEntry, RequiredTraining  # noqa: E402
from walkthrough.schools.models import Rotation, SchoolLevel  # noqa: E402
from walkthrough.schools.services import save_school  # noqa: E402
from walkthrough.surveys import services as surveys  # noqa: E402
from walkthrough.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse  # noqa: E402

PASSWORD = "bench learning password"
ANSWERS = ["More time to visit colleagues", "Coverage for observing", "Examples of descriptive notes"]


def build(schools: int, staff: int, entries: int) -> dict:
    rng = random.Random(2026)
    today = date.today()
    password = generate_password_hash(PASSWORD)
    admin = User(email="district@bench.example", name="District Admin", password_hash=password)
    admin.set_roles({Role.ADMIN})
    db.session.add(admin)
    db.session.flush()
    training = RequiredTraining(title="Mandated reporter", minutes=120, due_on=today, audience="all_staff")
    db.session.add(training)
    people = []
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
        rows = [
            {
                "email": f"t{n}-{k}@bench.example",
                "name": f"Teacher {n}-{k}",
                "school_id": school.id,
                "is_active_account": True,
                "password_hash": password,
            }
            for k in range(staff)
        ]
        db.session.execute(insert(User), rows)
    people = db.session.scalars(select(User.id).where(User.school_id.is_not(None))).all()
    db.session.execute(insert(RoleGrant), [{"user_id": p, "role": Role.TEACHER.value} for p in people])
    db.session.flush()
    days = [today - timedelta(days=d) for d in range(1, 140)]
    for chunk in range(0, len(people), 1000):
        db.session.execute(
            insert(LearningEntry),
            [
                {
                    "user_id": p,
                    "day": rng.choice(days),
                    "kind": rng.choice(["pd_session", "webinar", "course"]),
                    "title": "Learning",
                    "minutes": rng.choice([30, 60, 90]),
                    "setting": rng.choice(["contract_time", "after_hours", "summer"]),
                    "place": "",
                    "training_id": training.id if e == 0 else None,
                }
                for p in people[chunk : chunk + 1000]
                for e in range(entries)
            ],
        )
    survey = surveys.create_survey(
        actor=admin,
        title="Needs",
        kind="needs_assessment",
        intro="",
        audience="district",
        closes_on=None,
        suggested=True,
    )
    survey.sent_at = survey.created_at
    answered = [p for p in people if rng.random() < 0.6]
    said = set(answered)
    db.session.execute(
        insert(SurveyInvitation), [{"survey_id": survey.id, "user_id": p, "answered": p in said} for p in people]
    )
    responses = [{"id": secrets.token_hex(16), "survey_id": survey.id, "batch": 1} for _ in answered]
    db.session.execute(insert(SurveyResponse), responses)
    rows = []
    for response in responses:
        for q in survey.questions:
            value = {"choice": None, "scale": None, "text": None}
            if q.kind == "choice":
                value["choice"] = rng.choice(q.choices)
            elif q.kind == "scale":
                value["scale"] = rng.randint(1, 5)
            else:
                value["text"] = rng.choice(ANSWERS)
            rows.append({"response_id": response["id"], "question_id": q.id, **value})
    db.session.execute(insert(SurveyAnswer), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return {"admin": admin.email, "survey": survey.id, "people": len(people), "answers": len(responses)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--staff", type=int, default=60)
    parser.add_argument("--entries", type=int, default=12)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.mkdtemp()}/learning.sqlite")
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
        world = build(args.schools, args.staff, args.entries)
        print(
            f"built {world['people']:,} staff, {world['answers']:,} survey answers and "
            f"{world['people'] * args.entries:,} learning entries in {time.perf_counter() - started:.0f} s "
            f"on {args.database_url.split(':')[0]}"
        )
    hello_app = Flask("hello")
    hello_app.get("/")(lambda: "Hello, world!")
    hello = hello_app.test_client()
    admin = app.test_client()
    admin.post("/auth/login", data={"email": world["admin"], "password": PASSWORD})
    survey = world["survey"]
    print(f"{'request':<34}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>9}{'share':>9}{'SQL':>8}")
    baseline = timed("hello world (bare Flask)", lambda: hello.get("/"), args.requests, None)
    timed("live response rate", lambda: admin.get(f"/surveys/{survey}/rate"), args.requests, baseline)
    timed("survey results page", lambda: admin.get(f"/surveys/{survey}/results"), args.requests, baseline)
    timed("survey results CSV", lambda: admin.get(f"/surveys/{survey}/results.csv"), args.requests, baseline)
    timed("learning hours report", lambda: admin.get("/trainings/report"), args.requests, baseline)
    timed("a required training", lambda: admin.get("/trainings/1"), args.requests, baseline)


if __name__ == "__main__":
    main()
