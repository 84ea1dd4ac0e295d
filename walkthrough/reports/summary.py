"""The admin summary as rows for CSV and XLSX: counts by school, month, protocol and the visitor's role.
Each query streams from the database in batches, so a district's rows never sit in memory at once."""

from collections.abc import Iterator
from datetime import date

from sqlalchemy import case, exists, func, select

from ..auth.models import Role, RoleGrant, User
from ..coverage.models import LIVE, CoverageRequest
from ..extensions import db
from ..protocols.models import Protocol
from ..rollups.cells import FILLED, NEEDED
from ..schools.models import School
from ..sheets import hours, month, percent
from ..sqltime import minutes_between, month_number
from ..visits.history import visits
from .figures import teachers_in
from .scope import Scope

BATCH = 1000

OBSERVATION_HEADER = [
    "School",
    month(),
    "Protocol",
    "Visitor's role",
    "Visits",
    "Notes shared with host",
    "Reflections written",
    "Host replies",
    hours("Visit hours"),
]
COVERAGE_HEADER = [
    "School",
    month(),
    "Classes needing cover",
    "Covered",
    "Not covered",
    percent("Fill rate (%)"),
    hours("Cover hours"),
]
RELEASE_HEADER = [
    "School",
    "Teachers",
    hours("Release budget (hours)"),
    hours("Release used (hours)"),
    percent("Share used (%)"),
]


def _first_of_month(key: int) -> date:
    year, index = divmod(key, 12)
    return date(year, index + 1, 1)


def _share(part: int, whole: int) -> float | str:
    return round(100 * part / whole, 1) if whole else ""


def visitor_role(user_id_column):
    """A visitor's role for reports: coach, then admin, then teacher, for people who hold several."""

    def holds(role: Role):
        return exists().where(RoleGrant.user_id == user_id_column, RoleGrant.role == role.value)

    return case((holds(Role.COACH), "Coach"), (holds(Role.ADMIN), "Admin"), else_="Teacher")


def observation_rows(scope: Scope) -> Iterator[list]:
    v = visits(scope.start, scope.end, school_ids=scope.school_ids)
    month = month_number(v.c.day)
    role = visitor_role(v.c.observer_id)
    query = (
        select(
            School.name,
            month,
            Protocol.name,
            role,
            func.count(),
            func.sum(v.c.shared),
            func.sum(v.c.reflected),
            func.sum(v.c.replied),
            func.sum(v.c.minutes),
        )
        .join(School, School.id == v.c.school_id)
        .join(Protocol, Protocol.id == v.c.protocol_id)
        .where(v.c.school_id.in_(scope.school_ids))
        .group_by(School.name, month, Protocol.name, role)
        .order_by(School.name, month, Protocol.name, role)
        .execution_options(yield_per=BATCH)
    )
    for school, key, protocol, who, count, shared, reflected, replied, minutes in db.session.execute(query):
        yield [
            school,
            _first_of_month(key),
            protocol,
            who,
            count,
            shared or 0,
            reflected or 0,
            replied or 0,
            round((minutes or 0) / 60, 2),
        ]


def coverage_rows(scope: Scope) -> Iterator[list]:
    month = month_number(CoverageRequest.day)
    query = (
        select(
            School.name,
            month,
            func.count(),
            func.sum(case((CoverageRequest.status.in_(FILLED), 1), else_=0)),
            func.sum(minutes_between(CoverageRequest.starts_at, CoverageRequest.ends_at)),
        )
        .join(School, School.id == CoverageRequest.school_id)
        .where(
            CoverageRequest.school_id.in_(scope.school_ids),
            CoverageRequest.status.in_(NEEDED),
            CoverageRequest.day.between(scope.start, scope.end),
        )
        .group_by(School.name, month)
        .order_by(School.name, month)
        .execution_options(yield_per=BATCH)
    )
    for school, key, needed, filled, minutes in db.session.execute(query):
        filled = filled or 0
        yield [
            school,
            _first_of_month(key),
            needed,
            filled,
            needed - filled,
            _share(filled, needed),
            round((minutes or 0) / 60, 2),
        ]


def release_rows(scope: Scope) -> Iterator[list]:
    teachers = teachers_in(scope)
    used = (
        select(
            CoverageRequest.teacher_id,
            func.sum(minutes_between(CoverageRequest.starts_at, CoverageRequest.ends_at)).label("minutes"),
        )
        .where(CoverageRequest.status.in_(LIVE), CoverageRequest.day.between(scope.start, scope.end))
        .group_by(CoverageRequest.teacher_id)
        .subquery()
    )
    query = (
        select(
            School.name,
            func.count(),
            func.sum(func.coalesce(User.release_minutes, School.release_minutes_default)),
            func.sum(func.coalesce(used.c.minutes, 0)),
        )
        .select_from(teachers)
        .join(User, User.id == teachers.c.id)
        .join(School, School.id == teachers.c.school_id)
        .outerjoin(used, used.c.teacher_id == teachers.c.id)
        .group_by(School.name)
        .order_by(School.name)
    )
    for school, count, budget, spent in db.session.execute(query):
        budget, spent = budget or 0, spent or 0
        yield [school, count, round(budget / 60, 2), round(spent / 60, 2), _share(spent, budget)]


SECTIONS = {
    "observations": ("Observations", OBSERVATION_HEADER, observation_rows),
    "coverage": ("Coverage", COVERAGE_HEADER, coverage_rows),
    "release": ("Release time", RELEASE_HEADER, release_rows),
}
