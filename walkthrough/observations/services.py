"""Starting observations, sharing them, and the host's reply."""

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record as audit
from ..auth.models import Role, User
from ..db_types import utcnow
from ..extensions import db
from ..outbox.services import send_email
from ..protocols.models import Protocol
from ..rules import RuleViolation
from ..urls import external_url
from .models import NoteSlot, Observation

CANNOT_OBSERVE_YOURSELF = "Choose a colleague; you can't visit your own class."
HOST_NOT_A_TEACHER = "Choose a teacher who is active in Walkthrough."
ONLY_COLLEAGUES_OBSERVE = "Visits are made by teachers and coaches, never as an evaluation."
PROTOCOL_ARCHIVED = "That protocol is no longer offered; choose another."
NOT_A_COACH = "Choose one of the coaches listed."
REPLY_EMPTY = "Write your reply before sending it."
FOCUS_TOO_LONG = "Keep the focus question under 500 characters."


# A phone may start a note offline and send it hours later; it keeps the time it was started, within reason.
LONGEST_OFFLINE = timedelta(hours=12)

# Features above this one hear of every note started here (visits attaches it to the booking it is for).
STARTED_HOOKS: list[Callable[[Observation], None]] = []


def start_observation(
    *,
    observer: User,
    host: User | None,
    protocol: Protocol | None,
    focus_question: str = "",
    client_key: str | None = None,
    started_at: datetime | None = None,
) -> Observation:
    """An open-door visit: the observer starts notes now and the host is told. A phone that started the
    note offline sends the key it made and when it started: sending it again returns the same note."""
    if client_key and (earlier := note_with_key(observer, client_key)):
        return earlier
    if not observer.has_role(Role.TEACHER, Role.COACH):
        raise RuleViolation(ONLY_COLLEAGUES_OBSERVE)
    if host is None or not host.is_active_account or not host.has_role(Role.TEACHER):
        raise RuleViolation(HOST_NOT_A_TEACHER, field="host_id")
    if host.id == observer.id:
        raise RuleViolation(CANNOT_OBSERVE_YOURSELF, field="host_id")
    if protocol is None or protocol.archived:
        raise RuleViolation(PROTOCOL_ARCHIVED, field="protocol_id")
    if len(focus_question) > 500:
        raise RuleViolation(FOCUS_TOO_LONG, field="focus_question")
    observation = Observation(
        observer_id=observer.id,
        host_id=host.id,
        protocol_version=protocol.current,
        focus_question=focus_question.strip(),
        started_at=when_started(started_at),
    )
    if not add_once(observation, observer=observer, client_key=client_key):
        return note_with_key(observer, client_key)
    db.session.flush()  # the note's day is set as it is inserted; hooks read it
    for hook in STARTED_HOOKS:
        hook(observation)
    send_email(
        to=host.email,
        kind="observations/open_door_started",
        person=host,
        observer=observer,
        protocol=protocol,
    )
    return observation


def note_with_key(observer: User, client_key: str) -> Observation | None:
    return db.session.scalar(
        select(Observation).where(Observation.observer_id == observer.id, Observation.client_key == client_key)
    )


def add_once(observation: Observation, *, observer: User, client_key: str | None) -> bool:
    """Add a new note; False when the same phone's retry created it a moment ago (the key is taken)."""
    observation.client_key = client_key
    try:
        with db.session.begin_nested():
            db.session.add(observation)
    except IntegrityError:
        if client_key and note_with_key(observer, client_key):
            return False
        raise
    return True


def when_started(started_at: datetime | None) -> datetime:
    now = utcnow()
    if started_at is None or not now - LONGEST_OFFLINE <= started_at <= now:
        return now
    return started_at


REFLECTION_SLOT = "reflection"


def save_reflection(*, observation: Observation, text: str) -> None:
    slot = next((s for s in observation.slots if s.name == REFLECTION_SLOT), None)
    if slot is None:
        slot = NoteSlot(observation_id=observation.id, name=REFLECTION_SLOT, value="", revision=0)
        observation.slots.append(slot)
    if slot.value != text:
        slot.value, slot.revision = text, slot.revision + 1


def share(
    *, observation: Observation, actor: User, with_host: bool, coach: User | None, reflection: str = ""
) -> Observation:
    """Finish the visit: keep the reflection and share with the host and/or a coach (or take a share back)."""
    if coach is not None and (not coach.has_role(Role.COACH) or coach.id == actor.id):
        raise RuleViolation(NOT_A_COACH, field="coach_id")
    save_reflection(observation=observation, text=reflection.strip())
    link = external_url("observations.view", observation_id=observation.id)
    newly_host = with_host and observation.shared_with_host_at is None
    newly_coach = coach is not None and observation.shared_with_coach_id != coach.id
    host_withdrawn = not with_host and observation.shared_with_host_at is not None
    coach_withdrawn = observation.shared_with_coach_id is not None and (coach is None or newly_coach)
    if newly_host or newly_coach:
        audit(
            actor,
            "note_shared",
            observation=observation.id,
            with_host=newly_host,
            coach=coach.email if newly_coach else None,
        )
    if host_withdrawn or coach_withdrawn:
        audit(
            actor,
            "note_share_withdrawn",
            observation=observation.id,
            from_host=host_withdrawn,
            from_coach=coach_withdrawn,
        )
    observation.finished_at = observation.finished_at or utcnow()
    observation.shared_with_host_at = (observation.shared_with_host_at or utcnow()) if with_host else None
    observation.shared_with_coach_id = coach.id if coach else None
    if newly_host:
        send_email(
            to=observation.host.email,
            kind="observations/shared_with_host",
            person=observation.host,
            observer=actor,
            link=link,
        )
    if newly_coach:
        send_email(
            to=coach.email,
            kind="observations/shared_with_coach",
            person=coach,
            observer=actor,
            link=link,
        )
    db.session.flush()
    return observation


def reply(*, observation: Observation, actor: User, text: str) -> Observation:
    if not text.strip():
        raise RuleViolation(REPLY_EMPTY, field="reply")
    first_reply = observation.host_replied_at is None
    observation.host_reply = text.strip()[:20_000]
    observation.host_replied_at = utcnow()
    if first_reply:
        link = external_url("observations.view", observation_id=observation.id)
        send_email(
            to=observation.observer.email,
            kind="observations/host_replied",
            person=observation.observer,
            host=actor,
            link=link,
        )
    db.session.flush()
    return observation
