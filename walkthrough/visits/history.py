"""What counts as a visit, in one query every report and record builds on.

A visit is an observation (notes were opened, booked or open-door), or a confirmed booking whose time has
passed without notes being opened: the observer was in the room even if they wrote on paper."""

from datetime import date

from sqlalchemy import case, exists, func, literal, select, union_all
from sqlalchemy.sql import Subquery

from ..db_types import utcnow
from ..observations.models import NoteSlot, Observation
from ..observations.services import REFLECTION_SLOT
from ..protocols.models import ProtocolVersion
from ..sqltime import minutes_between
from .models import SignUp, SignUpStatus, VisitSlot

# An open-door visit left open all day still counts as a lesson's length, not a day of learning.
LONGEST_OPEN_DOOR_MINUTES = 90


def visits(start: date, end: date) -> Subquery:
    """One row per visit between two local dates, with who, where, which protocol, how long and what followed."""
    booked_slot = (
        select(VisitSlot.starts_at, VisitSlot.ends_at, SignUp.observation_id)
        .join(SignUp, SignUp.slot_id == VisitSlot.id)
        .where(SignUp.observation_id.is_not(None))
        .subquery()
    )
    open_door_minutes = func.coalesce(minutes_between(Observation.started_at, Observation.finished_at), 0)
    reflected = exists().where(
        NoteSlot.observation_id == Observation.id, NoteSlot.name == REFLECTION_SLOT, NoteSlot.value != ""
    )
    from_notes = (
        select(
            Observation.observer_id.label("observer_id"),
            Observation.host_id.label("host_id"),
            Observation.school_id.label("school_id"),
            Observation.day.label("day"),
            ProtocolVersion.protocol_id.label("protocol_id"),
            func.coalesce(
                minutes_between(booked_slot.c.starts_at, booked_slot.c.ends_at),
                case(
                    (open_door_minutes > LONGEST_OPEN_DOOR_MINUTES, LONGEST_OPEN_DOOR_MINUTES),
                    else_=open_door_minutes,
                ),
            ).label("minutes"),
            case((Observation.shared_with_host_at.is_not(None), 1), else_=0).label("shared"),
            case((reflected, 1), else_=0).label("reflected"),
            case((Observation.host_replied_at.is_not(None), 1), else_=0).label("replied"),
        )
        .join(ProtocolVersion, ProtocolVersion.id == Observation.protocol_version_id)
        .outerjoin(booked_slot, booked_slot.c.observation_id == Observation.id)
        .where(Observation.day.between(start, end))
    )
    without_notes = (
        select(
            SignUp.observer_id,
            VisitSlot.host_id,
            VisitSlot.school_id,
            VisitSlot.day,
            VisitSlot.protocol_id,
            minutes_between(VisitSlot.starts_at, VisitSlot.ends_at),
            literal(0),
            literal(0),
            literal(0),
        )
        .join(VisitSlot, VisitSlot.id == SignUp.slot_id)
        .where(
            SignUp.status == SignUpStatus.CONFIRMED.value,
            SignUp.observation_id.is_(None),
            VisitSlot.cancelled_at.is_(None),
            VisitSlot.ends_at <= utcnow(),
            VisitSlot.day.between(start, end),
        )
    )
    return union_all(from_notes, without_notes).subquery("visits")
