"""Time the pages people use most, in-process (no network), on the demo district.

    .venv/bin/python bench/pages.py [--requests 200] [--database-url URL]

Prints a table of per-request latency (p50/p95/max) and single-client throughput for each page,
then a one-line summary. The load test against gunicorn comes with the district-scale data."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("WALKTHROUGH_SECRET_KEY", "bench-only")

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from walkthrough import create_app  # noqa: E402
from walkthrough.demo.cli import seed_demo_district  # noqa: E402
from walkthrough.demo.district import DEMO_PASSWORD  # noqa: E402
from walkthrough.extensions import db  # noqa: E402
from walkthrough.observations.models import Observation  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite")
    args = parser.parse_args()

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": args.database_url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    )
    app.logger.setLevel("WARNING")
    with app.app_context():
        upgrade()
        seed_demo_district()
        db.session.commit()
        note = db.session.scalar(select(Observation.id).order_by(Observation.id))
    client = app.test_client()
    client.post("/auth/login", data={"email": "maya.ortiz@district.example", "password": DEMO_PASSWORD})
    admin = app.test_client()
    admin.post("/auth/login", data={"email": "dana.whitfield@district.example", "password": DEMO_PASSWORD})
    coach = app.test_client()
    coach.post("/auth/login", data={"email": "sam.rivera@district.example", "password": DEMO_PASSWORD})

    counter = iter(range(10**9))

    def autosave():
        n = next(counter)
        return client.post(
            f"/observations/{note}/changes",
            json={
                "changes": [
                    {
                        "key": f"bench{n:012d}",
                        "op": "text",
                        "slot": "student_talk",
                        "value": f"Note {n}",
                        "base": "",
                        "base_revision": -1,
                    }
                ]
            },
        )

    cases = {
        "home (teacher)": lambda: client.get("/"),
        "open classrooms, filtered": lambda: client.get("/visits/?school_id=2&subject=math"),
        "my visits": lambda: client.get("/visits/mine"),
        "note editor": lambda: client.get(f"/observations/{note}"),
        "autosave (1 change)": autosave,
        "admin people list": lambda: admin.get("/admin/people"),
        "coach caseload (11)": lambda: coach.get("/coaching/"),
        "admin dashboard (district)": lambda: admin.get("/reports/"),
        "my year (portfolio page)": lambda: client.get("/reports/my-year"),
    }
    print(f"{'page':<28}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'req/s':>9}")
    totals = []
    for name, request in cases.items():
        request()  # warm up
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = request()
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        rate = 1000 / statistics.mean(timings)
        totals.append(rate)
        print(f"{name:<28}{statistics.median(timings):>9.1f}{p95:>9.1f}{timings[-1]:>9.1f}{rate:>9.0f}")
    backend = args.database_url.split(":", 1)[0]
    print(
        f"summary: {len(cases)} pages x {args.requests} requests on {backend}; "
        f"slowest page {min(totals):.0f} req/s, fastest {max(totals):.0f} req/s (one client, in-process)"
    )


if __name__ == "__main__":
    main()
