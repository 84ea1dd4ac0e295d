"""Which of a teacher's classes a time away from school takes them out of."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..extensions import db
from ..schools.models import AssignmentKind, BellPeriod, PeriodAssignment
from ..schools.queries import period_times_on
from ..schools.times import instant


@dataclass(frozen=True)
class MissedClass:
    assignment: PeriodAssignment
    day: date
    starts_at: datetime
    ends_at: datetime

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@cache  # built once: the open-classroom list asks on every page (see auth.sessions for what that saves)
def _teaching():
    return (
        select(PeriodAssignment)
        .where(
            PeriodAssignment.user_id == bindparam("teacher_id"),
            PeriodAssignment.kind == AssignmentKind.TEACHING.value,
        )
        .options(joinedload(PeriodAssignment.period).joinedload(BellPeriod.school))
    )


def teaching_assignments(teacher_id: int) -> list[PeriodAssignment]:
    return list(db.session.scalars(_teaching(), {"teacher_id": teacher_id}))


def classes_missed(assignments: list[PeriodAssignment], starts_at: datetime, ends_at: datetime) -> list[MissedClass]:
    """Teaching periods that overlap [starts_at, ends_at). Planning and duty periods need no cover."""
    missed = []
    for assignment in assignments:
        period, school = assignment.period, assignment.period.school
        day = starts_at.astimezone(ZoneInfo(school.timezone)).date()
        times = period_times_on(period, school, day) if assignment.kind == AssignmentKind.TEACHING else None
        if times is None:
            continue
        begins, ends = instant(school, day, times[0]), instant(school, day, times[1])
        if begins < ends_at and ends > starts_at:
            missed.append(MissedClass(assignment, day, begins, ends))
    return sorted(missed, key=lambda m: m.starts_at)


def missed_by(teacher: User, starts_at: datetime, ends_at: datetime) -> list[MissedClass]:
    return classes_missed(teaching_assignments(teacher.id), starts_at, ends_at)
