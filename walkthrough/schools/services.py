"""Changing schools and bell schedules."""

from datetime import date, time
from zoneinfo import available_timezones

from sqlalchemy import delete, func, select

from ..audit.services import record as audit
from ..auth.models import User
from ..extensions import db
from ..rules import RuleViolation
from .calendar import forget_calendars
from .models import ROTATION_DAYS, WEEKDAYS, BellPeriod, Rotation, School, SchoolLevel, SpecialPeriodTime

NAME_TAKEN = "Another school already has this name."
PERIOD_NAME_TAKEN = "This school already has a period with that name."
UNKNOWN_TIMEZONE = "Choose a time zone from the list."
YEAR_OUT_OF_ORDER = "The last day must come after the first day."
TIMES_OUT_OF_ORDER = "The period must end after it starts."
NO_DAYS = "Choose at least one day this period runs on."
WRONG_DAY_KIND_WEEKLY = "This school runs on weekdays; choose weekdays, not A/B days."
WRONG_DAY_KIND_AB = "This school runs on an A/B rotation; choose A days, B days or both."
WRONG_DAY_KIND_ROTATION = "This school runs on a six-day rotation; choose the days (Day 1 to Day 6) the period meets."
ROTATION_HAS_PERIODS = "Change each period's days before changing the rotation: some use the old kind of day."


def _check_school(*, school_id: int | None, name: str, timezone: str, first_day: date, last_day: date) -> None:
    clash = select(func.count()).select_from(School).where(func.lower(School.name) == name.strip().lower())
    if school_id is not None:
        clash = clash.where(School.id != school_id)
    if db.session.scalar(clash):
        raise RuleViolation(NAME_TAKEN, field="name")
    if timezone not in available_timezones():
        raise RuleViolation(UNKNOWN_TIMEZONE, field="timezone")
    if first_day >= last_day:
        raise RuleViolation(YEAR_OUT_OF_ORDER, field="year_last_day")


def save_school(
    *,
    school: School | None,
    name: str,
    level: SchoolLevel,
    region: str,
    timezone: str,
    rotation: Rotation,
    year_first_day: date,
    year_last_day: date,
    address: str | None = None,
    release_hours_default: float | None = None,
    weekly_cover_cap: int | None = None,
    requires_visit_approval: bool | None = None,
) -> School:
    _check_school(
        school_id=school.id if school else None,
        name=name,
        timezone=timezone,
        first_day=year_first_day,
        last_day=year_last_day,
    )
    if school is None:
        school = School()
        db.session.add(school)
    elif school.rotation != rotation and school.periods:
        raise RuleViolation(ROTATION_HAS_PERIODS, field="rotation")
    school.name = name.strip()
    school.level = SchoolLevel(level).value
    school.region = region.strip()
    school.timezone = timezone
    school.rotation = Rotation(rotation).value
    school.year_first_day = year_first_day
    school.year_last_day = year_last_day
    if address is not None:
        school.address = address.strip()[:300]
    if release_hours_default is not None:
        school.release_minutes_default = round(release_hours_default * 60)
    if weekly_cover_cap is not None:
        school.weekly_cover_cap = weekly_cover_cap
    if requires_visit_approval is not None:
        school.requires_visit_approval = requires_visit_approval
    db.session.flush()
    return school


def _check_days(school: School, days: list[str]) -> str:
    if not days:
        raise RuleViolation(NO_DAYS, field="days")
    if (types := ROTATION_DAYS.get(school.rotation)) is not None:
        if any(day not in types for day in days):
            message = WRONG_DAY_KIND_AB if school.rotation == Rotation.AB else WRONG_DAY_KIND_ROTATION
            raise RuleViolation(message, field="days")
        return " ".join(day for day in types if day in days)
    if any(day not in WEEKDAYS for day in days):
        raise RuleViolation(WRONG_DAY_KIND_WEEKLY, field="days")
    return " ".join(day for day in WEEKDAYS if day in days)


def save_period(
    *, school: School, period: BellPeriod | None, name: str, starts_at: time, ends_at: time, days: list[str]
) -> BellPeriod:
    name = name.strip()
    clash = (
        select(func.count())
        .select_from(BellPeriod)
        .where(BellPeriod.school_id == school.id, func.lower(BellPeriod.name) == name.lower())
    )
    if period is not None:
        clash = clash.where(BellPeriod.id != period.id)
    if db.session.scalar(clash):
        raise RuleViolation(PERIOD_NAME_TAKEN, field="name")
    if starts_at >= ends_at:
        raise RuleViolation(TIMES_OUT_OF_ORDER, field="ends_at")
    day_string = _check_days(school, days)
    if period is None:
        period = BellPeriod(school=school)
        db.session.add(period)
    period.name, period.starts_at, period.ends_at, period.days = name, starts_at, ends_at, day_string
    db.session.flush()
    return period


def delete_period(*, period: BellPeriod, actor: User) -> None:
    audit(actor, "deleted", what="bell period", id=period.id, name=period.name, school=period.school.name)
    db.session.delete(period)
    db.session.flush()


SCHEDULE_NEEDS_NAME = "Name the schedule as the special days are named (for example “Early release”)."
SCHEDULE_NEEDS_PERIODS = "Give at least one period its times; leave out the periods that don't meet."
SCHEDULE_TIMES_ORDER = "{period} must end after it starts."


def save_special_schedule(*, school: School, name: str, times: dict[int, tuple[time, time]]) -> int:
    """Replace the school's special bell schedule called `name`: the times of each period that meets on a
    special day with that name. Returns how many periods meet."""
    name = " ".join(name.split())[:60]
    if not name:
        raise RuleViolation(SCHEDULE_NEEDS_NAME, field="schedule")
    periods = {period.id: period for period in school.periods}
    chosen = {period_id: span for period_id, span in times.items() if period_id in periods}
    if not chosen:
        raise RuleViolation(SCHEDULE_NEEDS_PERIODS, field="schedule")
    for period_id, (starts, ends) in chosen.items():
        if starts >= ends:
            raise RuleViolation(SCHEDULE_TIMES_ORDER.format(period=periods[period_id].name), field="schedule")
    db.session.execute(
        delete(SpecialPeriodTime).where(
            SpecialPeriodTime.school_id == school.id, func.lower(SpecialPeriodTime.schedule) == name.lower()
        )
    )
    for period_id, (starts, ends) in chosen.items():
        db.session.add(
            SpecialPeriodTime(school_id=school.id, schedule=name, period_id=period_id, starts_at=starts, ends_at=ends)
        )
    db.session.flush()
    forget_calendars()
    return len(chosen)
