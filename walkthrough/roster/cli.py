import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..extensions import db
from ..rules import RuleViolation
from .reading import decode_upload
from .services import apply_roster, plan_roster

roster_cli = AppGroup("roster", help="Import staff rosters.")


@roster_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change, without writing.")
@click.option("--invite", is_flag=True, help="Email an invitation to each new person.")
def import_command(file: Path, dry_run: bool, invite: bool) -> None:
    """Import a roster CSV: people, roles, schools and teachers' periods."""
    try:
        text = decode_upload(file.read_bytes())
    except RuleViolation as violation:
        click.echo(f"{file}: {violation.message}", err=True)
        sys.exit(1)
    plan = plan_roster(text, actor=None)
    if not plan.is_valid:
        click.echo(f"{file}: {len(plan.problems)} problem(s); nothing was imported.", err=True)
        for problem in plan.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(
        f"{len(plan.new_people)} new, {len(plan.changed_people)} changed, "
        f"{plan.unchanged_people} unchanged; {plan.schedules_changed} schedule(s) change."
    )
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    result = apply_roster(plan, actor=None, invite_new=invite)
    db.session.commit()
    click.echo(
        f"Imported: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
        + (f", {result.invited} invited." if invite else ".")
    )
