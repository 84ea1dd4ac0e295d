import click
from flask.cli import AppGroup

from ..extensions import db
from .checks import problems

trust_cli = AppGroup("trust", help="Check that the data keeps the rules that keep admins away from notes.")


@trust_cli.command("check")
def check() -> None:
    """List people and cohorts that break the role rules; exit 1 if there are any."""
    with db.engine.connect() as connection:
        found = problems(connection)
    for problem in found:
        click.echo(problem)
    if found:
        raise click.exceptions.Exit(1)
    click.echo("No problems: no admin is also a coach or in a cohort, and every team leader is a member.")
