"""Who is free to cover a school's classes on one day: everything needed to judge it, loaded in a few
queries. The board uses it to show conflicts before the click; the services use it to refuse them."""

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import aliased

from ..auth.models import Role, User
from ..extensions import db
from ..schools.models import AssignmentKind, BellPeriod, PeriodAssignment, School
from ..sql_lists import one_of
from .models import LIVE, CoverageRequest, DoNotSend, SubstituteDayOff, SubstitutePool

DOUBLE_BOOKED = "Already covering {what} then."
TEACHES_THEN = "Teaches {period} then."
NOT_IN_POOL = "Doesn't serve {school}; add them to the school's substitute pool first."
NOT_A_COVER = "Choose a substitute from the pool or a teacher at this school."
OVER_WEEKLY_CAP = "Has covered {count} classes this week (limit {cap})."
DAY_OFF = "Not available that day."
# Shown to the school's admins only: a substitute on the list is simply never offered the school's jobs.
DO_NOT_SEND = "On {school}'s do-not-send list."


def _midnight(school: School, day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZoneInfo(school.timezone))


# The board's statements are built once, with bind parameters, like the sign-in's (auth.sessions): a board
# asks a dozen, and building each afresh and finding it in SQLAlchemy's compiled cache cost more than running
# it. A list of ids is an expanding parameter, so one statement serves any number of people.
@cache
def _pool():
    return select(SubstitutePool.substitute_id).where(SubstitutePool.school_id == bindparam("school_id"))


@cache
def _blocked():
    return select(DoNotSend.substitute_id).where(DoNotSend.school_id == bindparam("school_id"))


def pool_of(school: School) -> set[int]:
    """The ids of the substitutes who serve this school."""
    return set(db.session.scalars(_pool(), {"school_id": school.id}))


def blocked_at(school: School) -> set[int]:
    """The ids of the substitutes on this school's do-not-send list."""
    return set(db.session.scalars(_blocked(), {"school_id": school.id}))


class Booking(NamedTuple):
    """A class someone is already covering: just what a conflict check and its message need."""

    id: int
    cover_id: int
    starts_at: datetime
    ends_at: datetime
    teacher_name: str
    period_name: str | None


class Candidate(NamedTuple):
    """Someone who might cover: the board weighs dozens of them per job, so not whole users."""

    id: int
    name: str
    is_substitute: bool
    is_teacher: bool
    school_id: int | None

    @classmethod
    def of(cls, person: User) -> "Candidate":
        return cls(
            person.id,
            person.name,
            person.has_role(Role.SUBSTITUTE),
            person.has_role(Role.TEACHER),
            person.school_id,
        )


@cache
def _bookings():
    """Each candidate's live covers that could overlap the day."""
    teacher = aliased(User)
    starts = CoverageRequest.starts_at
    return (
        select(
            CoverageRequest.id, CoverageRequest.cover_id, starts, CoverageRequest.ends_at, teacher.name, BellPeriod.name
        )
        .join(teacher, CoverageRequest.teacher_id == teacher.id)
        .outerjoin(BellPeriod, CoverageRequest.period_id == BellPeriod.id)
        .where(
            one_of(CoverageRequest.cover_id, "people"),
            CoverageRequest.status.in_(LIVE),
            # A class lasts less than a day, so this bound loses nothing and lets the (cover_id, starts_at)
            # index skip everyone's history before the day.
            starts > bindparam("starts_after"),
            starts < bindparam("until"),
            CoverageRequest.ends_at > bindparam("since"),
        )
    )


@cache
def _teaching():
    return (
        select(PeriodAssignment.user_id, PeriodAssignment.period_id)
        .join(BellPeriod)
        .where(BellPeriod.school_id == bindparam("school_id"), PeriodAssignment.kind == AssignmentKind.TEACHING.value)
    )


@cache
def _cover_counts():
    """How many classes each person covers in a week and in a month, in one read."""
    starts = CoverageRequest.starts_at

    def within(first: str, last: str):
        return func.sum(case(((starts >= bindparam(first)) & (starts < bindparam(last)), 1), else_=0))

    return (
        select(CoverageRequest.cover_id, within("week_from", "week_to"), within("month_from", "month_to"))
        .where(
            one_of(CoverageRequest.cover_id, "people"),
            CoverageRequest.status.in_(LIVE),
            starts >= bindparam("from"),
            starts < bindparam("to"),
        )
        .group_by(CoverageRequest.cover_id)
    )


@cache
def _days_off():
    return select(SubstituteDayOff.substitute_id).where(
        SubstituteDayOff.day == bindparam("day"),
        one_of(SubstituteDayOff.substitute_id, "people"),
    )


class CoverContext:
    """Reads only the bookings and counts of `candidates`, the people being checked."""

    def __init__(self, school: School, day: date, candidates: Collection[int], pool: set[int] | None = None):
        """`pool`: the school's substitutes' ids, when the caller has already read them."""
        self.school, self.day = school, day
        self.pool = pool_of(school) if pool is None else pool
        # A list of ids lets the database walk (cover_id, starts_at) once per person.
        self._people = sorted(candidates)
        start, end = _midnight(school, day) - timedelta(days=1), _midnight(school, day) + timedelta(days=2)
        # Each cover's bookings around the day, by person: a board checks dozens of people against them.
        self.busy: dict[int, list[Booking]] = {}
        window = {"people": self._people, "starts_after": start - timedelta(days=1), "until": end, "since": start}
        for booked in db.session.execute(_bookings(), window):
            booking = Booking(*booked)
            self.busy.setdefault(booking.cover_id, []).append(booking)
        # plain tuples: a set of Rows hashes and compares far more slowly
        self.teaching = {
            (user_id, period) for user_id, period in db.session.execute(_teaching(), {"school_id": school.id})
        }
        self.week, self.month = self._counts(school, day)
        self.days_off = set(db.session.scalars(_days_off(), {"day": day, "people": self._people}))
        self.blocked = blocked_at(school)

    def _counts(self, school: School, day: date) -> tuple[dict[int, int], dict[int, int]]:
        """How many classes each person covers in the day's week and in its calendar month, in one read."""
        monday = _midnight(school, day - timedelta(days=day.weekday()))
        week = (monday, monday + timedelta(days=7))
        next_month = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        month = (_midnight(school, day.replace(day=1)), _midnight(school, next_month))
        spans = {
            "people": self._people,
            "week_from": week[0],
            "week_to": week[1],
            "month_from": month[0],
            "month_to": month[1],
            "from": min(week[0], month[0]),
            "to": max(week[1], month[1]),
        }
        in_week, in_month = {}, {}
        for person_id, weekly, monthly in db.session.execute(_cover_counts(), spans):
            in_week[person_id], in_month[person_id] = weekly, monthly
        return in_week, in_month

    def conflict(self, person: Candidate, requests: list[CoverageRequest]) -> str | None:
        is_sub = person.is_substitute
        if is_sub and person.id not in self.pool:
            return NOT_IN_POOL.format(school=self.school.name)
        if is_sub and person.id in self.blocked:
            return DO_NOT_SEND.format(school=self.school.name)
        if person.id in self.days_off:
            return DAY_OFF
        if not is_sub and not (person.is_teacher and person.school_id == self.school.id):
            return NOT_A_COVER
        ids = {r.id for r in requests}
        for request in requests:
            for other in self.busy.get(person.id, ()):
                if other.id not in ids and other.starts_at < request.ends_at and other.ends_at > request.starts_at:
                    what = f"{other.teacher_name}'s {other.period_name or 'class'}"
                    return DOUBLE_BOOKED.format(what=what)
            if not is_sub and (person.id, request.period_id) in self.teaching:
                return TEACHES_THEN.format(period=request.period.name if request.period else "a class")
        already = self.week.get(person.id, 0) - sum(1 for r in requests if r.cover_id == person.id)
        if not is_sub and already + len(requests) > self.school.weekly_cover_cap:
            return OVER_WEEKLY_CAP.format(count=already, cap=self.school.weekly_cover_cap)
        return None

    def fairness_key(self, person: Candidate) -> tuple:
        """Fewest covers this month first, so nobody is always the one."""
        return (self.month.get(person.id, 0), self.week.get(person.id, 0), person.name)
