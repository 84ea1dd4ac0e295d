"""Calendars in files: read a district's .ics or a CSV into the dates it sets, show every change before
anything is saved (like the roster import), save it all or nothing, and write a school's year as .ics.

CSV columns (a header row; only `date` is required):
    date, end_date, school, kind, name, day_type, starts_at, ends_at
`kind` is closed (holiday, break, PD day, weather), special (early release, late start) or day_type
("A"/"B" in `day_type`); left blank it is worked out from the name. `school` blank means the district.
An .ics file's all-day events are read the same way: the summary is the name, and names like "Early
release" or "B day" make special days or day types; everything else closes the day."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select

from ..db_types import utcnow
from ..extensions import db
from .calendar import calendar_of, forget_calendars
from .models import ROTATION_DAYS, CalendarDay, DayKind, School

SPECIAL_WORDS = re.compile(r"early (release|dismissal)|half[- ]day|late start|delayed (opening|start)|assembly", re.I)
DAY_TYPE_WORDS = re.compile(r"^\s*([AB])[- ]day\b|^\s*day\s+([AB1-6])\b", re.I)
KIND_WORDS = {
    "closed": DayKind.CLOSED,
    "holiday": DayKind.CLOSED,
    "break": DayKind.CLOSED,
    "pd": DayKind.CLOSED,
    "weather": DayKind.CLOSED,
    "special": DayKind.SPECIAL,
    "day_type": DayKind.DAY_TYPE,
    "day type": DayKind.DAY_TYPE,
}
LONGEST_SPAN = 31  # days one row or event may cover (a long break)


@dataclass(frozen=True)
class DateSetting:
    school_id: int | None
    day: date
    kind: str
    name: str
    day_type: str | None = None
    starts_at: time | None = None
    ends_at: time | None = None

    def same_as(self, row: CalendarDay) -> bool:
        return (row.kind, row.name, row.day_type, row.starts_at, row.ends_at) == (
            self.kind,
            self.name,
            self.day_type,
            self.starts_at,
            self.ends_at,
        )


@dataclass
class CalendarPlan:
    settings: list[DateSetting] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    new: list[DateSetting] = field(default_factory=list)
    changed: list[DateSetting] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.problems


def _kind_from(name: str, given: str, day_type: str) -> str | None:
    if given:
        return KIND_WORDS.get(given.strip().lower())
    if day_type or DAY_TYPE_WORDS.search(name):
        return DayKind.DAY_TYPE
    return DayKind.SPECIAL if SPECIAL_WORDS.search(name) else DayKind.CLOSED


def _time(text: str) -> time | None:
    return time.fromisoformat(text.strip()) if text and text.strip() else None


def read_csv(text: str, schools: dict[str, School], forced: School | None, plan: CalendarPlan) -> list[tuple]:
    rows = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        where = f"Row {number}"
        try:
            first = date.fromisoformat(cells.get("date", ""))
            last = date.fromisoformat(cells["end_date"]) if cells.get("end_date") else first
            starts_at, ends_at = _time(cells.get("starts_at", "")), _time(cells.get("ends_at", ""))
        except ValueError:
            plan.problems.append(f"{where}: dates are YYYY-MM-DD and times HH:MM.")
            continue
        school_name = cells.get("school", "")
        school = forced
        if school_name and forced is None:
            school = schools.get(school_name.lower())
            if school is None:
                plan.problems.append(f"{where}: no school is called “{school_name}”.")
                continue
        elif school_name and forced is not None and school_name.lower() != forced.name.lower():
            plan.problems.append(f"{where}: this file is for {forced.name}, not “{school_name}”.")
            continue
        rows.append((where, school, first, last, cells.get("kind", ""), cells.get("name", ""),
                     cells.get("day_type", "").upper(), starts_at, ends_at))  # fmt: skip
    return rows


def read_ics(data: bytes, school: School | None, plan: CalendarPlan) -> list[tuple]:
    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        plan.problems.append("That file isn't an iCalendar (.ics) file we can read.")
        return []
    rows = []
    for event in calendar.walk("VEVENT"):
        name = str(event.get("SUMMARY", "")).strip()
        start = event.decoded("DTSTART", None)
        where = f"Event “{name or 'without a name'}”"
        if start is None or isinstance(start, datetime):
            plan.problems.append(f"{where}: only all-day events set school days; this one has a time of day.")
            continue
        end = event.decoded("DTEND", None) or start + timedelta(days=1)
        rows.append((where, school, start, end - timedelta(days=1), "", name, "", None, None))
    return rows


def plan_calendar(
    *, data: bytes, filename: str, school: School | None = None, schools: list[School] | None = None
) -> CalendarPlan:
    """Everything the file would set, every problem with it, and what would change; writes nothing."""
    plan = CalendarPlan()
    schools = schools if schools is not None else list(db.session.scalars(select(School)))
    by_name = {s.name.lower(): s for s in schools}
    if filename.lower().endswith(".ics"):
        rows = read_ics(data, school, plan)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            plan.problems.append("Save the CSV as UTF-8 and try again.")
            return plan
        rows = read_csv(text, by_name, school, plan)
    seen: dict[tuple, str] = {}
    for where, target, first, last, kind_text, name, day_type, starts_at, ends_at in rows:
        kind = _kind_from(name, kind_text, day_type)
        if kind is None:
            plan.problems.append(f"{where}: kind is closed, special or day_type, not “{kind_text}”.")
            continue
        if kind == DayKind.DAY_TYPE:
            if not day_type and (found := DAY_TYPE_WORDS.search(name)):
                day_type = (found.group(1) or found.group(2)).upper()
            allowed = ROTATION_DAYS.get(target.rotation, ()) if target else ("A", "B", "1", "2", "3", "4", "5", "6")
            if day_type not in allowed:
                names = ", ".join(allowed) or "none: this school has no rotation"
                plan.problems.append(f"{where}: the day types here are {names}.")
                continue
        if last < first or (last - first).days >= LONGEST_SPAN:
            plan.problems.append(f"{where}: the dates run backwards or cover more than {LONGEST_SPAN} days.")
            continue
        years = [target] if target is not None else schools
        if not any(s.year_first_day <= first and last <= s.year_last_day for s in years):
            plan.problems.append(f"{where}: {first:%-d %b %Y} is outside the school year.")
            continue
        day = first
        while day <= last:
            key = (target.id if target else None, day)
            if key in seen:
                plan.problems.append(f"{where}: {day:%-d %b %Y} is already set by {seen[key]}.")
            else:
                seen[key] = where.lower()
                plan.settings.append(
                    DateSetting(
                        school_id=key[0],
                        day=day,
                        kind=kind,
                        name=name[:120],
                        day_type=day_type if kind == DayKind.DAY_TYPE else None,
                        starts_at=starts_at if kind == DayKind.SPECIAL else None,
                        ends_at=ends_at if kind == DayKind.SPECIAL else None,
                    )
                )
            day += timedelta(days=1)
    if plan.is_valid:
        _compare(plan)
    return plan


def _compare(plan: CalendarPlan) -> None:
    days = [s.day for s in plan.settings]
    if not days:
        return
    existing = {
        (row.school_id, row.day): row
        for row in db.session.scalars(select(CalendarDay).where(CalendarDay.day.between(min(days), max(days))))
    }
    for setting in plan.settings:
        row = existing.get((setting.school_id, setting.day))
        if row is None:
            plan.new.append(setting)
        elif setting.same_as(row):
            plan.unchanged += 1
        else:
            plan.changed.append(setting)


def apply_calendar(plan: CalendarPlan) -> int:
    """Save a valid plan, all of it; importing the same file again changes nothing. Returns dates changed."""
    if not plan.is_valid:
        raise ValueError("a plan with problems is never applied")
    for setting in plan.new:
        db.session.add(CalendarDay(**setting.__dict__))
    for setting in plan.changed:
        row = db.session.scalar(
            select(CalendarDay).where(
                CalendarDay.day == setting.day,
                CalendarDay.school_id.is_(None)
                if setting.school_id is None
                else CalendarDay.school_id == setting.school_id,
            )
        )
        for name in ("kind", "name", "day_type", "starts_at", "ends_at"):
            setattr(row, name, getattr(setting, name))
    db.session.flush()
    forget_calendars()
    return len(plan.new) + len(plan.changed)


def day_events(school: School, start: date | None = None, end: date | None = None) -> list[Event]:
    """The school's weekdays without school and its special days (from start to end), as all-day events
    that leave the time free: for the school's calendar file and each person's calendar feed."""
    events = []
    for day, info in sorted(calendar_of(school).days.items()):
        if (start and day < start) or (end and day > end) or (day.weekday() >= 5 and not info.has_school):
            continue
        if info.has_school and not info.special and not info.name:
            continue
        event = Event()
        event.add("uid", f"calendar-{school.id}-{day.isoformat()}@walkthrough")
        if info.has_school:
            summary = info.name or "Special schedule"
        else:
            summary = f"No school: {info.name}" if info.name else "No school"
        event.add("summary", summary)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("dtstamp", utcnow())
        event.add("transp", "TRANSPARENT")
        events.append(event)
    return events


def school_ics(school: School) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Walkthrough//School calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{school.name}: school calendar")
    for event in day_events(school):
        calendar.add_component(event)
    return calendar.to_ical()
