"""The admin summary as rows for CSV and XLSX: counts by school, month, protocol and the visitor's role.
Visits are counted by the visitor's role as it is now, which no roll-up can keep, so that sheet is one
grouped query over the visits; cover and release time come from the roll-ups the dashboard reads."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from sqlalchemy import case, exists, func, select

from ..auth.models import Role, RoleGrant
from ..extensions import db
from ..protocols.models import Protocol
from ..schools.models import School
from ..sheets import hours, month, percent
from ..sqltime import month_number
from ..visits.history import visits
from . import figures
from .scope import Scope

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
        # Read whole, not through a server-side cursor: PostgreSQL plans a cursor's query without parallel
        # workers (a state's year took 46 s instead of 9). What comes back is already grouped: at most
        # schools x months x protocols x 3 roles (a state: 25,000 rows a year).
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


def _read_again(scope: Scope) -> Scope:
    """The scope with its schools read in this session: a streamed CSV is written after the request's own
    session has closed, and the schools it loaded can't be read then."""
    return replace(scope, schools=list(db.session.scalars(select(School).where(School.id.in_(scope.school_ids)))))


def coverage_rows(scope: Scope) -> Iterator[list]:
    """Each school's months with classes that needed cover, from the roll-ups (a state's year of cover
    requests is not read for it)."""
    scope = _read_again(scope)
    names = {school.id: school.name for school in scope.schools}
    found = figures.cover_by_school_month(scope)
    for school_id, key in sorted(found, key=lambda cell: (names[cell[0]], cell[0], cell[1])):
        yield coverage_row(names[school_id], key, *found[(school_id, key)])


def coverage_row(school: str, key: int, needed: int, filled: int, minutes: int) -> list:
    return [
        school,
        _first_of_month(key),
        needed,
        filled,
        needed - filled,
        _share(filled, needed),
        round(minutes / 60, 2),
    ]


def release_rows(scope: Scope) -> Iterator[list]:
    """Each school's teachers, their release budget and what they used: the dashboard's own figures."""
    for school in figures.cached(_read_again(scope)).schools:
        if school.teachers:
            yield release_row(school)


def release_row(school: figures.SchoolFigures) -> list:
    budget, spent = school.release_budget, school.release_used
    return [school.name, school.teachers, round(budget / 60, 2), round(spent / 60, 2), _share(spent, budget)]


SECTIONS = {
    "observations": ("Observations", OBSERVATION_HEADER, observation_rows),
    "coverage": ("Coverage", COVERAGE_HEADER, coverage_rows),
    "release": ("Release time", RELEASE_HEADER, release_rows),
}
