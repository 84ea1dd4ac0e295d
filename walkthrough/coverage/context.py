"""Everything needed to judge who can cover a school's classes on one day, loaded in a few queries.
The board uses it to show conflicts before the click; the services use it to refuse them."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from ..auth.models import Role, User
from ..extensions import db
from ..schools.models import AssignmentKind, BellPeriod, PeriodAssignment, School
from .models import LIVE, CoverageRequest, SubstitutePool

DOUBLE_BOOKED = "Already covering {what} then."
TEACHES_THEN = "Teaches {period} then."
NOT_IN_POOL = "Doesn't serve {school}; add them to the school's substitute pool first."
NOT_A_COVER = "Choose a substitute from the pool or a teacher at this school."
OVER_WEEKLY_CAP = "Has covered {count} classes this week (limit {cap})."


def _midnight(school: School, day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZoneInfo(school.timezone))


class CoverContext:
    def __init__(self, school: School, day: date):
        self.school, self.day = school, day
        self.pool = set(
            db.session.scalars(select(SubstitutePool.substitute_id).where(SubstitutePool.school_id == school.id))
        )
        start, end = _midnight(school, day) - timedelta(days=1), _midnight(school, day) + timedelta(days=2)
        # Each cover's bookings around the day, by person: a board checks dozens of people against them.
        self.busy: dict[int, list[CoverageRequest]] = {}
        for booked in db.session.scalars(
            select(CoverageRequest).where(
                CoverageRequest.cover_id.is_not(None),
                CoverageRequest.status.in_(LIVE),
                CoverageRequest.starts_at < end,
                CoverageRequest.ends_at > start,
            )
        ):
            self.busy.setdefault(booked.cover_id, []).append(booked)
        self.teaching = set(
            db.session.execute(
                select(PeriodAssignment.user_id, PeriodAssignment.period_id)
                .join(BellPeriod)
                .where(BellPeriod.school_id == school.id, PeriodAssignment.kind == AssignmentKind.TEACHING.value)
            ).all()
        )
        monday = _midnight(school, day - timedelta(days=day.weekday()))
        first_of_month = _midnight(school, day.replace(day=1))
        self.week = self._counts(monday, monday + timedelta(days=7))
        self.month = self._counts(first_of_month, first_of_month + timedelta(days=32))

    def _counts(self, start: datetime, end: datetime) -> dict[int, int]:
        return dict(
            db.session.execute(
                select(CoverageRequest.cover_id, func.count())
                .where(
                    CoverageRequest.cover_id.is_not(None),
                    CoverageRequest.status.in_(LIVE),
                    CoverageRequest.starts_at >= start,
                    CoverageRequest.starts_at < end,
                )
                .group_by(CoverageRequest.cover_id)
            ).all()
        )

    def conflict(self, person: User, requests: list[CoverageRequest]) -> str | None:
        is_sub = person.has_role(Role.SUBSTITUTE)
        if is_sub and person.id not in self.pool:
            return NOT_IN_POOL.format(school=self.school.name)
        if not is_sub and not (person.has_role(Role.TEACHER) and person.school_id == self.school.id):
            return NOT_A_COVER
        ids = {r.id for r in requests}
        for request in requests:
            for other in self.busy.get(person.id, ()):
                if other.id not in ids and other.starts_at < request.ends_at and other.ends_at > request.starts_at:
                    what = f"{other.teacher.name}'s {other.period.name if other.period else 'class'}"
                    return DOUBLE_BOOKED.format(what=what)
            if not is_sub and (person.id, request.period_id) in self.teaching:
                return TEACHES_THEN.format(period=request.period.name if request.period else "a class")
        already = self.week.get(person.id, 0) - sum(1 for r in requests if r.cover_id == person.id)
        if not is_sub and already + len(requests) > self.school.weekly_cover_cap:
            return OVER_WEEKLY_CAP.format(count=already, cap=self.school.weekly_cover_cap)
        return None

    def fairness_key(self, person: User) -> tuple:
        """Fewest covers this month first, so nobody is always the one."""
        return (self.month.get(person.id, 0), self.week.get(person.id, 0), person.name)
