"""Calendar files (.ics) for visits: stable UIDs so changes update the same entry, METHOD:CANCEL when
a visit is off, and times in the school's own time zone.

Roles are the same in every file: Walkthrough (the sending address) is the ORGANIZER, because it sends every
update and cancellation; the host is an ATTENDEE with ROLE=CHAIR and each visitor one with
ROLE=REQ-PARTICIPANT, all already accepted, so no client asks anyone to reply to the robot."""

from zoneinfo import ZoneInfo

from icalendar import Event

from ..auth.models import User
from ..db_types import utcnow
from ..ical import attendee, calendar_file, organizer
from .models import SignUp, VisitSlot


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
    event.add("organizer", organizer())
    event.add("attendee", attendee(name=slot.host.name, email=slot.host.email, role="CHAIR"))
    for person in attendees:
        event.add("attendee", attendee(name=person.name, email=person.email, role="REQ-PARTICIPANT"))
    return event


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
    return calendar_file([observer_event(signup, cancelled=cancelled)], method="CANCEL" if cancelled else "REQUEST")


def invitation_for_host(slot: VisitSlot, *, cancelled: bool = False) -> str:
    cancel = cancelled or not slot.confirmed
    return calendar_file([host_event(slot, cancelled=cancel)], method="CANCEL" if cancel else "REQUEST")


def feed(events: list[Event]) -> str:
    return calendar_file(events, method="PUBLISH")
