"""Real servers for the fault tests: gunicorn with two workers, and a throwaway PostgreSQL cluster."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {port} after {seconds} s")


def wait_until_answering(process: subprocess.Popen, port: int, log_path: str, seconds: float = 60) -> None:
    """Until a worker answers an HTTP request, not merely until the master listens: a master whose workers
    fail to boot halts a moment after binding, and a test that went on would fail far from the cause."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}) while starting:\n{_tail(log_path)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                connection.sendall(b"GET /auth/login HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if connection.recv(16).startswith(b"HTTP/"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"gunicorn on {port} did not answer after {seconds} s:\n{_tail(log_path)}")


def _tail(log_path: str, lines: int = 40) -> str:
    return "\n".join(Path(log_path).read_text(errors="replace").splitlines()[-lines:])


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@contextmanager
def gunicorn(database_url: str, workers: int = 2, port: int | None = None, app: str = "served_app", env=None):
    """gunicorn serving the app (on a free port unless told); its log goes to a temporary file."""
    port = port or free_port()
    log = tempfile.NamedTemporaryFile("w", prefix="gunicorn-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "2",
            "--timeout",
            "30",
            f"tests.faults.{app}:app",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {}), "WALKTHROUGH_FAULT_DATABASE_URL": database_url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_answering(process, port, log.name)
        process.port = port
        process.log_path = log.name
        yield process
    except BaseException:
        # pytest shows a failed test's output: what the server said is usually the cause.
        print(f"gunicorn on {port} ({'running' if process.poll() is None else 'exited'}):\n{_tail(log.name)}")
        raise
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if os.environ.get("WALKTHROUGH_KEEP_GUNICORN_LOG") != "1":
            os.unlink(log.name)


PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root; CI runs as root, a developer usually doesn't.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary folder on its own port, so the machine's server is left alone."""

    def __init__(self):
        # Its own folder under /tmp: pytest's are private to root, and the server runs as postgres.
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="walkthrough-pg-")), free_port()
        self.data = self.folder / "data"

    def initialise(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            _as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    options,
                    "-l",
                    str(self.folder / "log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
            check=True,
            capture_output=True,
        )

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


HAPROXY_CONFIG = """
global
    maxconn 200
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    # A connection a dead server refused is tried on the other; a request it took is not sent twice.
    retries 3
    option redispatch
    retry-on conn-failure
frontend walkthrough
    bind 127.0.0.1:{port}
    default_backend app_servers
backend app_servers
    balance roundrobin
    option httpchk GET /auth/login
    http-check expect status 200
{servers}
"""


@contextmanager
def haproxy(backends: list[int]):
    """HAProxy (Debian's) balancing over app servers on these ports, checking each every half second."""
    port = free_port()
    servers = "\n".join(
        f"    server app{n} 127.0.0.1:{p} check inter 500 fall 1 rise 2" for n, p in enumerate(backends)
    )
    config = tempfile.NamedTemporaryFile("w", prefix="haproxy-", suffix=".cfg", delete=False)
    config.write(HAPROXY_CONFIG.format(port=port, servers=servers))
    config.close()
    process = subprocess.Popen([shutil.which("haproxy") or "/usr/sbin/haproxy", "-db", "-f", config.name],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for_port(port)
        process.port = port
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)
        os.unlink(config.name)


@contextmanager
def worker_process(app: str, env: dict):
    """The worker, as `flask worker run` starts it in production."""
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", f"tests.faults.{app}:app", "worker", "run"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
