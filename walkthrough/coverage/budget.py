"""Release time: how much of a teacher's yearly budget their time away uses."""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, func, select

from ..auth.models import User
from ..probes import Question
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


# Built once, for home and every cover request page (see auth.sessions for what that saves).
@cache
def _minutes_away():
    return select(
        func.coalesce(func.sum(minutes_between(CoverageRequest.starts_at, CoverageRequest.ends_at)), 0)
    ).where(CoverageRequest.teacher_id == bindparam("teacher_id"), CoverageRequest.status.in_(LIVE))


@cache
def _minutes_away_in_year():
    return _minutes_away().where(CoverageRequest.day.between(bindparam("first"), bindparam("last")))


def minutes_away_question(teacher: User) -> Question:
    """Minutes of cover the teacher's time away needs this school year (ever, without a school)."""
    school = teacher.school
    if school is None:
        return Question(_minutes_away(), {"teacher_id": teacher.id}, figure=True)
    return Question(
        _minutes_away_in_year(),
        {"teacher_id": teacher.id, "first": school.year_first_day, "last": school.year_last_day},
        figure=True,
    )


def release_time(teacher: User, used: int | None = None) -> ReleaseTime:
    """This school year's release time, counted from the coverage the teacher's time away needs (`used`:
    minutes_away_question's answer, when the page has asked it already)."""
    if used is None:
        used = minutes_away_question(teacher).answer()
    return ReleaseTime(budget=budget_minutes(teacher), used=used)


def hours(minutes: int) -> str:
    sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
    h, m = divmod(minutes, 60)
    return sign + (f"{h} h {m} min" if h and m else f"{h} h" if h else f"{m} min")
