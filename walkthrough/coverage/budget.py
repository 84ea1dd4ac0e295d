"""Release time: how much of a teacher's yearly budget their time away uses."""

from dataclasses import dataclass

from sqlalchemy import func, select

from ..auth.models import User
from ..extensions import db
from ..sqltime import minutes_between
from .models import LIVE, CoverageRequest

DEFAULT_MINUTES = 480


@dataclass
class ReleaseTime:
    budget: int
    used: int

    @property
    def left(self) -> int:
        return self.budget - self.used

    def left_after(self, minutes: int) -> int:
        """What would be left after time away of this many minutes (never below zero)."""
        return max(self.left - minutes, 0)

    def short_by(self, minutes: int) -> int:
        """How far time away of this many minutes would go past the budget (zero when it fits)."""
        return max(minutes - self.left, 0)


def budget_minutes(teacher: User) -> int:
    if teacher.release_minutes is not None:
        return teacher.release_minutes
    return teacher.school.release_minutes_default if teacher.school else DEFAULT_MINUTES


def release_time(teacher: User) -> ReleaseTime:
    """This school year's release time, counted from the coverage the teacher's time away needs."""
    school = teacher.school
    minutes = func.coalesce(func.sum(minutes_between(CoverageRequest.starts_at, CoverageRequest.ends_at)), 0)
    query = select(minutes).where(CoverageRequest.teacher_id == teacher.id, CoverageRequest.status.in_(LIVE))
    if school is not None:
        query = query.where(CoverageRequest.day.between(school.year_first_day, school.year_last_day))
    return ReleaseTime(budget=budget_minutes(teacher), used=db.session.scalar(query))


def hours(minutes: int) -> str:
    sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
    h, m = divmod(minutes, 60)
    return sign + (f"{h} h {m} min" if h and m else f"{h} h" if h else f"{m} min")
