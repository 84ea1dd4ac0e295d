"""The demo district's calendar: the holidays, breaks, a PD day and an early release a US district has."""

from datetime import date, time, timedelta

from sqlalchemy import select

from ..coverage.models import CoverageRequest
from ..extensions import db
from ..schools.models import CalendarDay, DayKind, School
from ..visits.models import VisitSlot


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The nth (1-based; -1 for the last) weekday (0 = Monday) of a month."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _weekdays(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1) if (first + timedelta(n)).weekday() < 5]


def district_dates(start_year: int) -> list[CalendarDay]:
    y, n = start_year, start_year + 1
    thanksgiving = _nth_weekday(y, 11, 3, 4)
    closed = [(_nth_weekday(y, 9, 0, 1), "Labor Day")]
    closed += [(thanksgiving - timedelta(days=14), "Professional development day (no students)")]
    closed += [(day, "Thanksgiving break") for day in (thanksgiving, thanksgiving + timedelta(days=1))]
    closed += [(day, "Winter break") for day in _weekdays(date(y, 12, 23), date(n, 1, 2))]
    closed += [(_nth_weekday(n, 1, 0, 3), "Martin Luther King Jr. Day"), (_nth_weekday(n, 2, 0, 3), "Presidents' Day")]
    spring = _nth_weekday(n, 3, 0, -1)
    closed += [(day, "Spring break") for day in _weekdays(spring, spring + timedelta(days=4))]
    closed += [(_nth_weekday(n, 5, 0, -1), "Memorial Day")]
    rows = [CalendarDay(day=day, kind=DayKind.CLOSED.value, name=name) for day, name in closed]
    last_before_break = max(d for d in _weekdays(date(y, 12, 16), date(y, 12, 22)))
    rows.append(
        CalendarDay(day=last_before_break, kind=DayKind.SPECIAL.value, name="Early release", ends_at=time(12, 30))
    )
    return rows


def seed_demo_calendar() -> int:
    """Add the district calendar for the demo's school year. A date that already has visits or cover (a
    demo seeded into a database with plans) is left an ordinary day, so plans stay consistent."""
    schools = db.session.scalars(select(School)).all()
    if not schools:
        return 0
    first, last = min(s.year_first_day for s in schools), max(s.year_last_day for s in schools)
    busy = set(db.session.scalars(select(VisitSlot.day).where(VisitSlot.cancelled_at.is_(None))))
    busy |= set(db.session.scalars(select(CoverageRequest.day)))
    taken = set(db.session.scalars(select(CalendarDay.day).where(CalendarDay.school_id.is_(None))))
    added = 0
    for row in district_dates(first.year):
        if first <= row.day <= last and row.day not in busy and row.day not in taken:
            db.session.add(row)
            added += 1
    db.session.flush()
    return added
