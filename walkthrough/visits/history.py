"""What counts as a visit, in one query every report and record builds on.

A visit is an observation (notes were opened, booked or open-door), or a confirmed booking whose time has
passed without notes being opened: the observer was in the room even if they wrote on paper."""

from datetime import date

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Subquery

from ..db_types import utcnow
from ..observations.models import NoteSlot, Observation
from ..observations.services import REFLECTION_SLOT
from ..protocols.models import ProtocolVersion
from ..sqltime import minutes_between
from .models import SignUp, SignUpStatus, VisitSlot

# An open-door visit left open all day still counts as a lesson's length, not a day of learning.
LONGEST_OPEN_DOOR_MINUTES = 90


def visits(
    start: date,
    end: date,
    *,
    detail: bool = True,
    observer_ids: list[int] | None = None,
    host_ids: list[int] | None = None,
    school_ids: list[int] | tuple[int, ...] | None = None,
) -> Subquery:
    """One row per visit between two local dates: who, where, which protocol, whether the notes were shared
    and answered. With detail, also how long it lasted and whether a reflection was written, which costs a
    join and a lookup per visit. Filters go inside each half of the union, where the indexes are;
    databases don't push them in."""
    from_notes = select(
        Observation.observer_id.label("observer_id"),
        Observation.host_id.label("host_id"),
        Observation.school_id.label("school_id"),
        Observation.day.label("day"),
        ProtocolVersion.protocol_id.label("protocol_id"),
        case((Observation.shared_with_host_at.is_not(None), 1), else_=0).label("shared"),
        case((Observation.host_replied_at.is_not(None), 1), else_=0).label("replied"),
    ).join(ProtocolVersion, ProtocolVersion.id == Observation.protocol_version_id)
    if observer_ids is None and host_ids is None:
        # A school's or the district's: the (status, observation_id, slot_id) index holds exactly these.
        no_notes = SignUp.observation_id.is_(None)
    else:
        # A few people's: written so no index on observation_id is used, since "no notes" is a third of
        # all sign-ups and the observer's or the slot's index reaches theirs far more cheaply.
        no_notes = func.coalesce(SignUp.observation_id, 0) == 0
    without_notes = (
        select(
            SignUp.observer_id,
            VisitSlot.host_id,
            VisitSlot.school_id,
            VisitSlot.day,
            VisitSlot.protocol_id,
            literal(0),
            literal(0),
        )
        .join(VisitSlot, VisitSlot.id == SignUp.slot_id)
        .where(
            SignUp.status == SignUpStatus.CONFIRMED.value,
            no_notes,
            VisitSlot.cancelled_at.is_(None),
            VisitSlot.ends_at <= utcnow(),
            VisitSlot.day.between(start, end),
        )
    )
    if detail:
        booked = aliased(VisitSlot)
        open_door_minutes = func.coalesce(minutes_between(Observation.started_at, Observation.finished_at), 0)
        # A join, not EXISTS: a subquery in the select list runs once per visit in PostgreSQL's leader process,
        # after the parallel workers (7 of a state's 17 s); a note has at most one slot of each name.
        reflection = aliased(NoteSlot)
        written = (
            (reflection.observation_id == Observation.id)
            & (reflection.name == REFLECTION_SLOT)
            & (reflection.value != "")
        )
        from_notes = (
            from_notes.add_columns(
                func.coalesce(
                    minutes_between(booked.starts_at, booked.ends_at),
                    case(
                        (open_door_minutes > LONGEST_OPEN_DOOR_MINUTES, LONGEST_OPEN_DOOR_MINUTES),
                        else_=open_door_minutes,
                    ),
                ).label("minutes"),
                case((reflection.id.is_not(None), 1), else_=0).label("reflected"),
            )
            .outerjoin(SignUp, SignUp.observation_id == Observation.id)
            .outerjoin(booked, booked.id == SignUp.slot_id)
            .outerjoin(reflection, written)
        )
        without_notes = without_notes.add_columns(minutes_between(VisitSlot.starts_at, VisitSlot.ends_at), literal(0))
    from_notes = from_notes.where(Observation.day.between(start, end))
    for wanted, in_notes, in_bookings in (
        (observer_ids, Observation.observer_id, SignUp.observer_id),
        (host_ids, Observation.host_id, VisitSlot.host_id),
        (school_ids, Observation.school_id, VisitSlot.school_id),
    ):
        if wanted is not None:
            from_notes = from_notes.where(in_notes.in_(wanted))
            without_notes = without_notes.where(in_bookings.in_(wanted))
    return union_all(from_notes, without_notes).subquery("visits")
