"""A school day for coverage tests: periods, an observer who teaches some of them, colleagues, a
substitute in the pool and one outside it. Loaded as a pytest plugin by conftest."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from walkthrough.auth.models import Role
from walkthrough.coverage.models import CoverageRequest, SubstitutePool
from walkthrough.extensions import db
from walkthrough.protocols.models import Protocol
from walkthrough.schools.models import PeriodAssignment
from walkthrough.schools.services import save_period
from walkthrough.visits import hosting
from walkthrough.visits import services as visits


def weekday_ahead(weekday=1, weeks=1) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


@pytest.fixture
def school_day(app, make_school, make_user):
    school = make_school(
        "Riverside", first_day=date.today() - timedelta(days=60), last_day=date.today() + timedelta(days=200)
    )
    week = ["mon", "tue", "wed", "thu", "fri"]
    p1 = save_period(school=school, period=None, name="Period 1", starts_at=time(8), ends_at=time(8, 50), days=week)
    p2 = save_period(school=school, period=None, name="Period 2", starts_at=time(9), ends_at=time(9, 50), days=week)
    p3 = save_period(school=school, period=None, name="Period 3", starts_at=time(10), ends_at=time(10, 50), days=week)
    observer = make_user(Role.TEACHER, school=school, name="Maya Observer")
    host = make_user(Role.TEACHER, school=school, name="Jordan Host")
    free = [make_user(Role.TEACHER, school=school, name=f"Colleague {n}") for n in range(3)]
    busy = make_user(Role.TEACHER, school=school, name="Busy Teacher")
    sub, stranger_sub = make_user(Role.SUBSTITUTE, name="Alex Sub"), make_user(Role.SUBSTITUTE, name="Pat Elsewhere")
    admin = make_user(Role.ADMIN, school=school, name="Principal")
    db.session.add_all(
        [
            PeriodAssignment(user_id=observer.id, period_id=p1.id, kind="planning"),
            PeriodAssignment(user_id=observer.id, period_id=p2.id, kind="teaching", course="Math 7", room="101"),
            PeriodAssignment(user_id=observer.id, period_id=p3.id, kind="teaching", course="Math 8", room="101"),
            PeriodAssignment(user_id=busy.id, period_id=p2.id, kind="teaching", course="Art", room="9"),
            SubstitutePool(substitute_id=sub.id, school_id=school.id),
        ]
    )
    db.session.commit()
    protocol = db.session.scalar(select(Protocol))
    return dict(
        school=school,
        periods=(p1, p2, p3),
        observer=observer,
        host=host,
        free=free,
        busy=busy,
        sub=sub,
        stranger_sub=stranger_sub,
        admin=admin,
        protocol=protocol,
        day=weekday_ahead(),
    )


def visit(d, start, end, day=None):
    [slot] = hosting.open_classroom(
        host=d["host"],
        day=day or d["day"],
        period_id=None,
        local_start=start,
        local_end=end,
        room="",
        capacity=2,
        focus_question="",
        protocol=d["protocol"],
        note_for_visitors="",
        cutoff_hours=0,
        per_person_limit=None,
    )
    signup = visits.sign_up(slot=slot, observer=d["observer"], actor=d["observer"])
    db.session.commit()
    return slot, signup


def live_requests(d):
    return db.session.scalars(
        select(CoverageRequest).where(CoverageRequest.status != "cancelled").order_by(CoverageRequest.starts_at)
    ).all()
