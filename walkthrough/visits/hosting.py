"""Hosts opening their classrooms: one visit time or a series, each occurrence changed or cancelled alone."""

from datetime import date, time, timedelta

from ..auth.models import Role, User
from ..db_types import utcnow
from ..extensions import db
from ..protocols.models import Protocol
from ..rules import RuleViolation
from ..schools.calendar import has_school, school_day
from ..schools.models import BellPeriod
from ..schools.queries import period_runs_on, period_times_on
from ..schools.times import instant
from . import cover, notify
from .models import ACTIVE, HOLDS_SEAT, SignUpStatus, VisitSlot, new_series_key
from .services import NOT_A_TEACHER, NOT_YOUR_SIGNUP, STARTED, take_turn_on

NEEDS_SCHOOL = "You need a home school to open your classroom; ask your admin."
NOT_YOUR_PERIOD = "Choose one of your school's periods."
NEEDS_TIMES = "Choose a period, or give a start and end time."
TIMES_OUT_OF_ORDER = "The visit must end after it starts."
IN_THE_PAST = "Choose a time that hasn't passed yet."
OUTSIDE_YEAR = "Choose a day in the school year ({first} to {last})."
PERIOD_NOT_THAT_DAY = "{period} doesn't run on that day."
NO_SCHOOL = "There's no school on {day}{why}. Choose another day."
CAPACITY = "Capacity is 1 to 10 visitors."
WEEKS = "Repeat for 1 to 12 weeks."


def _times(school, day: date, period: BellPeriod | None, start: time | None, end: time | None):
    if period is not None:  # on a special day, the special bell schedule's times
        return period_times_on(period, school, day) or (period.starts_at, period.ends_at)
    if start is None or end is None:
        raise RuleViolation(NEEDS_TIMES, field="local_start")
    if start >= end:
        raise RuleViolation(TIMES_OUT_OF_ORDER, field="local_end")
    return start, end


def _occurrences(school, first: date, period: BellPeriod | None, repeat: str, weeks: int) -> list[date]:
    if repeat == "none":
        return [first]
    last = first + timedelta(weeks=weeks) - timedelta(days=1)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if repeat == "weekly":
        days = [d for d in days if d.weekday() == first.weekday()]
    else:  # every day the period runs (e.g. every A-day), or every school day without a period
        days = [d for d in days if (period_runs_on(period, school, d) if period else True)]
    # Holidays, breaks and closures are skipped: a weekly visit over winter break resumes after it.
    return [d for d in days if has_school(school, d)]


def open_classroom(
    *,
    host: User,
    day: date,
    period_id: int | None,
    local_start: time | None,
    local_end: time | None,
    room: str,
    capacity: int,
    focus_question: str,
    protocol: Protocol,
    note_for_visitors: str,
    cutoff_hours: int,
    per_person_limit: int | None,
    repeat: str = "none",
    weeks: int = 1,
) -> list[VisitSlot]:
    if not host.has_role(Role.TEACHER):
        raise RuleViolation(NOT_A_TEACHER)
    school = host.school
    if school is None:
        raise RuleViolation(NEEDS_SCHOOL)
    period = db.session.get(BellPeriod, period_id) if period_id else None
    if period_id and (period is None or period.school_id != school.id):
        raise RuleViolation(NOT_YOUR_PERIOD, field="period_id")
    if not 1 <= capacity <= 10:
        raise RuleViolation(CAPACITY, field="capacity")
    if not 1 <= weeks <= 12:
        raise RuleViolation(WEEKS, field="weeks")
    if not school.year_first_day <= day <= school.year_last_day:
        raise RuleViolation(
            OUTSIDE_YEAR.format(
                first=school.year_first_day.strftime("%-d %b %Y"), last=school.year_last_day.strftime("%-d %b %Y")
            ),
            field="day",
        )
    if not (today := school_day(school, day)).has_school:
        why = f" ({today.name})" if today.name else ""
        raise RuleViolation(NO_SCHOOL.format(day=day.strftime("%a %-d %b"), why=why), field="day")
    if period is not None and not period_runs_on(period, school, day):
        raise RuleViolation(PERIOD_NOT_THAT_DAY.format(period=period.name), field="day")
    start, end = _times(school, day, period, local_start, local_end)
    if instant(school, day, start) <= utcnow():
        raise RuleViolation(IN_THE_PAST, field="day")
    series, slots = new_series_key(), []
    for occurrence in _occurrences(school, day, period, repeat, weeks):
        start, end = _times(school, occurrence, period, local_start, local_end)
        if instant(school, occurrence, start) <= utcnow():
            continue
        slot = VisitSlot(
            host_id=host.id,
            school_id=school.id,
            period_id=period.id if period else None,
            protocol_id=protocol.id,
            series_key=series,
            day=occurrence,
            local_start=start,
            local_end=end,
            starts_at=instant(school, occurrence, start),
            ends_at=instant(school, occurrence, end),
            room=room.strip()[:40],
            capacity=capacity,
            focus_question=focus_question.strip(),
            note_for_visitors=note_for_visitors.strip(),
            cutoff_hours=max(cutoff_hours, 0),
            per_person_limit=per_person_limit or None,
        )
        db.session.add(slot)
        slots.append(slot)
    db.session.flush()
    return slots


def change_slot(*, slot: VisitSlot, actor: User, local_start: time, local_end: time, room: str) -> VisitSlot:
    if actor.id != slot.host_id:
        raise RuleViolation(NOT_YOUR_SIGNUP)
    if slot.has_started:  # moving it would undo cover already given, as cancelling would (cancel_slot)
        raise RuleViolation(STARTED)
    if local_start >= local_end:
        raise RuleViolation(TIMES_OUT_OF_ORDER, field="local_end")
    if instant(slot.school, slot.day, local_start) <= utcnow():
        raise RuleViolation(IN_THE_PAST, field="local_start")
    slot.local_start, slot.local_end, slot.room = local_start, local_end, room.strip()[:40]
    slot.starts_at, slot.ends_at = (
        instant(slot.school, slot.day, local_start),
        instant(slot.school, slot.day, local_end),
    )
    slot.sequence += 1
    db.session.flush()
    for signup in slot.signups:
        if signup.status in HOLDS_SEAT:
            cover.sync_visit_coverage(signup)
            notify.changed(signup)
    if slot.confirmed:
        # The host's own calendar entry moves too, not only the visitors'.
        notify.host_update(slot, "You changed the visit; your calendar entry is updated.")
    return slot


def cancel_slot(*, slot: VisitSlot, actor: User) -> None:
    if actor.id != slot.host_id and not actor.has_role(Role.ADMIN):
        raise RuleViolation(NOT_YOUR_SIGNUP)
    if slot.cancelled_at is not None:
        return
    if slot.has_started:  # as for a visitor's booking (services.cancel_signup)
        raise RuleViolation(STARTED)
    take_turn_on(slot)
    had_visitors = bool(slot.confirmed)
    slot.cancelled_at = utcnow()
    slot.sequence += 1
    for signup in slot.signups:
        if signup.status in ACTIVE:
            signup.status = SignUpStatus.CANCELLED.value
            signup.sequence += 1
            cover.sync_visit_coverage(signup)
            notify.cancelled(signup, reason=f"{slot.host.name} cancelled this visit.")
    db.session.flush()
    if had_visitors:
        notify.host_update(slot, "The visit is cancelled and taken off your calendar.")
