"""`flask rollups build`: count every roll-up from nothing now (after an upgrade, or to rule them out when
a figure looks wrong), so the first admin to open a dashboard doesn't wait for it."""

import time

import click
from flask.cli import AppGroup
from sqlalchemy import delete

from ..extensions import db
from . import upkeep
from .models import RollupState

rollups_cli = AppGroup("rollups", help="The dashboard's monthly counts.")


@rollups_cli.command("build")
def build_command() -> None:
    """Count every school's and person's months again from the visits and cover themselves."""
    started = time.perf_counter()
    db.session.execute(delete(RollupState))
    db.session.commit()
    upkeep.refresh()
    click.echo(f"Roll-ups built in {time.perf_counter() - started:.1f} s.")
