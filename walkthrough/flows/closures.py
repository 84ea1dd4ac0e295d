"""Closing a day that already has plans (a snow day declared at 6 am): the calendar says no school, the
day's visits and cover are cancelled, release time comes back, and each person concerned gets one
message saying what of theirs was cancelled. Reopening the day (same day, a false alarm) lifts the
closure; what was cancelled stays cancelled, because people have already been told."""

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from ..audit.services import record as audit
from ..auth.models import Role, User
from ..coverage.models import LIVE, CoverageRequest, CoverageStatus
from ..db_types import utcnow
from ..extensions import db
from ..outbox.services import send_email
from ..rules import RuleViolation
from ..schools.calendar import forget_calendars
from ..schools.models import CalendarDay, DayKind, School
from ..schools.queries import can_manage_school
from ..text import clock
from ..urls import external_url
from ..visits import calendar as visit_calendar
from ..visits.models import ACTIVE, SignUpStatus, VisitSlot
from ..visits.services import take_turn_on

NOT_YOUR_SCHOOL = "You can close only the schools you manage."
NEEDS_A_NAME = "Say why there is no school (for example “Snow day”); everyone affected is told."
DISTRICT_ONLY = "Only a district admin closes every school at once."
NOT_CLOSED_HERE = "That day isn't closed for this school alone; the district's calendar closes it."


def _check(actor: User, school: School | None) -> None:
    if not actor.has_role(Role.ADMIN):
        raise RuleViolation(NOT_YOUR_SCHOOL)
    if school is None and actor.school_id is not None:
        raise RuleViolation(DISTRICT_ONLY)
    if school is not None and not can_manage_school(actor, school):
        raise RuleViolation(NOT_YOUR_SCHOOL)


def close_day(*, day: date, name: str, actor: User, school: School | None = None) -> int:
    """Close `day` at `school` (every school when None). Returns how many people were told."""
    _check(actor, school)
    name = " ".join(name.split())[:120]
    if not name:
        raise RuleViolation(NEEDS_A_NAME, field="name")
    closure = db.session.scalar(
        select(CalendarDay).where(
            CalendarDay.day == day,
            CalendarDay.school_id.is_(None) if school is None else CalendarDay.school_id == school.id,
        )
    )
    if closure is None:
        closure = CalendarDay(school_id=school.id if school else None, day=day)
        db.session.add(closure)
    closure.kind, closure.name, closure.day_type, closure.starts_at, closure.ends_at = (
        DayKind.CLOSED.value, name, None, None, None
    )  # fmt: skip
    db.session.flush()
    forget_calendars()
    told = _cancel_plans(school.id if school else None, day, name)
    audit(actor, "closed_day", day=day.isoformat(), name=name, school=school.name if school else "every school")
    return told


def cancel_plans_on_closed_days(settings) -> int:
    """After an imported calendar closes dates that already have plans: cancel them as closing the day
    does, and tell each person once per day. Returns how many messages went out."""
    return sum(
        _cancel_plans(setting.school_id, setting.day, setting.name or "No school")
        for setting in settings
        if setting.kind == DayKind.CLOSED
    )


def _cancel_plans(school_id: int | None, day: date, name: str) -> int:
    school_ids = [school_id] if school_id else list(db.session.scalars(select(School.id)))
    news: dict[User, list[str]] = defaultdict(list)
    cancelled_signups: dict[User, list] = defaultdict(list)
    _cancel_visits(school_ids, day, news, cancelled_signups)
    _cancel_cover(school_ids, day, news)
    for person, lines in news.items():
        _tell(person, day, name, lines, cancelled_signups.get(person, []))
    return len(news)


def _cancel_visits(school_ids, day, news, cancelled_signups) -> None:
    slots = db.session.scalars(
        select(VisitSlot)
        .where(
            VisitSlot.school_id.in_(school_ids),
            VisitSlot.day == day,
            VisitSlot.cancelled_at.is_(None),
            VisitSlot.ends_at > utcnow(),  # what already happened stays in the record
        )
        .order_by(VisitSlot.starts_at)
    ).all()
    for slot in slots:
        take_turn_on(slot)
        slot.cancelled_at = utcnow()
        slot.sequence += 1
        coming = [s for s in slot.signups if s.status in ACTIVE]
        for signup in coming:
            signup.status = SignUpStatus.CANCELLED.value
            signup.sequence += 1
            news[signup.observer].append(f"Your visit to {slot.host.name}'s class at {clock(slot.local_start)}.")
            cancelled_signups[signup.observer].append(signup)
        visitors = f" ({len(coming)} visitor{'s' if len(coming) != 1 else ''} told)" if coming else ""
        news[slot.host].append(f"Your open classroom at {clock(slot.local_start)}{visitors}.")
    db.session.flush()


def _cancel_cover(school_ids, day, news) -> None:
    requests = db.session.scalars(
        select(CoverageRequest)
        .where(
            CoverageRequest.school_id.in_(school_ids),
            CoverageRequest.day == day,
            CoverageRequest.status.in_(LIVE),
            CoverageRequest.ends_at > utcnow(),
        )
        .order_by(CoverageRequest.starts_at)
    ).all()
    for request in requests:
        request.status = CoverageStatus.CANCELLED.value
        what = request.period.name if request.period else "class"
        at = clock(request.starts_at.astimezone(ZoneInfo(request.school.timezone)))
        news[request.teacher].append(f"Cover for your {what} at {at}; the release time is yours again.")
        if request.cover is not None:
            news[request.cover].append(f"Covering {request.teacher.name}'s {what} at {at}.")
    db.session.flush()


def _tell(person: User, day: date, name: str, lines: list[str], signups: list) -> None:
    send_email(
        to=person.email,
        kind="calendar/day_closed",
        # One cancelled visit can travel as a calendar cancellation; several can't share one message.
        calendar=visit_calendar.invitation_for_observer(signups[0], cancelled=True) if len(signups) == 1 else "",
        person=person,
        day=day,
        name=name,
        lines=lines,
        link=external_url("home.index"),
    )


def reopen_day(*, day: date, actor: User, school: School | None = None) -> bool:
    """Lift a closure (a false alarm). Visits and cover already cancelled stay cancelled."""
    _check(actor, school)
    removed = db.session.execute(
        delete(CalendarDay).where(
            CalendarDay.day == day,
            CalendarDay.kind == DayKind.CLOSED.value,
            CalendarDay.school_id.is_(None) if school is None else CalendarDay.school_id == school.id,
        )
    ).rowcount
    forget_calendars()
    if not removed:
        raise RuleViolation(NOT_CLOSED_HERE)
    audit(actor, "reopened_day", day=day.isoformat(), school=school.name if school else "every school")
    return True
