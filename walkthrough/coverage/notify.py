"""Emails with calendar files for the people covering classes."""

from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from ..auth.models import User
from ..db_types import utcnow
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
    return event


def _calendar(events: list[Event], cancelled: bool) -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//Walkthrough//Coverage//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def _line(request: CoverageRequest) -> str:
    zone = ZoneInfo(request.school.timezone)
    start, end = request.starts_at.astimezone(zone), request.ends_at.astimezone(zone)
    where = f", room {request.room}" if request.room else ""
    return (
        f"- {request.period.name if request.period else 'Class'} {clock(start)}–{clock(end)}: "
        f"{request.course or 'class'}{where}"
    )


def cover_booked(requests: list[CoverageRequest], cover: User) -> None:
    first = requests[0]
    lines = "\n".join(_line(r) for r in requests)
    address = f"\nAddress: {first.school.address}" if first.school.address else ""
    send_email(
        to=cover.email,
        subject=f"You're covering {first.teacher.name}'s classes, {first.day:%a %-d %b}",
        body=(
            f"Hello {cover.name},\n\nYou're covering for {first.teacher.name} at {first.school.name} on "
            f"{first.day:%A %-d %B}.{address}\n\n{lines}\n\nPlans and notes: {external_url('coverage.jobs')}\n"
        ),
        calendar=_calendar([_event(r, cancelled=False) for r in requests], cancelled=False),
    )


def cover_released(request: CoverageRequest, *, why: str) -> None:
    if request.cover is None:
        return
    send_email(
        to=request.cover.email,
        subject=f"Cover cancelled: {request.teacher.name}, {request.day:%a %-d %b}",
        body=f"Hello {request.cover.name},\n\nYou no longer need to cover this class. {why}\n\n{_line(request)}\n",
        calendar=_calendar([_event(request, cancelled=True)], cancelled=True),
    )
