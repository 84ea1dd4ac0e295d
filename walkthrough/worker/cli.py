import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..db_types import utcnow
from ..extensions import db
from ..outbox.delivery import deliver_due
from ..outbox.models import WorkerBeat

worker_cli = AppGroup("worker", help="The worker that sends email and runs the scheduled jobs.")

# The sweep beats every minute; three missed beats and the worker counts as gone.
ALIVE_WITHIN = timedelta(minutes=3)


def live_workers() -> list[WorkerBeat]:
    return list(
        db.session.scalars(
            select(WorkerBeat).where(WorkerBeat.seen_at >= utcnow() - ALIVE_WITHIN).order_by(WorkerBeat.name)
        )
    )


@worker_cli.command("run")
@click.option("--threads", default=2, show_default=True, help="Jobs run at the same time in this process.")
def run_command(threads: int) -> None:
    """Deliver email and run the periodic jobs until stopped (Ctrl+C, or SIGINT/SIGTERM from a supervisor)."""
    queue = current_app.extensions["huey"]
    click.echo(f"Worker started: {threads} threads, queue {type(queue.storage).__name__}.")
    queue.create_consumer(workers=threads, periodic=True, worker_type="thread", max_delay=2.0).run()


@worker_cli.command("status")
def status_command() -> None:
    """Exit 0 if a worker beat in the last three minutes (for health checks), 1 otherwise."""
    workers = live_workers()
    for beat in workers:
        click.echo(f"{beat.name}: alive, last seen {beat.seen_at:%Y-%m-%d %H:%M:%S} UTC")
    if not workers:
        click.echo("No worker has been seen in the last three minutes.", err=True)
        sys.exit(1)


@worker_cli.command("deliver")
def deliver_command() -> None:
    """Send every message that is due now, once, without a worker (scripts and checks)."""
    click.echo(f"{deliver_due()} delivered.")
