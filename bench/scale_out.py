"""The scale-out set-up under load: two gunicorn app servers (2 workers each) behind Debian's HAProxy, on one
PostgreSQL database, with Redis for sign-in limits, caches and the task queue, a worker process and a photo
folder both servers share, next to one app server alone and a bare Flask hello world, in the same run.

    .venv/bin/python bench/scale_out.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/wt_district

Needs haproxy and wrk (Debian packages) and Redis on 127.0.0.1:6379; the database gets the district data set
when empty. On one machine the two servers share its cores, so the balancer can't add throughput here: what
this shows is what the extra hop and the shared stores cost, and that the pages still answer through it."""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import prepare, sign_in, start_gunicorn, wrk  # noqa: E402
from tests.faults.servers import haproxy  # noqa: E402

REDIS = "redis://127.0.0.1:6379"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    chosen = prepare(args.database_url)
    shared = tempfile.mkdtemp(prefix="walkthrough-shared-")
    env = {
        **os.environ,
        "WALKTHROUGH_DATABASE_URL": args.database_url,
        "WALKTHROUGH_ENV": "production",
        "WALKTHROUGH_SECRET_KEY": "bench-only",
        "WALKTHROUGH_BASE_URL": "http://127.0.0.1",
        "WALKTHROUGH_HTTPS": "0",
        "WALKTHROUGH_PHOTO_FOLDER": f"{shared}/photos",
        "WALKTHROUGH_PLANS_FOLDER": f"{shared}/plans",
        "WALKTHROUGH_RATELIMIT_STORAGE_URI": f"{REDIS}/10",
        "WALKTHROUGH_LOGIN_LIMIT_PER_ADDRESS": "1000 per minute",
        "WALKTHROUGH_CACHE_REDIS_URL": f"{REDIS}/9",
        "WALKTHROUGH_QUEUE_URL": f"{REDIS}/8",
    }
    servers = [start_gunicorn("wsgi:app", env, 2) for _ in range(2)]
    hello, hello_base = start_gunicorn("bench.hello:app", env, 2)
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "run"], env=env)
    ports = [int(base.rsplit(":", 1)[1]) for _, base in servers]
    try:
        with haproxy(ports) as balancer:
            front = f"http://127.0.0.1:{balancer.port}"
            alone = servers[0][1]
            teacher, _ = sign_in(front, chosen["teacher"])
            admin, _ = sign_in(front, chosen["admin"])
            rows = [("hello world, one server", wrk(hello_base + "/", args.connections, args.duration))]
            for name, path, cookie in (
                ("observer's home", "/", teacher),
                ("admin dashboard", "/reports/", admin),
            ):
                rows.append((f"{name}, one server", wrk(alone + path, args.connections, args.duration, cookie)))
                rows.append((f"{name}, two behind HAProxy", wrk(front + path, args.connections, args.duration, cookie)))
    finally:
        for process in [*(p for p, _ in servers), hello, worker]:
            process.terminate()
            process.wait(timeout=15)
    hello_rate = rows[0][1]["rps"]
    print(f"\n{args.connections} connections, {args.duration} s each")
    print(f"{'':40}{'req/s':>9}{'p50':>8}{'p95':>8}{'errors':>8}{'of hello':>10}")
    for name, result in rows:
        rate, errors = result["rps"], result["errors"]
        print(f"{name:40}{rate:9.0f}{result['p50']:8.1f}{result['p95']:8.1f}{errors:>8}{rate / hello_rate:10.1%}")


if __name__ == "__main__":
    main()
