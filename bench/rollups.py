"""The admin dashboard's first computation (nothing cached) at district and state scale: counted live from
every visit, as before issue 25, against the roll-ups. One command per data set:

    .venv/bin/python bench/rollups.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/wt_state --scale state

The database is seeded when empty (`--scale district`: 50 schools, about a minute on PostgreSQL; `state`:
500 schools and 2 million observations, about 9 minutes and 4 GB). Prints, in ms: building every roll-up
from nothing (once, on the first dashboard after the upgrade), the whole year for all schools and for one,
live and from the roll-ups, dates that cut months (the cut days counted live), and catching up after a
change (one cover request written, then the next dashboard)."""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("WALKTHROUGH_SECRET_KEY", "bench-only")

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, func, select  # noqa: E402

from walkthrough import create_app  # noqa: E402
from walkthrough.coverage.models import CoverageRequest  # noqa: E402
from walkthrough.demo.scale import SCALES  # noqa: E402
from walkthrough.demo.scale_seed import seed_at_scale  # noqa: E402
from walkthrough.extensions import db  # noqa: E402
from walkthrough.reports import figures  # noqa: E402
from walkthrough.reports.scope import Scope  # noqa: E402
from walkthrough.rollups import upkeep  # noqa: E402
from walkthrough.rollups.models import RollupState  # noqa: E402
from walkthrough.schools.models import School  # noqa: E402
from walkthrough.schools.years import district_year  # noqa: E402


def median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        db.session.expire_all()
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", choices=sorted(SCALES), default="district")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "CACHE_TYPE": "NullCache"})
    with app.app_context():
        upgrade()
        if not db.session.scalar(select(func.count()).select_from(School)):
            started = time.perf_counter()
            seed_at_scale(SCALES[args.scale])
            print(f"seeded the {args.scale} data set in {time.perf_counter() - started:.0f} s", flush=True)
        schools = list(db.session.scalars(select(School).order_by(School.id)))
        latest = db.session.scalar(select(func.max(CoverageRequest.day)))
        year = district_year(latest.year if latest.month >= 8 else latest.year - 1)
        every = Scope(schools, tuple(s.id for s in schools), None, "All schools", year.start, year.end)
        one = Scope(schools[:1], (schools[0].id,), schools[0].id, schools[0].name, year.start, year.end)
        cut = Scope(every.schools, every.school_ids, None, "Cut", year.start + timedelta(days=40), year.end)

        db.session.execute(delete(RollupState))  # built again from nothing, as on the first dashboard
        db.session.commit()
        started = time.perf_counter()
        upkeep.refresh()
        build = (time.perf_counter() - started) * 1000

        rows = [("build every roll-up from nothing (once)", build, None)]
        for label, scope in (("all schools, the year", every), ("one school, the year", one)):
            live = median_ms(lambda s=scope: figures.dashboard_for(s, live=True), max(args.runs // 2, 1))
            rolled = median_ms(lambda s=scope: figures.dashboard_for(s), args.runs)
            rows += [(f"{label}: live", live, None), (f"{label}: roll-ups", rolled, live / rolled)]
        live = median_ms(lambda: figures.dashboard_for(cut, live=True), max(args.runs // 2, 1))
        rolled = median_ms(lambda: figures.dashboard_for(cut), args.runs)
        rows += [
            ("all schools, cut months: live", live, None),
            ("all schools, cut months: roll-ups", rolled, live / rolled),
        ]

        request = db.session.scalar(select(CoverageRequest).where(CoverageRequest.day >= year.start).limit(1))

        def change_then_dashboard():
            request.status = "open" if request.status != "open" else "assigned"
            db.session.commit()
            figures.dashboard_for(every)

        rows.append(("one change, then all schools", median_ms(change_then_dashboard, args.runs), None))

        print(f"\n{args.scale}: {len(schools)} schools, {year.label}, {db.engine.dialect.name}")
        print(f"{'':42} {'ms':>9} {'faster':>7}")
        for label, ms, faster in rows:
            print(f"{label:42} {ms:9.1f} {f'{faster:.1f}x' if faster else '':>7}")


if __name__ == "__main__":
    main()
