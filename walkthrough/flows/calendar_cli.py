import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from ..schools.calendar import school_day
from ..schools.calendar_files import apply_calendar, plan_calendar
from ..schools.models import School
from .closures import cancel_plans_on_closed_days

calendar_cli = AppGroup("calendar", help="School calendars: holidays, closures, special days, A/B days.")


def _school(name: str | None) -> School | None:
    if name is None:
        return None
    school = db.session.scalar(select(School).where(func.lower(School.name) == name.strip().lower()))
    if school is None:
        raise click.BadParameter(f"no school is called “{name}”", param_hint="--school")
    return school


@calendar_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--school", "school_name", help="The school the file is for; without it, the CSV's school column.")
@click.option("--dry-run", is_flag=True, help="Show every date the file would change, without saving.")
def import_command(file: Path, school_name: str | None, dry_run: bool) -> None:
    """Import a calendar from an .ics file or a CSV (see README, "School calendar")."""
    plan = plan_calendar(data=file.read_bytes(), filename=file.name, school=_school(school_name))
    if not plan.is_valid:
        click.echo(f"{file}: {len(plan.problems)} problem(s); nothing was imported.", err=True)
        for problem in plan.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    for label, settings in (("new", plan.new), ("changed", plan.changed)):
        for setting in settings:
            click.echo(f"{label:>8} {setting.day.isoformat()} {setting.kind:<8} {setting.name}")
    click.echo(f"{len(plan.new)} new, {len(plan.changed)} changed, {plan.unchanged} unchanged.")
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    apply_calendar(plan)
    told = cancel_plans_on_closed_days(plan.new + plan.changed)
    db.session.commit()
    if told:
        click.echo(f"{told} people were told of visits or cover cancelled on the new closed days.")


@calendar_cli.command("show")
@click.option("--school", "school_name", required=True)
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True)
def show_command(school_name: str, start, end) -> None:
    """One line per date: no school and why, or its day type and hours."""
    school = _school(school_name)
    day: date = start.date()
    while day <= end.date():
        click.echo(f"{day.isoformat()} {day:%a} {school_day(school, day).summary}")
        day = date.fromordinal(day.toordinal() + 1)
