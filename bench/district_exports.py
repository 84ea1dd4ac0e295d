"""Exports at district scale, from the seeded district data: time, size and peak memory of each.

    .venv/bin/python bench/district_exports.py --database-url sqlite:////tmp/district.sqlite

The database must hold `flask demo seed --scale district`. Each export runs in a fresh, signed-in process.
"peak MB" is the whole process's peak resident memory while the export is made (Python, the app, SQLite or
the PostgreSQL driver, WeasyPrint and the file being written): on Linux the peak is reset after signing in,
because checking a password is memory-hard by design (scrypt, 32 MB) and is not part of any export.
"app MB" is what the signed-in process held before the export began."""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WALKTHROUGH_SECRET_KEY", "bench-only")


def one(database_url: str, email: str, url: str) -> dict:
    from walkthrough import create_app
    from walkthrough.demo.district import DEMO_PASSWORD

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
    before = _resident_mb()
    _reset_peak()
    began = time.perf_counter()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.response)
    seconds = time.perf_counter() - began
    response.close()
    assert response.status_code == 200, (url, response.status_code)
    return {"bytes": size, "seconds": seconds, "peak_mb": _peak_mb(), "app_mb": before}


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _resident_mb() -> float:
    return _status_mb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # Linux: VmHWM starts again from the current resident size
    except OSError:
        pass  # elsewhere the peak includes signing in


def _peak_mb() -> float:
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--one", nargs=2, metavar=("EMAIL", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.database_url, *args.one)))
        return
    from datetime import date

    from sqlalchemy import func, select

    from walkthrough import create_app
    from walkthrough.auth.models import User
    from walkthrough.coaching.models import CaseloadMember
    from walkthrough.extensions import db
    from walkthrough.schools.years import district_year, year_containing

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
    with app.app_context():
        coach = db.session.scalar(
            select(User.email)
            .join(CaseloadMember, CaseloadMember.coach_id == User.id)
            .group_by(User.email)
            .order_by(func.count().desc())
            .limit(1)
        )
    last = district_year(year_containing(date.today()).start_year - 1)
    first = district_year(last.start_year - 1)
    year = f"start={last.start}&end={last.end}"
    all_years = f"start={first.start}&end={date.today()}"
    admin = "dana.whitfield@district.example"
    cases = [
        ("summary CSV, last year", admin, f"/reports/summary.csv?section=observations&{year}"),
        ("summary CSV, all years", admin, f"/reports/summary.csv?section=observations&{all_years}"),
        ("cover CSV, all years", admin, f"/reports/summary.csv?section=coverage&{all_years}"),
        ("release CSV, all years", admin, f"/reports/summary.csv?section=release&{all_years}"),
        ("summary XLSX, last year", admin, f"/reports/summary.xlsx?{year}"),
        ("summary XLSX, all years", admin, f"/reports/summary.xlsx?{all_years}"),
        ("summary PDF, last year", admin, f"/reports/summary.pdf?{year}"),
        ("caseload XLSX (75)", coach, f"/coaching/export.xlsx?year={last.start_year}"),
        ("caseload CSV (75)", coach, f"/coaching/export.csv?year={last.start_year}"),
    ]
    print(f"{'export':<26}{'bytes':>10}{'seconds':>9}{'peak MB':>9}{'app MB':>8}")
    results = []
    for label, email, url in cases:
        output = subprocess.run(
            [sys.executable, __file__, "--database-url", args.database_url, "--one", email, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        r = json.loads(output.strip().splitlines()[-1])
        results.append((label, r))
        print(f"{label:<26}{r['bytes']:>10}{r['seconds']:>9.2f}{r['peak_mb']:>9.0f}{r['app_mb']:>8.0f}")
    slowest = max(results, key=lambda item: item[1]["seconds"])
    print(
        f"summary: slowest {slowest[0]} {slowest[1]['seconds']:.2f} s; "
        f"largest peak {max(r['peak_mb'] for _, r in results):.0f} MB resident"
    )


if __name__ == "__main__":
    main()
