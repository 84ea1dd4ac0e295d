"""Where a bench run's CPU went, read from /proc (Linux): the app's gunicorn processes, PostgreSQL's, and the
load generator's (wrk, a child of the bench). Used by load.py."""

import os
import resource
import subprocess


def _stat(pid: int) -> tuple[str, list[str]] | None:
    """A process's name and the fields after it in /proc/PID/stat (state, parent, ..., utime, stime)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            text = stat.read()
    except OSError:
        return None
    return text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far; 0 for any that can't be read."""
    ticks = 0
    for pid in pids:
        if stat := _stat(pid):
            ticks += int(stat[1][11]) + int(stat[1][12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _processes(where) -> list[int]:
    """The running processes for which where(name, parent's id) holds (Linux; none elsewhere)."""
    pids = [int(entry) for entry in os.listdir("/proc") if entry.isdigit()] if os.path.isdir("/proc") else []
    return [pid for pid in pids if (stat := _stat(pid)) and where(stat[0], int(stat[1][1]))]


class CpuMeter:
    """Where the CPU went during a run: the app's gunicorn processes, PostgreSQL's, and wrk's."""

    def __init__(self, gunicorn: subprocess.Popen):
        self.master = gunicorn.pid

    def _app(self) -> list[int]:
        return [self.master] + _processes(lambda name, parent: parent == self.master)

    def __enter__(self):
        self.app, self.database = self._app(), _processes(lambda name, parent: name == "postgres")
        self.before = (_cpu_seconds(self.app), _cpu_seconds(self.database), _children_cpu())
        return self

    def __exit__(self, *exc):
        after = (_cpu_seconds(self.app), _cpu_seconds(self.database), _children_cpu())
        self.spent = [b - a for a, b in zip(self.before, after, strict=True)]

    def per_request_ms(self, requests: int) -> dict:
        return {
            key: 1000 * value / max(requests, 1) for key, value in zip(("app", "db", "wrk"), self.spent, strict=True)
        }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
