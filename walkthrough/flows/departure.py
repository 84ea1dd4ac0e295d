"""When someone leaves the district: their personal data is erased and the rows that reports count stay.

Kept, so building and district figures don't change after the fact: each visit's date, school, protocol
and whether notes were shared; sign-ups, cover requests, coaching log entries (kind, day, minutes),
cohort attendance and learning minutes. Erased: their name and email, every word they wrote (notes,
evidence, reflections, replies, goals, captions, plan notes, focus questions and notes for visitors as a
host, log notes as a coach, evidence from building walks), their photos and uploaded files, their
schedule, their place on caseloads and substitute pools, and emails addressed to them. Future visits,
slots and cover they were part of are cancelled so colleagues are told and seats free up."""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, or_, select, update

from ..audit.services import record as audit
from ..auth.models import User, new_link_nonce, new_session_token
from ..auth.sessions import end_sessions
from ..coaching.models import CaseloadMember, CoachingActivity, CoachingCycle, CoachingRecord, GrowthGoal
from ..cohorts.models import Cohort, CohortMember, MeetingAttendance
from ..coverage import notify as coverage_notify
from ..coverage import plans
from ..coverage import services as coverage
from ..coverage.models import LIVE, CoverageRequest, CoverageStatus, SubstitutePool
from ..db_types import utcnow
from ..extensions import db
from ..learning.models import LearningEntry
from ..observations.models import AppliedChange, EvidenceEntry, NoteSlot, Observation, Photo
from ..observations.photos import photo_path
from ..observations.services import REFLECTION_SLOT
from ..outbox.models import OutboxMessage
from ..outbox.services import send_email
from ..rules import RuleViolation
from ..schools.models import PeriodAssignment
from ..showcase.models import ShowcaseItem
from ..urls import external_url
from ..visits import hosting
from ..visits import services as visits
from ..visits.models import ACTIVE, SignUp, VisitSlot
from ..walks.models import WalkClassroom

FORMER_NAME = "Former staff member"
ERASED = "(Erased when its author left the district.)"
NAME_MISMATCH = "Type their name exactly as shown to confirm."
NOT_YOURSELF = "You can't remove your own account; ask another admin."
ALREADY_GONE = "This person has already left and their data was erased."


@dataclass(frozen=True)
class Footprint:
    """What the confirmation page tells the admin will go (and stay)."""

    visits_made: int
    visits_hosted: int
    future_bookings: int
    future_slots: int
    live_cover_requests: int
    coaching_records: int
    photos: int


def footprint(person: User) -> Footprint:
    now = utcnow()

    def count(query) -> int:
        return db.session.scalar(select(func.count()).select_from(query.subquery()))

    return Footprint(
        visits_made=count(select(Observation.id).where(Observation.observer_id == person.id)),
        visits_hosted=count(select(Observation.id).where(Observation.host_id == person.id)),
        future_bookings=count(
            select(SignUp.id)
            .join(VisitSlot)
            .where(SignUp.observer_id == person.id, SignUp.status.in_(ACTIVE), VisitSlot.starts_at > now)
        ),
        future_slots=count(
            select(VisitSlot.id).where(
                VisitSlot.host_id == person.id, VisitSlot.cancelled_at.is_(None), VisitSlot.starts_at > now
            )
        ),
        live_cover_requests=count(
            select(CoverageRequest.id).where(
                or_(CoverageRequest.teacher_id == person.id, CoverageRequest.cover_id == person.id),
                CoverageRequest.status.in_(LIVE),
                CoverageRequest.starts_at > now,
            )
        ),
        coaching_records=count(select(CoachingRecord.id).where(CoachingRecord.coachee_id == person.id)),
        photos=count(select(Photo.id).join(Observation).where(Observation.observer_id == person.id)),
    )


def _cancel_what_is_ahead(person: User, actor: User) -> None:
    now = utcnow()
    bookings = db.session.scalars(
        select(SignUp)
        .join(VisitSlot)
        .where(SignUp.observer_id == person.id, SignUp.status.in_(ACTIVE), VisitSlot.starts_at > now)
    ).all()
    for signup in bookings:
        visits.cancel_signup(signup=signup, actor=actor)
    slots = db.session.scalars(
        select(VisitSlot).where(
            VisitSlot.host_id == person.id, VisitSlot.cancelled_at.is_(None), VisitSlot.starts_at > now
        )
    ).all()
    for slot in slots:
        hosting.cancel_slot(slot=slot, actor=actor)
    live = select(CoverageRequest).where(CoverageRequest.status.in_(LIVE), CoverageRequest.starts_at > now)
    coverage.release(requests=db.session.scalars(live.where(CoverageRequest.cover_id == person.id)).all(), actor=actor)
    for request in db.session.scalars(live.where(CoverageRequest.teacher_id == person.id)):
        if request.cover_id:
            coverage_notify.cover_released(request, why="The teacher has left, so this cover isn't needed.")
        request.status = CoverageStatus.CANCELLED.value


def _erase_words(person: User) -> list[Path]:
    """Blank every text they wrote; return the files to remove once the erasure is committed."""
    files: list[Path] = []
    made = select(Observation.id).where(Observation.observer_id == person.id)
    for photo in db.session.scalars(select(Photo).where(Photo.observation_id.in_(made))):
        files += [photo_path(photo), photo_path(photo, thumbnail=True)]
    for model in (Photo, EvidenceEntry, AppliedChange):
        db.session.execute(delete(model).where(model.observation_id.in_(made)))
    # A written reflection is counted in reports, so its row stays with the words replaced.
    reflections = (NoteSlot.observation_id.in_(made), NoteSlot.name == REFLECTION_SLOT)
    db.session.execute(delete(NoteSlot).where(NoteSlot.observation_id.in_(made), NoteSlot.name != REFLECTION_SLOT))
    db.session.execute(update(NoteSlot).where(*reflections, NoteSlot.value != "").values(value=ERASED))
    db.session.execute(
        update(Observation).where(Observation.host_id == person.id).values(host_reply="", focus_question="")
    )
    # As a host they wrote focus questions and notes for visitors; as a coach, log notes on others' records.
    db.session.execute(
        update(VisitSlot).where(VisitSlot.host_id == person.id).values(focus_question="", note_for_visitors="")
    )
    db.session.execute(
        update(CoachingActivity).where(CoachingActivity.coach_id == person.id).values(notes="", next_step="")
    )

    records = select(CoachingRecord.id).where(CoachingRecord.coachee_id == person.id)
    for goal in db.session.scalars(select(GrowthGoal).where(GrowthGoal.record_id.in_(records))):
        db.session.delete(goal)  # its evidence links go with it
    db.session.execute(update(CoachingCycle).where(CoachingCycle.record_id.in_(records)).values(focus=""))
    db.session.execute(
        update(CoachingActivity).where(CoachingActivity.record_id.in_(records)).values(notes="", next_step="")
    )

    db.session.execute(update(MeetingAttendance).where(MeetingAttendance.user_id == person.id).values(reflection=""))
    for member in db.session.scalars(select(CohortMember).where(CohortMember.user_id == person.id)):
        if member.plan_file:
            files.append(plans.folder() / member.plan_file)
        member.plan_file, member.plan_name = None, ""
    db.session.execute(update(LearningEntry).where(LearningEntry.user_id == person.id).values(title=""))
    # The classrooms they recorded on walks stay in the building's figures; their evidence goes.
    db.session.execute(update(WalkClassroom).where(WalkClassroom.walker_id == person.id).values(evidence=""))
    for request in db.session.scalars(select(CoverageRequest).where(CoverageRequest.teacher_id == person.id)):
        if request.plan_file:
            files.append(plans.folder() / request.plan_file)
        request.notes, request.plan_file, request.plan_name = "", None, ""
    return files


def _detach(person: User) -> None:
    db.session.execute(
        delete(CaseloadMember).where(or_(CaseloadMember.coach_id == person.id, CaseloadMember.coachee_id == person.id))
    )
    db.session.execute(delete(PeriodAssignment).where(PeriodAssignment.user_id == person.id))
    db.session.execute(delete(SubstitutePool).where(SubstitutePool.substitute_id == person.id))
    db.session.execute(update(Cohort).where(Cohort.team_leader_id == person.id).values(team_leader_id=None))
    # Showcase items hold their words and name with their consent, which leaves with them.
    db.session.execute(
        delete(ShowcaseItem).where(or_(ShowcaseItem.observer_id == person.id, ShowcaseItem.host_id == person.id))
    )
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == person.email))


def offer_data_copy(*, person: User, actor: User) -> None:
    """Admins never open someone's notes, so the copy goes to the person: an email pointing them at it."""
    send_email(
        to=person.email,
        kind="people/data_copy_offered",
        person=person,
        actor=actor,
        link=external_url("home.account") + "#your-data",
    )
    audit(actor, "data_copy_offered", person_id=person.id)


def erase_person(*, person: User, actor: User, typed_name: str) -> list[Path]:
    """Returns the files to delete after the caller commits, so a failed erasure leaves every file in place."""
    if person.departed_at is not None:
        raise RuleViolation(ALREADY_GONE)
    if person.id == actor.id:
        raise RuleViolation(NOT_YOURSELF, field="confirm_name")
    if typed_name.strip().casefold() != person.name.strip().casefold():
        raise RuleViolation(NAME_MISMATCH, field="confirm_name")
    audit(actor, "person_departed", person_id=person.id, downloaded_data=person.data_copy_at is not None)
    _cancel_what_is_ahead(person, actor)
    files = _erase_words(person)
    _detach(person)
    person.name = FORMER_NAME
    person.email = f"departed-{person.id}@walkthrough.invalid"
    person.password_hash = None
    person.link_nonce, person.calendar_token = new_link_nonce(), new_session_token()
    end_sessions(person)
    person.subjects, person.grade_band = "", ""
    person.is_active_account = False
    person.invited_at = person.last_login_at = None
    person.departed_at = utcnow()
    db.session.flush()
    return files


def remove_files(files: list[Path]) -> None:
    for path in files:
        path.unlink(missing_ok=True)
