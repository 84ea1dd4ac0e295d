"""Emails with calendar files for the people covering classes."""

from zoneinfo import ZoneInfo

from icalendar import Event

from ..auth.models import User
from ..db_types import utcnow
from ..ical import attendee, calendar_file, organizer
from ..outbox.services import send_email
from ..text import clock
from ..urls import external_url
from .models import CoverageRequest


def _event(request: CoverageRequest, cancelled: bool) -> Event:
    zone = ZoneInfo(request.school.timezone)
    event = Event()
    event.add("uid", f"cover-{request.id}@walkthrough")
    event.add("sequence", int(utcnow().timestamp()))  # every notice supersedes the one before
    event.add("dtstamp", utcnow())
    event.add("dtstart", request.starts_at.astimezone(zone))
    event.add("dtend", request.ends_at.astimezone(zone))
    event.add("summary", f"Cover {request.teacher.name}'s {request.course or 'class'}")
    event.add("location", f"{request.school.name}, room {request.room}" if request.room else request.school.name)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", organizer())
    if request.cover is not None:
        event.add("attendee", attendee(name=request.cover.name, email=request.cover.email, role="REQ-PARTICIPANT"))
    return event


def _calendar(events: list[Event], cancelled: bool) -> str:
    return calendar_file(events, method="CANCEL" if cancelled else "REQUEST", prodid="-//Walkthrough//Coverage//EN")


def class_line(request: CoverageRequest) -> str:
    zone = ZoneInfo(request.school.timezone)
    start, end = request.starts_at.astimezone(zone), request.ends_at.astimezone(zone)
    where = f", room {request.room}" if request.room else ""
    period = request.period.name if request.period else "Class"
    return f"{period} {clock(start)}–{clock(end)}: {request.course or 'class'}{where}"


def cover_booked(requests: list[CoverageRequest], cover: User, *, assigned_by: User | None = None) -> None:
    """`assigned_by`: the admin who chose this person, who is asked to say they can do it (or can't)."""
    first = requests[0]
    send_email(
        to=cover.email,
        kind="coverage/booked",
        calendar=_calendar([_event(r, cancelled=False) for r in requests], cancelled=False),
        person=cover,
        teacher=first.teacher,
        school=first.school,
        day=first.day,
        lines=[class_line(r) for r in requests],
        link=external_url("coverage.jobs"),
        assigned_by=assigned_by,
    )


def cover_declined(requests: list[CoverageRequest], cover: User, admin: User) -> None:
    """Tell the admin who assigned the cover that the person can't: the classes are open on the board again."""
    first = requests[0]
    send_email(
        to=admin.email,
        kind="coverage/declined",
        person=admin,
        cover=cover,
        teacher=first.teacher,
        day=first.day,
        lines=[class_line(r) for r in requests],
        link=external_url("coverage.board", school_id=first.school_id, day=first.day.isoformat()),
    )


def cover_released(request: CoverageRequest, *, why: str) -> None:
    if request.cover is None:
        return
    send_email(
        to=request.cover.email,
        kind="coverage/released",
        calendar=_calendar([_event(request, cancelled=True)], cancelled=True),
        person=request.cover,
        teacher=request.teacher,
        day=request.day,
        why=why,
        lines=[class_line(request)],
        link=external_url("coverage.jobs"),
    )


def request_answered(requests: list[CoverageRequest], *, approved: bool, admin: User) -> None:
    first = requests[0]
    send_email(
        to=first.teacher.email,
        kind="coverage/request_answered",
        person=first.teacher,
        approved=approved,
        admin=admin,
        day=first.day,
        lines=[class_line(r) for r in requests],
        link=external_url("coverage.request_cover"),
    )
