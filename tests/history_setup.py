"""A scripted history of last school year: visits with and without notes, shares, reflections, replies,
cover and logged learning, written straight into the tables the way the app leaves them."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from walkthrough.coverage.models import CoverageRequest
from walkthrough.db_types import utcnow
from walkthrough.extensions import db
from walkthrough.observations.models import EvidenceEntry, NoteSlot, Observation
from walkthrough.protocols.models import Protocol
from walkthrough.schools.years import current_start_year, district_year
from walkthrough.visits.models import SignUp, VisitSlot

LAST_YEAR = current_start_year(None, date.today()) - 1
YEAR = district_year(LAST_YEAR)


def on(month: int, day: int) -> date:
    """A date in last school year: months 8-12 in its first calendar year, 1-7 in the second."""
    return date(LAST_YEAR + (0 if month >= 8 else 1), month, day)


def instant(school, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(school.timezone)).astimezone(UTC)


def protocol(slug="focus-question") -> Protocol:
    return db.session.scalar(select(Protocol).where(Protocol.slug == slug))


def past_visit(
    *,
    host,
    observer,
    day: date,
    start=time(10),
    end=time(10, 45),
    slug="focus-question",
    notes: str | None = "",
    evidence: str | None = None,
    reflection: str = "",
    shared=False,
    reply: str = "",
    status="confirmed",
    cancelled=False,
):
    """A booked visit. notes=None means no notes were opened; otherwise an observation holds them."""
    school = host.school
    chosen = protocol(slug)
    slot = VisitSlot(
        host_id=host.id,
        school_id=school.id,
        protocol_id=chosen.id,
        day=day,
        local_start=start,
        local_end=end,
        starts_at=instant(school, day, start),
        ends_at=instant(school, day, end),
        capacity=2,
        cancelled_at=utcnow() if cancelled else None,
    )
    db.session.add(slot)
    db.session.flush()
    signup = SignUp(slot_id=slot.id, observer_id=observer.id, status=status)
    db.session.add(signup)
    observation = None
    if notes is not None:
        observation = Observation(
            observer_id=observer.id,
            host_id=host.id,
            protocol_version_id=chosen.current.id,
            focus_question="Who asks the questions?",
            started_at=slot.starts_at,
            finished_at=slot.ends_at,
            shared_with_host_at=slot.ends_at if shared else None,
            host_reply=reply,
            host_replied_at=slot.ends_at + timedelta(hours=3) if reply else None,
        )
        field_key = next(f["key"] for f in chosen.current.fields if f["kind"] in ("prompt", "focus_question"))
        observation.slots.append(NoteSlot(name=field_key, value=notes))
        if reflection:
            observation.slots.append(NoteSlot(name="reflection", value=reflection))
        db.session.add(observation)
        db.session.flush()
        if evidence is not None:
            log_key = next((f["key"] for f in chosen.current.fields if f["kind"] == "evidence_log"), None)
            if log_key:
                db.session.add(
                    EvidenceEntry(
                        observation_id=observation.id,
                        field_key=log_key,
                        client_id="e1",
                        recorded_at=slot.starts_at,
                        minute=3,
                    )
                )
                db.session.add(NoteSlot(observation_id=observation.id, name="evidence:e1", value=evidence))
        signup.observation_id = observation.id
    db.session.commit()
    return slot, signup, observation


def open_door(*, host, observer, day: date, minutes: int, notes="", slug="focus-question"):
    school = host.school
    chosen = protocol(slug)
    started = instant(school, day, time(13))
    observation = Observation(
        observer_id=observer.id,
        host_id=host.id,
        protocol_version_id=chosen.current.id,
        started_at=started,
        finished_at=started + timedelta(minutes=minutes),
    )
    field_key = next(f["key"] for f in chosen.current.fields if f["kind"] in ("prompt", "focus_question"))
    observation.slots.append(NoteSlot(name=field_key, value=notes))
    db.session.add(observation)
    db.session.commit()
    return observation


def cover(*, teacher, day: date, start=time(9), end=time(9, 50), status="open", cover_person=None):
    school = teacher.school
    request = CoverageRequest(
        teacher_id=teacher.id,
        school_id=school.id,
        day=day,
        starts_at=instant(school, day, start),
        ends_at=instant(school, day, end),
        reason="peer_visit",
        status=status,
        cover_id=cover_person.id if cover_person else None,
    )
    db.session.add(request)
    db.session.commit()
    return request
