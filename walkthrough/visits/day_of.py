"""The day of a visit: opening the notes, and the reminder the day before."""

from datetime import timedelta

from sqlalchemy import select

from ..auth.models import User
from ..db_types import utcnow
from ..extensions import db
from ..observations.models import Observation
from ..observations.services import add_once, note_with_key, when_started
from ..rules import RuleViolation
from ..schools.times import local_today
from . import notify
from .models import SignUp, SignUpStatus, VisitSlot
from .services import NOT_YOUR_SIGNUP

NOT_TODAY = "Notes open on the day of the visit."
NOT_BOOKED = "Only a confirmed visit has notes."


def start_notes(*, signup: SignUp, actor: User, client_key: str | None = None, started_at=None):
    """Open the note editor for a booked visit, with the slot's protocol and the host's focus question.
    A phone that opened it offline sends its key: the booking's note is made once, whichever comes first."""

    if actor.id != signup.observer_id:
        raise RuleViolation(NOT_YOUR_SIGNUP)
    if signup.observation_id:
        return db.session.get(Observation, signup.observation_id)
    slot = signup.slot
    if signup.status != SignUpStatus.CONFIRMED or slot.cancelled_at is not None:
        raise RuleViolation(NOT_BOOKED)
    if local_today(slot.school) != slot.day:
        raise RuleViolation(NOT_TODAY)
    observation = Observation(
        observer_id=actor.id,
        host_id=slot.host_id,
        protocol_version=slot.protocol.current,
        focus_question=slot.focus_question,
        started_at=when_started(started_at),
    )
    if not add_once(observation, observer=actor, client_key=client_key):
        observation = note_with_key(actor, client_key)
    signup.observation_id = observation.id
    db.session.flush()
    return observation


def attach_to_booking(observation: Observation) -> None:
    """An open-door note started for a visit the observer booked is that visit's note, so it counts once."""
    signup = db.session.scalar(
        select(SignUp)
        .join(VisitSlot)
        .where(
            SignUp.observer_id == observation.observer_id,
            SignUp.status == SignUpStatus.CONFIRMED.value,
            SignUp.observation_id.is_(None),
            VisitSlot.host_id == observation.host_id,
            VisitSlot.day == observation.day,
            VisitSlot.cancelled_at.is_(None),
        )
        .order_by(VisitSlot.starts_at)
        .limit(1)
    )
    if signup is not None:
        signup.observation_id = observation.id


def send_reminders(*, now=None) -> int:
    """Email everyone booked for tomorrow (in their host school's time), once: running it twice sends nothing new."""

    now = now or utcnow()
    candidates = db.session.scalars(
        select(SignUp)
        .join(VisitSlot)
        .where(
            SignUp.status == SignUpStatus.CONFIRMED.value,
            SignUp.reminded_at.is_(None),
            VisitSlot.cancelled_at.is_(None),
            VisitSlot.starts_at > now,
            VisitSlot.starts_at < now + timedelta(days=3),
        )
    ).all()
    sent = 0
    for signup in candidates:
        if signup.slot.day == local_today(signup.slot.school) + timedelta(days=1):
            notify.reminder(signup)
            signup.reminded_at = now
            sent += 1
    db.session.flush()
    return sent
