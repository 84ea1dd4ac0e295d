import time

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from ..auth.models import Role, RoleGrant, User
from ..coverage.models import SubstitutePool
from ..extensions import db
from ..outbox.services import keep_unsent
from ..roster.services import apply_roster, plan_roster
from ..schools.models import School
from ..schools.queries import today_at
from ..schools.services import save_period, save_school
from .calendar import seed_demo_calendar
from .district import (
    DEMO_PASSWORD,
    NAMED_PEOPLE,
    SCHOOLS,
    build_roster,
    email_for,
    school_year,
)
from .history import seed_demo_history
from .learning_hub import seed_demo_learning_hub
from .scale import SCALES
from .scale_seed import seed_at_scale
from .visits import seed_demo_coverage, seed_demo_open_classrooms, seed_demo_visits
from .walks import seed_demo_walks

demo_cli = AppGroup("demo", help="Demo data for trying Walkthrough out.")


def create_demo_schools(year: tuple | None = None) -> list[School]:
    """The three demo schools with their bell schedules, for this school year unless told otherwise."""
    schools = []
    for spec in SCHOOLS:
        first_day, last_day = year or school_year(today_at(School(timezone=spec["timezone"])))
        school = save_school(
            school=None,
            name=spec["name"],
            level=spec["level"],
            region=spec["region"],
            timezone=spec["timezone"],
            rotation=spec["rotation"],
            year_first_day=first_day,
            year_last_day=last_day,
            address=spec["address"],
        )
        for name, starts_at, ends_at, days in spec["periods"]:
            save_period(school=school, period=None, name=name, starts_at=starts_at, ends_at=ends_at, days=days)
        schools.append(school)
    return schools


def seed_demo_district() -> int:
    """Create the demo schools and roster, and give everyone the demo password. Returns people created."""
    create_demo_schools()
    seed_demo_calendar()  # first, so the visits and history below fall on days with school
    plan = plan_roster(build_roster(), actor=None)
    if not plan.is_valid:
        raise RuntimeError("demo roster is invalid: " + "; ".join(str(p) for p in plan.problems))
    result = apply_roster(plan, actor=None, invite_new=False)
    # One hash for everyone: the demo password is public anyway, and hashing it 70 times is slow.
    shared_hash = generate_password_hash(DEMO_PASSWORD)
    for user in db.session.scalars(select(User)):
        user.password_hash = shared_hash
    db.session.flush()
    _fill_substitute_pools()
    seed_demo_visits()
    seed_demo_open_classrooms()
    seed_demo_coverage()
    seed_demo_history()
    seed_demo_walks()
    seed_demo_learning_hub()
    return result.created


def _fill_substitute_pools() -> None:
    """Every demo substitute serves two or three of the schools."""
    schools = db.session.scalars(select(School).order_by(School.id)).all()
    substitutes = db.session.scalars(
        select(User).join(RoleGrant).where(RoleGrant.role == Role.SUBSTITUTE.value).order_by(User.id)
    ).all()
    for n, substitute in enumerate(substitutes):
        for school in schools if n % 2 == 0 else schools[n % 3 : n % 3 + 2]:
            db.session.add(SubstitutePool(substitute_id=substitute.id, school_id=school.id))
    db.session.flush()


def print_logins() -> None:
    click.echo(f"\nDemo sign-ins (password for everyone: {DEMO_PASSWORD})")
    labels = {
        "teacher": "teacher",
        "teacher_coach": "teacher librarian + coach",
        "coach": "district coach",
        "elementary_coach": "elementary coach",
        "admin": "district admin",
        "principal": "principal (admin)",
        "substitute": "substitute",
    }
    for key, label in labels.items():
        click.echo(f"  {label:<27} {email_for(NAMED_PEOPLE[key][1])}")


@demo_cli.command("seed")
@click.option(
    "--scale",
    type=click.Choice(["demo", *SCALES]),
    default="demo",
    show_default=True,
    help="demo: 3 schools to try things out; district: 50 schools and three years of history; "
    "state: ten times a district (use PostgreSQL).",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="The same seed builds the same data.")
def seed_command(scale: str, seed: int) -> None:
    """Build a believable demo district. Does nothing if schools exist."""
    if db.session.scalar(select(func.count()).select_from(School)):
        click.echo("The database already has schools; demo data was not added.")
        print_logins()
        return
    if scale != "demo":
        started = time.perf_counter()
        written = seed_at_scale(SCALES[scale], seed=seed)
        click.echo(f"Built the {scale} data set in {time.perf_counter() - started:.0f} s:")
        for table, rows in sorted(written.items()):
            click.echo(f"  {table:<22} {rows:>10,}")
        click.echo(
            f"Every password is {DEMO_PASSWORD}; principals are principal00001@... and so on, the district admin "
            "dana.whitfield@district.example."
        )
        return
    created = seed_demo_district()
    # The demo's own emails (visit notices, shares) are its history: kept in the outbox, never delivered.
    keep_unsent()
    db.session.commit()
    click.echo(f"Demo district created: {len(SCHOOLS)} schools, {created} people.")
    print_logins()
