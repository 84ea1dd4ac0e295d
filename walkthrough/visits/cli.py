import click
from flask.cli import AppGroup

from ..extensions import db
from .day_of import send_reminders

notify_cli = AppGroup("notify", help="Scheduled emails.")


@notify_cli.command("reminders")
def reminders_command() -> None:
    """Email everyone booked for a visit tomorrow. Safe to run more than once a day."""
    sent = send_reminders()
    db.session.commit()
    click.echo(f"{sent} reminder{'s' if sent != 1 else ''} sent.")
