"""Calendar files (.ics) for visits: stable UIDs so changes update the same entry, METHOD:CANCEL when
a visit is off, and times in the school's own time zone."""

from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from ..auth.models import User
from ..db_types import utcnow
from .models import SignUp, VisitSlot

PRODID = "-//Walkthrough//Peer observation//EN"


def _event(*, uid: str, sequence: int, slot: VisitSlot, summary: str, cancelled: bool, attendees: list[User]) -> Event:
    zone = ZoneInfo(slot.school.timezone)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", slot.starts_at.astimezone(zone))
    event.add("dtend", slot.ends_at.astimezone(zone))
    event.add("summary", summary)
    event.add("location", f"{slot.school.name}, room {slot.room}" if slot.room else slot.school.name)
    lines = [f"Protocol: {slot.protocol.name}"]
    if slot.focus_question:
        lines.append(f"Focus question: {slot.focus_question}")
    if slot.note_for_visitors:
        lines.append(f"From {slot.host.name}: {slot.note_for_visitors}")
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{slot.host.email}")
    organizer.params["cn"] = slot.host.name
    event.add("organizer", organizer)
    for person in attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = person.name
        event.add("attendee", attendee)
    return event


def _calendar(events: list[Event], method: str | None) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def observer_event(signup: SignUp, *, cancelled: bool = False) -> Event:
    slot = signup.slot
    return _event(
        uid=signup.calendar_uid,
        sequence=slot.sequence + signup.sequence,
        slot=slot,
        summary=f"Visit to {slot.host.name}'s class",
        cancelled=cancelled,
        attendees=[signup.observer],
    )


def host_event(slot: VisitSlot, *, cancelled: bool = False) -> Event:
    visitors = [s.observer for s in slot.confirmed]
    return _event(
        uid=f"slot-{slot.id}@walkthrough",
        sequence=slot.sequence,
        slot=slot,
        summary=f"Open classroom: {len(visitors)} visitor{'s' if len(visitors) != 1 else ''}",
        cancelled=cancelled or not visitors,
        attendees=visitors,
    )


def invitation_for_observer(signup: SignUp, *, cancelled: bool = False) -> str:
    return _calendar([observer_event(signup, cancelled=cancelled)], "CANCEL" if cancelled else "REQUEST")


def invitation_for_host(slot: VisitSlot, *, cancelled: bool = False) -> str:
    cancel = cancelled or not slot.confirmed
    return _calendar([host_event(slot, cancelled=cancel)], "CANCEL" if cancel else "REQUEST")


def feed(events: list[Event]) -> str:
    return _calendar(events, "PUBLISH")
