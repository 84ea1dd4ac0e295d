"""Emails (with calendar files) for everyone a sign-up, change or cancellation concerns."""

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


def _details(slot: VisitSlot) -> str:
    lines = [
        f"When: {_when(slot)}",
        f"Where: {slot.school.name}" + (f", room {slot.room}" if slot.room else ""),
        f"Protocol: {slot.protocol.name}",
    ]
    if slot.focus_question:
        lines.append(f"Focus question: {slot.focus_question}")
    if slot.note_for_visitors:
        lines.append(f"Note from {slot.host.name}: {slot.note_for_visitors}")
    return "\n".join(lines)


def signed_up(signup: SignUp) -> None:
    slot = signup.slot
    booked = (
        (
            f"{signup.booked_by.name} booked this visit for you. If you can't go, decline it here:\n"
            f"{external_url('visits.mine')}\n\n"
        )
        if signup.booked_by_id
        else ""
    )
    send_email(
        to=signup.observer.email,
        subject=f"Visit booked: {slot.host.name}, {slot.day.strftime('%-d %b')}",
        body=f"Hello {signup.observer.name},\n\n{booked}You're visiting {slot.host.name}'s class.\n\n"
        f"{_details(slot)}\n",
        calendar=calendar.invitation_for_observer(signup),
    )
    host_update(slot, f"{signup.observer.name} is coming to your class.")


def waitlisted(signup: SignUp) -> None:
    slot = signup.slot
    position = slot.waitlist.index(signup) + 1 if signup in slot.waitlist else 1
    send_email(
        to=signup.observer.email,
        subject=f"On the waitlist: {slot.host.name}, {slot.day.strftime('%-d %b')}",
        body=f"Hello {signup.observer.name},\n\nThat visit is full; you're number {position} on the "
        f"waitlist. If a seat opens, you'll get it and an email.\n\n{_details(slot)}\n",
    )


def awaiting_approval(signup: SignUp) -> None:
    slot = signup.slot
    send_email(
        to=signup.observer.email,
        subject=f"Waiting for approval: {slot.host.name}, {slot.day.strftime('%-d %b')}",
        body=f"Hello {signup.observer.name},\n\nYour seat is held. The visit takes you away from your own class, "
        f"so your school's admin approves it first; you'll get an email either way.\n\n{_details(slot)}\n",
    )


def approval_wanted(signup: SignUp, admins) -> None:
    slot = signup.slot
    link = external_url("coverage.board", school_id=signup.observer.school_id, day=slot.day.isoformat())
    for admin in admins:
        send_email(
            to=admin.email,
            subject=f"Approve {signup.observer.name}'s visit, {slot.day.strftime('%-d %b')}?",
            body=f"Hello {admin.name},\n\n{signup.observer.name} would like to visit {slot.host.name}'s class during "
            f"teaching time. Approve or decline it on the coverage board:\n\n{link}\n\n{_details(slot)}\n",
        )


def promoted(signup: SignUp) -> None:
    slot = signup.slot
    send_email(
        to=signup.observer.email,
        subject=f"A seat opened: {slot.host.name}, {slot.day.strftime('%-d %b')}",
        body=f"Hello {signup.observer.name},\n\nA seat opened and it's yours: you're now booked.\n\n{_details(slot)}\n",
        calendar=calendar.invitation_for_observer(signup),
    )


def cancelled(signup: SignUp, *, reason: str) -> None:
    slot = signup.slot
    send_email(
        to=signup.observer.email,
        subject=f"Visit cancelled: {slot.host.name}, {slot.day.strftime('%-d %b')}",
        body=f"Hello {signup.observer.name},\n\n{reason}\n\n{_details(slot)}\n",
        calendar=calendar.invitation_for_observer(signup, cancelled=True),
    )


def changed(signup: SignUp) -> None:
    slot = signup.slot
    send_email(
        to=signup.observer.email,
        subject=f"Visit changed: {slot.host.name}, {slot.day.strftime('%-d %b')}",
        body=f"Hello {signup.observer.name},\n\n{slot.host.name} changed the visit. Here it is now:\n\n"
        f"{_details(slot)}\n",
        calendar=calendar.invitation_for_observer(signup),
    )


def host_update(slot: VisitSlot, news: str) -> None:
    visitors = ", ".join(s.observer.name for s in slot.confirmed) or "nobody yet"
    send_email(
        to=slot.host.email,
        subject=f"Your open classroom, {slot.day.strftime('%-d %b')}: {news}",
        body=f"Hello {slot.host.name},\n\n{news}\nComing: {visitors}.\n\n{_details(slot)}\n",
        calendar=calendar.invitation_for_host(slot),
    )


def reminder(signup: SignUp) -> None:
    slot = signup.slot
    send_email(
        to=signup.observer.email,
        subject=f"Tomorrow: visit to {slot.host.name}",
        body=f"Hello {signup.observer.name},\n\nA reminder of tomorrow's visit.\n\n{_details(slot)}\n\n"
        f"On the day, open “My visits” and tap “Start notes”:\n{external_url('visits.mine')}\n",
    )
