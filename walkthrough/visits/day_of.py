"""The day of a visit: opening the notes, and the reminder the day before."""

from datetime import timedelta

from sqlalchemy import select

from ..auth.models import User
from ..db_types import utcnow
from ..extensions import db
from ..observations.models import Observation
from ..rules import RuleViolation
from ..schools.times import local_today
from . import notify
from .models import SignUp, SignUpStatus, VisitSlot
from .services import NOT_YOUR_SIGNUP

NOT_TODAY = "Notes open on the day of the visit."
NOT_BOOKED = "Only a confirmed visit has notes."


def start_notes(*, signup: SignUp, actor: User):
    """Open the note editor for a booked visit, with the slot's protocol and the host's focus question."""

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
        started_at=utcnow(),
    )
    db.session.add(observation)
    db.session.flush()
    signup.observation_id = observation.id
    return observation


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
