"""What the worker runs: one delivery per committed message, and the periodic jobs."""

import os
import socket

from flask import Flask
from huey import Huey, crontab

from ..coverage import callout as coverage_callout
from ..db_types import utcnow
from ..extensions import db
from ..flows.nudges import send_nudges
from ..outbox.delivery import deliver, deliver_due
from ..outbox.models import WorkerBeat
from ..visits.day_of import send_reminders
from . import in_app_context

WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


def beat() -> None:
    db.session.merge(WorkerBeat(name=WORKER_NAME, seen_at=utcnow()))
    db.session.commit()


def sweep() -> int:
    """Every minute: say this worker is alive, then send what is due (retries, lost wake-ups, dead workers')."""
    beat()
    return deliver_due()


def call_out() -> int:
    """Tell substitutes about open jobs (each once), and announce again those still open near their start."""
    told = coverage_callout.call_out()
    db.session.commit()
    return told


def reminders() -> int:
    sent = send_reminders()
    db.session.commit()
    return sent


def nudges() -> int:
    sent = send_nudges()
    db.session.commit()
    return sent


def register_jobs(app: Flask, queue: Huey):
    deliver_task = queue.task(name="deliver", retries=0)(in_app_context(app, deliver))
    # A worker that starts (or restarts after a crash) sends what is due at once, not at the next minute.
    queue.on_startup(name="catch_up")(in_app_context(app, sweep))
    queue.periodic_task(crontab(minute="*"), name="sweep")(in_app_context(app, sweep))
    # Every minute: a job that opens is announced within the minute.
    queue.periodic_task(crontab(minute="*"), name="call_out")(in_app_context(app, call_out))
    queue.periodic_task(crontab(minute="*/15"), name="reminders")(in_app_context(app, reminders))
    # Nudges respect each person's quiet hours in their own time zone, so they are looked at every hour.
    queue.periodic_task(crontab(minute="7"), name="nudges")(in_app_context(app, nudges))
    return deliver_task
