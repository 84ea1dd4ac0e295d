"""Time and peak memory of the admin summary and the coach caseload exports as the data grows.

    .venv/bin/python bench/exports.py [--scales 5,45] [--database-url URL]

For each scale (a number of schools, each with 60 teachers and a year of visits and cover) it prints the
rows written, seconds and the peak Python memory (tracemalloc) of each export, then a one-line summary.
Memory that stays flat while rows grow ten-fold is the point: rows stream, nothing holds them all."""

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("WALKTHROUGH_SECRET_KEY", "bench-only")

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from walkthrough import create_app  # noqa: E402
from walkthrough.auth.models import RoleGrant, User  # noqa: E402
from walkthrough.coaching.models import CaseloadMember  # noqa: E402
from walkthrough.coverage.models import CoverageRequest  # noqa: E402
from walkthrough.extensions import db  # noqa: E402
from walkthrough.observations.models import Observation  # noqa: E402
from walkthrough.protocols.models import Protocol  # noqa: E402
from walkthrough.schools.models import School  # noqa: E402
from walkthrough.schools.years import year_containing  # noqa: E402

PASSWORD = "bench-password"
TEACHERS_PER_SCHOOL = 60
VISITS_PER_TEACHER = 6


def build(scale: int, rng: random.Random) -> tuple[int, int]:
    """Bulk-insert `scale` schools of history; returns (observations, cover requests)."""
    year = year_containing(date.today())
    start = datetime(year.start.year, 8, 20, 15, tzinfo=UTC)
    versions = [p.current.id for p in db.session.scalars(select(Protocol))]
    hashed = generate_password_hash(PASSWORD)
    offset = db.session.scalar(select(db.func.count()).select_from(School))
    observations, covers = [], []
    for s in range(offset, offset + scale):
        school_id = db.session.execute(
            insert(School).values(
                name=f"School {s:04d}",
                level="middle",
                region="North" if s % 2 else "South",
                timezone="UTC",
                rotation="weekly",
                year_first_day=year.start,
                year_last_day=year.end,
                address="",
                release_minutes_default=480,
                weekly_cover_cap=3,
                requires_visit_approval=False,
            )
        ).inserted_primary_key[0]
        users = [
            {
                "email": f"t{s}-{n}@bench.example",
                "name": f"Teacher {s}-{n}",
                "school_id": school_id,
                "link_nonce": "",
                "calendar_token": f"c{s}-{n}",
                "password_hash": hashed,
                "subjects": "",
                "grade_band": "",
                "is_active_account": True,
                "cover_lock": 0,
                "created_at": start,
            }
            for n in range(TEACHERS_PER_SCHOOL)
        ]
        db.session.execute(insert(User), users)
        ids = db.session.scalars(select(User.id).where(User.school_id == school_id).order_by(User.id)).all()
        db.session.execute(insert(RoleGrant), [{"user_id": i, "role": "teacher"} for i in ids])
        for observer in ids:
            for _ in range(VISITS_PER_TEACHER):
                moment = start + timedelta(days=rng.randrange(0, 90))
                observations.append(
                    {
                        "observer_id": observer,
                        "host_id": rng.choice(ids),
                        "protocol_version_id": rng.choice(versions),
                        "focus_question": "",
                        "started_at": moment,
                        "finished_at": moment + timedelta(minutes=45),
                        "shared_with_host_at": moment if rng.random() < 0.6 else None,
                        "host_reply": "",
                        "created_at": moment,
                        "school_id": school_id,
                        "day": moment.date(),
                    }
                )
                covers.append(
                    {
                        "teacher_id": observer,
                        "school_id": school_id,
                        "day": moment.date(),
                        "starts_at": moment,
                        "ends_at": moment + timedelta(minutes=50),
                        "room": "",
                        "course": "",
                        "reason": "peer_visit",
                        "notes": "",
                        "plan_name": "",
                        "status": "confirmed" if rng.random() < 0.8 else "open",
                        "created_at": moment,
                    }
                )
    db.session.execute(insert(Observation), observations)
    db.session.execute(insert(CoverageRequest), covers)
    db.session.commit()
    return len(observations), len(covers)


def measure(client, url: str) -> tuple[int, float, float]:
    tracemalloc.start()
    began = time.perf_counter()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.response)
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    response.close()
    assert response.status_code == 200, (url, response.status_code)
    return size, seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="5,45", help="schools to add in each round, comma-separated")
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite")
    args = parser.parse_args()
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": args.database_url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    )
    rng = random.Random(7)
    rows = []
    with app.app_context():
        upgrade()
        hashed = generate_password_hash(PASSWORD)
        for email, role in (("admin@bench.example", "admin"), ("coach@bench.example", "coach")):
            user_id = db.session.execute(
                insert(User).values(
                    email=email,
                    name=role.title(),
                    link_nonce="",
                    calendar_token=email,
                    password_hash=hashed,
                    subjects="",
                    grade_band="",
                    is_active_account=True,
                    cover_lock=0,
                    created_at=datetime.now(UTC),
                )
            ).inserted_primary_key[0]
            db.session.execute(insert(RoleGrant).values(user_id=user_id, role=role))
        db.session.commit()
    total_schools = 0
    for scale in (int(s) for s in args.scales.split(",")):
        with app.app_context():  # build, then leave the context: each request below gets its own
            build(scale, rng)
            total_schools = db.session.scalar(select(db.func.count()).select_from(School))
            if not db.session.scalar(select(db.func.count()).select_from(CaseloadMember)):
                # A coach's caseload of 75 teachers, the biggest a district coach carries.
                coach_id = db.session.scalar(select(User.id).where(User.email == "coach@bench.example"))
                teachers = db.session.scalars(
                    select(User.id).join(RoleGrant).where(RoleGrant.role == "teacher").limit(75)
                ).all()
                db.session.execute(insert(CaseloadMember), [{"coach_id": coach_id, "coachee_id": i} for i in teachers])
                db.session.commit()
            observations = db.session.scalar(text("SELECT count(*) FROM observations"))
        admin, coach = app.test_client(), app.test_client()
        admin.post("/auth/login", data={"email": "admin@bench.example", "password": PASSWORD})
        coach.post("/auth/login", data={"email": "coach@bench.example", "password": PASSWORD})
        for label, client, url in (
            ("summary CSV (observations)", admin, "/reports/summary.csv?section=observations"),
            ("summary XLSX (3 sheets)", admin, "/reports/summary.xlsx"),
            ("summary PDF", admin, "/reports/summary.pdf"),
            ("caseload XLSX (75 teachers)", coach, "/coaching/export.xlsx"),
        ):
            size, seconds, peak = measure(client, url)
            rows.append((total_schools, observations, label, size, seconds, peak))
    print(f"{'schools':>7} {'visits':>8}  {'export':<28} {'bytes':>10} {'seconds':>8} {'peak MB':>8}")
    for schools, observations, label, size, seconds, peak in rows:
        print(f"{schools:>7} {observations:>8}  {label:<28} {size:>10} {seconds:>8.2f} {peak:>8.1f}")
    worst = max(rows, key=lambda r: r[4])
    print(
        f"summary: slowest export {worst[2]} at {worst[0]} schools took {worst[4]:.2f} s; "
        f"largest peak memory {max(r[5] for r in rows):.1f} MB"
    )


if __name__ == "__main__":
    main()
