"""HTTP under load: gunicorn (2 workers) on 127.0.0.1 and wrk, with the district data loaded.

    .venv/bin/python bench/load.py [--database-url URL] [--connections 2,16,64] [--duration 10]
                                    [--pages home,autosave] [--floor]

With no --database-url it builds the district data set in a temporary SQLite file first (about a
minute); point it at a PostgreSQL database to measure that instead (it is seeded when empty). For each
page and connection count it prints requests per second, p50/p95/p99 latency and errors, next to a bare
Flask "hello world" served the same way, and each page's throughput as a share of it. Two connections,
one per worker, show how long a request takes when nobody queues; every request asks for compression
the way a phone's browser does. The last columns say where the CPU went, per request: the app's gunicorn
processes, PostgreSQL's server processes (SQLite works inside the app) and wrk (read from /proc, Linux).
With --floor it serves bench/floor_app.py, the same app with two pages that do nothing, and measures them
first: what a signed-in request costs before a page does any work, and with the layout around it."""

import argparse
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WALKTHROUGH_SECRET_KEY", "bench-only")

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import case, func, select  # noqa: E402

from bench.cpu import CpuMeter  # noqa: E402
from walkthrough import create_app  # noqa: E402
from walkthrough.auth.models import Role, RoleGrant, User  # noqa: E402
from walkthrough.coverage.models import CoverageRequest, CoverageStatus  # noqa: E402
from walkthrough.demo.district import DEMO_PASSWORD  # noqa: E402
from walkthrough.demo.scale import SCALES  # noqa: E402
from walkthrough.demo.scale_seed import seed_at_scale  # noqa: E402
from walkthrough.extensions import db  # noqa: E402
from walkthrough.observations import services as observations  # noqa: E402
from walkthrough.protocols.models import Protocol  # noqa: E402
from walkthrough.schools.models import School  # noqa: E402

WRK = ROOT / "bench" / "wrk"
# Judged against 8 % of hello world; the others, the hot pages, against 15 % (issue 25).
HEAVY_PAGES = {"coverage board, busy day", "coach caseload", "admin dashboard"}
# Sent with the sign-in and with every measured request, as a phone's browser sends the same one each time.
# Sign-in binds the session to the browser (Flask-Login's session protection): a request from another one
# is served but marks the session unfresh and rewrites its cookie, work a real phone never causes.
USER_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile"


def prepare(database_url: str) -> dict:
    """Seed when empty, then choose the people and records each page needs."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        if not db.session.scalar(select(func.count()).select_from(School)):
            started = time.perf_counter()
            seed_at_scale(SCALES["district"])
            print(f"seeded the district data set in {time.perf_counter() - started:.0f} s", flush=True)
        teacher = db.session.scalar(select(User).where(User.email.like("teacher%")).order_by(User.id))
        colleague = db.session.scalar(
            select(User).where(User.school_id == teacher.school_id, User.id != teacher.id, User.email.like("teacher%"))
        )
        coach = db.session.scalar(
            select(User).join(RoleGrant).where(RoleGrant.role == Role.COACH.value).order_by(User.id)
        )
        protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
        editor = observations.start_observation(observer=teacher, host=colleague, protocol=protocol)
        typing = observations.start_observation(observer=teacher, host=colleague, protocol=protocol)
        # The busiest day that still has classes to fill: the board works out who could cover each.
        still_open = func.sum(case((CoverageRequest.status == CoverageStatus.OPEN.value, 1), else_=0))
        busy_school, busy_day = db.session.execute(
            select(CoverageRequest.school_id, CoverageRequest.day)
            .group_by(CoverageRequest.school_id, CoverageRequest.day)
            .having(still_open > 0)
            .order_by(func.count().desc(), still_open.desc(), CoverageRequest.school_id, CoverageRequest.day)
            .limit(1)
        ).one()
        db.session.commit()
        return {
            "teacher": teacher.email,
            "coach": coach.email,
            "admin": "dana.whitfield@district.example",
            "school": teacher.school_id,
            "editor": editor.id,
            "typing": typing.id,
            "board": f"/coverage/board?school_id={busy_school}&day={busy_day.isoformat()}",
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(target: str, env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1).read()
            return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start for {target}")


def sign_in(base: str, email: str) -> tuple[str, str]:
    """The Cookie header for a signed-in session, and a CSRF token for its POSTs."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    opener.open(
        base + "/auth/login",
        urllib.parse.urlencode({"csrf_token": token, "email": email, "password": DEMO_PASSWORD}).encode(),
    ).read()
    home = opener.open(base + "/").read().decode()
    csrf = re.search(r'"X-CSRFToken": "([^"]+)"', home).group(1)
    return "; ".join(f"{c.name}={c.value}" for c in jar), csrf


def wrk(
    url: str,
    connections: int,
    duration: int,
    cookie: str = "",
    script: Path = WRK / "report.lua",
    env: dict | None = None,
) -> dict:
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{duration}s", "-s", str(script)]
    command += ["-H", "Accept-Encoding: gzip, deflate, br, zstd", "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        command + [url],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "REPORT_LUA": str(WRK / "report.lua"), **(env or {})},
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.mkdtemp()}/district.sqlite")
    parser.add_argument("--connections", default="2,16,64")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", default="", help="only pages whose names contain one of these words: home,autosave")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="serve bench/floor_app.py and first measure two pages that do nothing: signed in, and an empty layout",
    )
    args = parser.parse_args()
    chosen = prepare(args.database_url)
    env = {
        **os.environ,
        "WALKTHROUGH_DATABASE_URL": args.database_url,
        "WALKTHROUGH_ENV": "production",
        "WALKTHROUGH_BASE_URL": "http://127.0.0.1",
        "WALKTHROUGH_HTTPS": "0",
        "WALKTHROUGH_RATELIMIT_ENABLED": "0",
    }
    app, base = start_gunicorn("bench.floor_app:app" if args.floor else "wsgi:app", env, args.workers)
    hello, hello_base = start_gunicorn("bench.hello:app", env, args.workers)
    try:
        teacher, csrf = sign_in(base, chosen["teacher"])
        admin, _ = sign_in(base, chosen["admin"])
        coach, _ = sign_in(base, chosen["coach"])
        floor = [
            ("floor: signed in, no page", f"{base}/_floor/signed-in", teacher, None),
            ("floor: empty layout", f"{base}/_floor/layout", teacher, None),
        ]
        pages = (floor if args.floor else []) + [
            ("observer's home", f"{base}/", teacher, None),
            ("open slots, filtered", f"{base}/visits/?school_id={chosen['school']}&subject=math", teacher, None),
            ("note editor", f"{base}/observations/{chosen['editor']}", teacher, None),
            ("autosave", f"{base}/observations/{chosen['typing']}/changes", teacher, "autosave"),
            ("coverage board, busy day", base + chosen["board"], admin, None),
            ("coach caseload", f"{base}/coaching/", coach, None),
            ("admin dashboard", f"{base}/reports/", admin, None),
        ]
        wanted = [word.strip() for word in args.pages.split(",") if word.strip()]
        pages = [page for page in pages if not wanted or page in floor or any(word in page[0] for word in wanted)]
        rows = []
        for connections in (int(c) for c in args.connections.split(",")):
            with CpuMeter(hello) as meter:
                baseline = wrk(hello_base + "/", connections, args.duration)
            baseline["cpu"] = meter.per_request_ms(baseline["requests"])
            rows.append(("hello world (bare Flask)", connections, baseline, 1.0))
            for name, url, cookie, script in pages:
                extra = {}
                if script == "autosave":
                    extra = {
                        "AUTOSAVE_PATH": urllib.parse.urlsplit(url).path,
                        "AUTOSAVE_FIELD": "log",
                        "CSRF_TOKEN": csrf,
                    }
                with CpuMeter(app) as meter:
                    result = wrk(
                        url,
                        connections,
                        args.duration,
                        cookie,
                        WRK / f"{script}.lua" if script else WRK / "report.lua",
                        extra,
                    )
                result["cpu"] = meter.per_request_ms(result["requests"])
                rows.append((name, connections, result, result["rps"] / baseline["rps"]))
                print(f"  {name} at {connections}: {result}", flush=True)
    finally:
        for process in (app, hello):
            process.terminate()
            process.wait(timeout=10)
    backend = args.database_url.split(":", 1)[0]
    print(
        f"\n{'page':<28}{'conns':>6}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'of hello':>10}"
        f"{'CPU ms/request: app':>21}{'db':>6}{'wrk':>6}"
    )
    for name, connections, r, ratio in rows:
        cpu = r["cpu"]
        print(
            f"{name:<28}{connections:>6}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
            f"{r['errors']:>8}{ratio:>10.0%}{cpu['app']:>21.2f}{cpu['db']:>6.2f}{cpu['wrk']:>6.2f}"
        )
    pages_only = [row for row in rows if row[0] != "hello world (bare Flask)" and not row[0].startswith("floor")]
    # The targets are set at 16 connections: p95 under 50 ms (autosave 25 ms); a share of hello world of 15 %
    # for the hot pages and 8 % for the heavy ones (issue 25).
    judged = [row for row in pages_only if row[1] == 16] or pages_only
    worst = max(judged, key=lambda row: row[2]["p95"])
    within = sum(row[2]["p95"] < (25 if row[0] == "autosave" else 50) for row in judged)
    shares_met = sum(row[3] >= (0.08 if row[0] in HEAVY_PAGES else 0.15) for row in judged)
    print(
        f"summary: {backend}, {args.workers} gunicorn workers, at {judged[0][1]} connections: "
        f"{within} of {len(judged)} pages within their p95 target; worst p95 {worst[2]['p95']:.1f} ms "
        f"({worst[0]}); {shares_met} of {len(judged)} at their share of hello world (hot 15 %, heavy 8 %); "
        f"lowest share {min(row[3] for row in judged):.0%}"
    )


if __name__ == "__main__":
    main()
