"""A small district for visit tests. Loaded as a pytest plugin by conftest."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.protocols.models import Protocol
from walkthrough.schools.models import CalendarDay, DayKind, Rotation
from walkthrough.visits import hosting, services


def next_weekday(weekday: int, weeks_ahead: int = 1) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


@pytest.fixture
def district(app, make_school, make_user):
    year = dict(first_day=date.today() - timedelta(days=60), last_day=date.today() + timedelta(days=200))
    school = make_school("Riverside Middle", timezone="America/Chicago", **year)
    denver = make_school("Lincoln High", timezone="America/Denver", rotation=Rotation.AB, **year)
    host = make_user(Role.TEACHER, school=school, name="Jordan Lee", email="jordan@school.example")
    teachers = [
        make_user(Role.TEACHER, school=school, name=f"Teacher {n}", email=f"t{n}@school.example") for n in range(4)
    ]
    coach = make_user(Role.COACH, school=school, name="Sam Coach", email="sam@school.example")
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
    return {
        "school": school,
        "denver": denver,
        "host": host,
        "teachers": teachers,
        "coach": coach,
        "protocol": protocol,
    }


def weekday_after(days: int) -> date:
    """date.today() + days, moved on to the Monday when it falls on a weekend (weekends have no school)."""
    day = date.today() + timedelta(days=days)
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def weekdays_after(days: int, count: int) -> list[date]:
    first = date.today() + timedelta(days=days)
    every = (first + timedelta(days=n) for n in range(count * 2 + 2))
    return [d for d in every if d.weekday() < 5][:count]


def with_school_on(school, day: date) -> date:
    """Make day a school day (a Saturday make-up day when it falls on a weekend), so tests about
    "tomorrow" work whatever day they run on."""
    if day.weekday() >= 5:
        db.session.add(CalendarDay(school_id=school.id, day=day, kind=DayKind.SPECIAL, name="Make-up day"))
        db.session.commit()
    return day


def open_slot(d, *, day=None, start=time(10), end=time(10, 45), capacity=2, host=None, **extra):
    slots = hosting.open_classroom(
        host=host or d["host"],
        day=day or next_weekday(0),
        period_id=None,
        local_start=start,
        local_end=end,
        room="204",
        capacity=capacity,
        focus_question="Who asks the questions?",
        protocol=d["protocol"],
        note_for_visitors="Sit at the back",
        cutoff_hours=extra.pop("cutoff_hours", 0),
        per_person_limit=extra.pop("per_person_limit", None),
        **extra,
    )
    db.session.commit()
    return slots


def book(slot, person, actor=None):
    signup = services.sign_up(slot=slot, observer=person, actor=actor or person)
    db.session.commit()
    return signup
