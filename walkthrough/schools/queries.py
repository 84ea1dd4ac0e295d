"""Reads about schools and schedules that other features need."""

from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select

from ..auth.models import Role, RoleGrant, User
from ..extensions import db
from . import calendar
from .models import ROTATION_DAYS, WEEKDAYS, BellPeriod, PeriodAssignment, School


def today_at(school: School) -> date:
    return datetime.now(ZoneInfo(school.timezone)).date()


def day_type_on(school: School, day: date) -> str | None:
    """'A' or 'B' (or '1' to '6') for a school day in a rotation; None otherwise (see calendar.py)."""
    return calendar.school_day(school, day).day_type


def period_times_on(period: BellPeriod, school: School, day: date) -> tuple[time, time] | None:
    """When the period meets that day, or None: a day with school, the period's weekday or day type, and
    on a special day its special bell schedule's times (periods it leaves out don't meet) or, without
    one, the day's hours (an early release drops the periods after it)."""
    today = calendar.school_day(school, day)
    if not today.has_school:
        return None
    if school.rotation in ROTATION_DAYS:
        runs = today.day_type in period.day_tokens
    else:
        runs = WEEKDAYS[day.weekday()] in period.day_tokens
    if not runs:
        return None
    if today.special and today.period_times is not None:
        return today.period_times.get(period.id)
    if today.special and (
        (today.ends_at and period.starts_at >= today.ends_at) or (today.starts_at and period.ends_at <= today.starts_at)
    ):
        return None
    return period.starts_at, period.ends_at


def period_runs_on(period: BellPeriod, school: School, day: date) -> bool:
    return period_times_on(period, school, day) is not None


def schedule_on(user: User, day: date, week: list[PeriodAssignment] | None = None) -> list[PeriodAssignment]:
    """The periods a person works on one day; pass their weekly schedule when it is already loaded."""
    if week is None:
        week = weekly_schedule(user)
    return [a for a in week if period_runs_on(a.period, a.period.school, day)]


# Built once (home runs it on every visit): see auth.sessions for what that saves.
@cache
def _weekly_schedule():
    return (
        select(PeriodAssignment)
        .join(PeriodAssignment.period)
        .where(PeriodAssignment.user_id == bindparam("user_id"))
        .order_by(BellPeriod.starts_at, BellPeriod.name)
    )


def weekly_schedule(user: User) -> list[PeriodAssignment]:
    return list(db.session.scalars(_weekly_schedule(), {"user_id": user.id}))


@cache  # built once: every admin page asks it
def _schools_by_name(one: bool):
    query = select(School).order_by(School.name)
    return query.where(School.id == bindparam("school_id")) if one else query


def managed_schools(admin: User) -> list[School]:
    """A district admin (no home school) manages every school; a school admin manages their own."""
    one = admin.school_id is not None
    return list(db.session.scalars(_schools_by_name(one), {"school_id": admin.school_id} if one else {}))


def can_manage_school(admin: User, school: School) -> bool:
    return admin.has_role(Role.ADMIN) and (admin.school_id is None or admin.school_id == school.id)


def admin_summary(user: User) -> dict | None:
    if not user.has_role(Role.ADMIN):
        return None
    school_ids = [school.id for school in managed_schools(user)]
    in_scope = User.school_id.in_(school_ids) if user.school_id is not None else True
    people = db.session.scalar(select(func.count()).select_from(User).where(in_scope))
    not_set_up = db.session.scalar(select(func.count()).select_from(User).where(in_scope, User.password_hash.is_(None)))
    teachers = db.session.scalar(
        select(func.count()).select_from(User).join(RoleGrant).where(in_scope, RoleGrant.role == Role.TEACHER.value)
    )
    return {"schools": len(school_ids), "people": people, "teachers": teachers, "not_set_up": not_set_up}
