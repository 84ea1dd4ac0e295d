"""The worker: a Huey task queue that delivers the outbox and runs the periodic jobs (reminders, nudges),
so no cron is needed. Huey because it is small, well kept and has the storage we want on both sides: a
SQLite file by default (a fresh clone needs nothing else) and Redis when WALKTHROUGH_QUEUE_URL names one.

The queue only says "look at message 12 now"; the outbox table is the truth, and a sweep every minute
sends whatever the queue lost. Start it with `flask worker run`."""

import functools
import logging
import os

from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from ..extensions import db

log = logging.getLogger(__name__)


def make_queue(app: Flask) -> Huey:
    url = app.config["QUEUE_URL"]
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("walkthrough", url=url)
    if url == "memory://":  # the tests: nothing is consumed unless a test asks
        return MemoryHuey("walkthrough")
    if url.startswith("sqlite:///"):
        filename = url.removeprefix("sqlite:///")
    else:
        os.makedirs(app.instance_path, exist_ok=True)
        filename = os.path.join(app.instance_path, "queue.sqlite")
    return SqliteHuey("walkthrough", filename=filename)


def in_app_context(app: Flask, job):
    """Run a job the way a request runs: in an app context, with its own database session afterwards gone."""

    @functools.wraps(job)
    def run(*args, **kwargs):
        with app.app_context():
            try:
                return job(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def init_worker(app: Flask) -> None:
    from .jobs import register_jobs

    queue = make_queue(app)
    deliver_task = register_jobs(app, queue)

    def wake(message_ids: list[int]) -> None:
        # The action has committed; a queue that is down must not turn it into an error page. The sweep sends.
        try:
            for message_id in message_ids:
                deliver_task(message_id)
        except Exception:
            log.exception(
                "Could not hand messages %s to the task queue; the worker's sweep will send them", message_ids
            )

    app.extensions["huey"] = queue
    app.extensions["outbox_wake"] = wake
