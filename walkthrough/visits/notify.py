"""Emails (with calendar files) for everyone a sign-up, change or cancellation concerns. The words are in
templates/email/visits/."""

from ..outbox.services import send_email
from ..text import clock
from ..urls import external_url
from . import calendar
from .models import SignUp, VisitSlot


def _when(slot: VisitSlot) -> str:
    return (
        f"{slot.day.strftime('%A %-d %B')}, {clock(slot.local_start)}–"
        f"{clock(slot.local_end)} ({slot.school.timezone.replace('_', ' ')})"
    )


def _details(slot: VisitSlot) -> list[tuple[str, str]]:
    return [
        ("When", _when(slot)),
        ("Where", slot.school.name + (f", room {slot.room}" if slot.room else "")),
        ("Protocol", slot.protocol.name),
        ("Focus question", slot.focus_question),
        (f"Note from {slot.host.name}", slot.note_for_visitors),
    ]


def _to_observer(kind: str, signup: SignUp, *, calendar_file: str = "", **context) -> None:
    slot = signup.slot
    send_email(
        to=signup.observer.email,
        kind=f"visits/{kind}",
        calendar=calendar_file,
        person=signup.observer,
        host=slot.host,
        day=slot.day,
        details=_details(slot),
        link=external_url("visits.mine"),
        **context,
    )


def signed_up(signup: SignUp) -> None:
    _to_observer("booked", signup, calendar_file=calendar.invitation_for_observer(signup), booked_by=signup.booked_by)
    host_update(signup.slot, f"{signup.observer.name} is coming to your class.")


def waitlisted(signup: SignUp) -> None:
    slot = signup.slot
    position = slot.waitlist.index(signup) + 1 if signup in slot.waitlist else 1
    _to_observer("waitlisted", signup, position=position)


def awaiting_approval(signup: SignUp) -> None:
    _to_observer("awaiting_approval", signup)


def approval_wanted(signup: SignUp, admins) -> None:
    slot = signup.slot
    link = external_url("coverage.board", school_id=signup.observer.school_id, day=slot.day.isoformat())
    for admin in admins:
        send_email(
            to=admin.email,
            kind="visits/approval_wanted",
            person=admin,
            observer=signup.observer,
            host=slot.host,
            day=slot.day,
            details=_details(slot),
            link=link,
        )


def promoted(signup: SignUp) -> None:
    _to_observer("promoted", signup, calendar_file=calendar.invitation_for_observer(signup))


def cancelled(signup: SignUp, *, reason: str) -> None:
    _to_observer(
        "cancelled", signup, calendar_file=calendar.invitation_for_observer(signup, cancelled=True), reason=reason
    )


def changed(signup: SignUp) -> None:
    _to_observer("changed", signup, calendar_file=calendar.invitation_for_observer(signup))


def host_update(slot: VisitSlot, news: str) -> None:
    """The host's own calendar entry for the visit, brought up to date with who is coming (or cancelled)."""
    send_email(
        to=slot.host.email,
        kind="visits/host_update",
        calendar=calendar.invitation_for_host(slot),
        person=slot.host,
        day=slot.day,
        news=news,
        visitors=[signup.observer.name for signup in slot.confirmed],
        details=_details(slot),
        link=external_url("visits.open_classroom"),
    )


def reminder(signup: SignUp) -> None:
    _to_observer("reminder", signup)
