"""A school's year, day by day: which days have school, what kind of day each is, and its hours.

The district's calendar applies to every school; a school's own date replaces the district's. A rotation
(A/B days) advances only on days with school, so a holiday doesn't flip every day after it, and an
override ("Monday 12 Jan is a B day") sets the rotation from that day on. Everything that depends on days
(bell periods, open classrooms, cover, release time, reports) asks here."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from .. import stamps
from ..extensions import db
from .models import ROTATION_DAYS, CalendarDay, DayKind, School, SpecialPeriodTime, day_type_label

# period id -> (starts, ends) on a special day whose name is one of the school's special bell schedules
PeriodTimes = dict[int, tuple[time, time]]


@dataclass(frozen=True)
class SchoolDay:
    day: date
    has_school: bool
    name: str = ""  # why there is no school, or what is special about the day
    day_type: str | None = None  # "A" or "B" in a rotation
    special: bool = False
    starts_at: time | None = None
    ends_at: time | None = None
    period_times: PeriodTimes | None = field(default=None, compare=False)

    @property
    def day_type_label(self) -> str:
        return day_type_label(self.day_type) if self.day_type else ""

    @property
    def summary(self) -> str:
        """One line for people and scripts: closed and why, or its day type and hours."""
        if not self.has_school:
            return f"no school: {self.name}" if self.name else "no school"
        parts = [day_type_label(self.day_type) if self.day_type else "school day"]
        if self.special:
            hours = []
            if self.starts_at:
                hours.append(f"starts {self.starts_at:%H:%M}")
            if self.ends_at:
                hours.append(f"ends {self.ends_at:%H:%M}")
            parts.append(", ".join([self.name or "special schedule", *hours]))
        return " · ".join(parts)


class SchoolYearCalendar:
    """Every date of one school's year, worked out once (a request asks about the same days many times)."""

    def __init__(self, school: School, entries: dict[date, CalendarDay], schedules: dict[str, PeriodTimes]):
        self.days: dict[date, SchoolDay] = {}
        types = ROTATION_DAYS.get(school.rotation)
        position = 0
        day = school.year_first_day
        while day <= school.year_last_day:
            entry = entries.get(day)
            # Weekends have no school unless the calendar names one (a Saturday make-up day after snow).
            weekend_off = day.weekday() >= 5 and entry is None
            if weekend_off or (entry is not None and entry.kind == DayKind.CLOSED):
                self.days[day] = SchoolDay(day, False, name=entry.name if entry else "")
            else:
                day_type = None
                if types:
                    if entry is not None and entry.day_type in types:
                        position = types.index(entry.day_type)
                    day_type = types[position % len(types)]
                    position += 1
                special = entry is not None and entry.kind == DayKind.SPECIAL
                self.days[day] = SchoolDay(
                    day,
                    True,
                    name=entry.name if entry is not None else "",
                    day_type=day_type,
                    special=special,
                    starts_at=entry.starts_at if special else None,
                    ends_at=entry.ends_at if special else None,
                    period_times=schedules.get(entry.name.strip().lower()) if special else None,
                )
            day += timedelta(days=1)

    def on(self, day: date) -> SchoolDay:
        return self.days.get(day) or SchoolDay(day, False, name="outside the school year")


def entries_for(school: School) -> dict[date, CalendarDay]:
    """The dates of the school's year that differ from an ordinary day; the school's own win."""
    rows = db.session.scalars(
        select(CalendarDay).where(
            or_(CalendarDay.school_id.is_(None), CalendarDay.school_id == school.id),
            CalendarDay.day.between(school.year_first_day, school.year_last_day),
        )
    )
    entries: dict[date, CalendarDay] = {}
    for row in sorted(rows, key=lambda r: r.school_id is not None):  # district first, then the school's
        entries[row.day] = row
    return entries


def schedules_for(school: School) -> dict[str, PeriodTimes]:
    """The school's special bell schedules by name (lower case): each period's times on such a day."""
    schedules: dict[str, PeriodTimes] = {}
    for row in db.session.scalars(select(SpecialPeriodTime).where(SpecialPeriodTime.school_id == school.id)):
        schedules.setdefault(row.schedule.strip().lower(), {})[row.period_id] = (row.starts_at, row.ends_at)
    return schedules


def _year(school: School) -> SchoolYearCalendar:
    return SchoolYearCalendar(school, entries_for(school), schedules_for(school))


def calendar_of(school: School) -> SchoolYearCalendar:
    """The school's year, worked out once and kept across requests until the calendar changes (outside a
    request, every time: scripts and tests change the calendar between questions)."""
    if not has_request_context():
        return _year(school)
    remembered = request.__dict__.setdefault("_school_calendars", {})
    key = (school.id, school.year_first_day, school.year_last_day, school.rotation)
    if key not in remembered:
        remembered[key] = _kept_year(school, key)
    return remembered[key]


# Every page that shows a day asked for two queries and a walk through the year (about 1.5 ms of a 10 ms home
# page). Years are kept in each process under a stamp in the shared cache (Redis in production), which a
# committed calendar change replaces, so every process drops its years at once. The stamp also lapses after
# the cache's timeout: where the cache is each process's own memory, other processes see a change within a
# minute, and a year read from a snapshot older than the stamp (SQLite) is not kept longer than that.
_STAMP_KEY = "school-calendars-stamp"


def _kept_year(school: School, key: tuple) -> SchoolYearCalendar:
    stamp = _stamp()  # read before the calendar, so a year is never kept under a stamp newer than its rows
    if stamp is None:  # no cache (NullCache): work it out every request
        return _year(school)
    kept = current_app.extensions.setdefault("school_calendars", {})
    found = kept.get(key)
    if found is not None and found[0] == stamp:
        return found[1]
    year = _year(school)
    kept[key] = (stamp, year)
    return year


def _stamp() -> str | None:
    return stamps.current(_STAMP_KEY)[0]


def forget_calendars() -> None:
    """After a change to the calendar, so the rest of the request sees it (other requests see it when the
    change commits: see install)."""
    if has_request_context():
        request.__dict__.pop("_school_calendars", None)


_CALENDAR_TABLES = {CalendarDay.__table__, SpecialPeriodTime.__table__}


def _note_changes(session, _context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(getattr(type(instance), "__table__", None) in _CALENDAR_TABLES for instance in changed):
        session.info["calendar_changed"] = True


def _note_statement(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and getattr(
        state.statement, "table", None
    ) in _CALENDAR_TABLES:
        state.session.info["calendar_changed"] = True


def _new_stamp_after_commit(session) -> None:
    if session.info.pop("calendar_changed", False):
        stamps.replace(_STAMP_KEY)
        forget_calendars()


def _drop_note(session) -> None:
    session.info.pop("calendar_changed", None)


def install() -> None:
    """Every committed change to calendar dates or special bell times, however it was written (a form, an
    upload, a script), replaces the stamp the kept years are filed under."""
    stamps.read_together(_STAMP_KEY)  # most pages show a day
    if not event.contains(Session, "after_commit", _new_stamp_after_commit):
        event.listen(Session, "after_flush", _note_changes)
        event.listen(Session, "do_orm_execute", _note_statement)
        event.listen(Session, "after_commit", _new_stamp_after_commit)
        event.listen(Session, "after_rollback", _drop_note)


def school_day(school: School, day: date) -> SchoolDay:
    return calendar_of(school).on(day)


def has_school(school: School, day: date) -> bool:
    return school_day(school, day).has_school
