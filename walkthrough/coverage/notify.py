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


def _line(request: CoverageRequest) -> str:
    zone = ZoneInfo(request.school.timezone)
    start, end = request.starts_at.astimezone(zone), request.ends_at.astimezone(zone)
    where = f", room {request.room}" if request.room else ""
    period = request.period.name if request.period else "Class"
    return f"{period} {clock(start)}–{clock(end)}: {request.course or 'class'}{where}"


def cover_booked(requests: list[CoverageRequest], cover: User) -> None:
    first = requests[0]
    send_email(
        to=cover.email,
        kind="coverage/booked",
        calendar=_calendar([_event(r, cancelled=False) for r in requests], cancelled=False),
        person=cover,
        teacher=first.teacher,
        school=first.school,
        day=first.day,
        lines=[_line(r) for r in requests],
        link=external_url("coverage.jobs"),
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
        lines=[_line(request)],
        link=external_url("coverage.jobs"),
    )
