"""What each page of the load test does per request, counted rather than timed: Python function calls, SQL
statements and Redis commands, in-process, as the same people as `load.py`.

    .venv/bin/python bench/work.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/wt_bench_district
    WALKTHROUGH_CACHE_REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/work.py --database-url ...

Timings on a shared 2-core machine move by more than a change that saves a tenth of a millisecond; these counts
don't move at all between runs, so two checkouts can be compared exactly (run this file from each). Python calls
measure the app's own work (templates, the ORM, Flask); statements and Redis commands are its round trips."""

import argparse
import cProfile
import json
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WALKTHROUGH_SECRET_KEY", "bench-only")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/district.sqlite")
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    # As load.py serves it: production settings, no rate limits, the cache the environment names.
    os.environ.update(
        WALKTHROUGH_DATABASE_URL=args.database_url,
        WALKTHROUGH_ENV="production",
        WALKTHROUGH_BASE_URL="http://127.0.0.1",
        WALKTHROUGH_HTTPS="0",
        WALKTHROUGH_RATELIMIT_ENABLED="0",
    )
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from bench.load import USER_AGENT, prepare
    from walkthrough.demo.district import DEMO_PASSWORD
    from wsgi import app

    chosen = prepare(args.database_url)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate, br, zstd"}

    def signed_in(email: str):
        client = app.test_client()
        plain = {"User-Agent": USER_AGENT}
        login = client.get("/auth/login", headers=plain).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
        client.post("/auth/login", data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD}, headers=plain)
        home = client.get("/", headers=plain).get_data(as_text=True)
        return client, re.search(r'"X-CSRFToken": "([^"]+)"', home).group(1)

    teacher, csrf = signed_in(chosen["teacher"])
    admin, _ = signed_in(chosen["admin"])
    coach, _ = signed_in(chosen["coach"])
    lines = iter(range(10**9))

    def autosave():
        n, now = next(lines), int(time.time() * 1000)
        changes = [
            {"key": f"a{n:012d}", "op": "add_evidence", "field": "log", "entry": f"work{n:08d}", "recorded_at": now},
            {"key": f"t{n:012d}", "op": "text", "slot": f"evidence:work{n:08d}", "value": f"Students compared {n}"}
            | {"base": "", "base_revision": 0},
        ]
        return teacher.post(
            f"/observations/{chosen['typing']}/changes",
            data=json.dumps({"changes": changes}),
            headers={**headers, "X-CSRFToken": csrf, "Content-Type": "application/json"},
        )

    pages = [
        ("observer's home", lambda: teacher.get("/", headers=headers)),
        (
            "open slots, filtered",
            lambda: teacher.get(f"/visits/?school_id={chosen['school']}&subject=math", headers=headers),
        ),
        ("note editor", lambda: teacher.get(f"/observations/{chosen['editor']}", headers=headers)),
        ("autosave", autosave),
        ("coverage board, busy day", lambda: admin.get(chosen["board"], headers=headers)),
        ("coach caseload", lambda: coach.get("/coaching/", headers=headers)),
        ("admin dashboard", lambda: admin.get("/reports/", headers=headers)),
    ]

    statements: list[str] = []
    event.listen(Engine, "before_cursor_execute", lambda *_args: statements.append(""))
    redis_commands = _count_redis_commands(app)
    print(f"{'page':<28}{'Python calls':>14}{'statements':>12}{'Redis':>8}")
    for name, ask in pages:
        for _ in range(5):  # what is kept between requests is kept by now
            answer = ask()
            assert answer.status_code == 200, (name, answer.status_code)
        statements.clear()
        redis_commands.clear()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            ask()
        profile.disable()
        calls = pstats.Stats(profile).total_calls / args.requests
        print(
            f"{name:<28}{calls:>14,.0f}{len(statements) / args.requests:>12.1f}"
            f"{len(redis_commands) / args.requests:>8.1f}"
        )
    print(f"summary: {args.database_url.split(':', 1)[0]}, {args.requests} requests a page, counted in-process")


def _count_redis_commands(app) -> list:
    """Every command the app's cache sends Redis from now on (none when the cache isn't Redis)."""
    sent: list = []
    backend = next(iter(app.extensions.get("cache", {}).values()), None)
    client = getattr(backend, "_read_client", None)
    if client is not None:
        send = client.execute_command

        def noted(*command, **options):
            sent.append(command[0])
            return send(*command, **options)

        client.execute_command = noted
    return sent


if __name__ == "__main__":
    main()
