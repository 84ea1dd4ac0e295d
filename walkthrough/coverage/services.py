"""Coverage: covers assigned without double-booking anyone, and cover asked for by teachers away from class.
(Cover for a visit is made by visits/cover.py.)"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ..auth import kept
from ..auth.models import User
from ..db_types import utcnow
from ..extensions import db
from ..rules import RuleViolation
from . import callout, notify, reasons
from .availability import Candidate, CoverContext
from .budget import release_time
from .models import LIVE, CoverageRequest, CoverageStatus
from .needs import classes_missed, missed_by, teaching_assignments

ALREADY_TAKEN = "Someone else took this job a moment ago."
NOT_OPEN = "This job isn't open any more."
CLASS_STARTED = "That class has already started, so its cover stays on the record."
NOTHING_TO_COVER = "Choose at least one class that needs cover."
ONE_JOB_AT_A_TIME = "Accept one school's job for one day at a time."


def take_turn_on(person: User) -> None:
    """Write to this person's row first, so requests that count their bookings (two admins booking the same
    cover, one teacher booking two visits at once) take turns: a row lock on PostgreSQL, the write lock on
    SQLite."""
    turn = update(User).where(User.id == person.id).values(cover_lock=User.cover_lock + 1)
    db.session.execute(turn.execution_options(**kept.changing(person)))
    db.session.refresh(person)


def assign(*, requests: list[CoverageRequest], cover: User, actor: User) -> list[CoverageRequest]:
    """An admin books a substitute or a free colleague for one teacher's classes on one day."""
    if not requests:
        raise RuleViolation(NOTHING_TO_COVER)
    take_turn_on(cover)
    for request in requests:
        db.session.refresh(request)
        if request.status in (CoverageStatus.CANCELLED, CoverageStatus.PENDING):
            raise RuleViolation(NOT_OPEN)
    reason = CoverContext(requests[0].school, requests[0].day, [cover.id]).conflict(Candidate.of(cover), requests)
    if reason:
        raise RuleViolation(reason, field="cover_id")
    for request in requests:
        previous = request.cover if request.cover_id and request.cover_id != cover.id else None
        if previous is not None:
            notify.cover_released(request, why="The coverage was given to someone else.")
        request.cover_id, request.assigned_by_id, request.assigned_at = cover.id, actor.id, utcnow()
        request.status = CoverageStatus.ASSIGNED.value
        request.acknowledged_at = None
    db.session.flush()
    notify.cover_booked(requests, cover, assigned_by=actor)
    return requests


def the_day_of(request: CoverageRequest) -> list[CoverageRequest]:
    """Every class of the same teacher's day this person was assigned and hasn't answered yet."""
    return list(
        db.session.scalars(
            select(CoverageRequest).where(
                CoverageRequest.teacher_id == request.teacher_id,
                CoverageRequest.day == request.day,
                CoverageRequest.cover_id == request.cover_id,
                CoverageRequest.status == CoverageStatus.ASSIGNED.value,
            )
        )
    )


def acknowledge(*, requests: list[CoverageRequest], person: User) -> None:
    """The person an admin assigned says they will cover these classes."""
    for request in requests:
        if request.cover_id != person.id or request.status != CoverageStatus.ASSIGNED:
            raise RuleViolation(NOT_OPEN)
        request.status, request.acknowledged_at = CoverageStatus.CONFIRMED.value, utcnow()
    db.session.flush()


def decline(*, requests: list[CoverageRequest], person: User) -> None:
    """They can't: the classes are open again (on the board, and called out to substitutes), and the admin
    who assigned them is told."""
    for request in requests:
        if request.cover_id != person.id or request.status != CoverageStatus.ASSIGNED:
            raise RuleViolation(NOT_OPEN)
    admin = requests[0].assigned_by if requests else None
    for request in requests:
        request.cover_id, request.status, request.acknowledged_at = None, CoverageStatus.OPEN.value, None
        request.assigned_by_id = None
    db.session.flush()
    if admin is not None and admin.is_active_account:
        notify.cover_declined(requests, person, admin)


def accept(*, requests: list[CoverageRequest], substitute: User) -> list[CoverageRequest]:
    """A substitute takes an open job from the board: the first to accept gets it."""
    if not requests:
        raise RuleViolation(NOTHING_TO_COVER)
    if len({(r.school_id, r.day) for r in requests}) > 1:
        raise RuleViolation(ONE_JOB_AT_A_TIME)  # the checks below look at one school's day
    take_turn_on(substitute)
    context = CoverContext(requests[0].school, requests[0].day, [substitute.id])
    if substitute.id in context.blocked:
        raise RuleViolation(NOT_OPEN)  # the do-not-send list is never shown to the substitute it names
    reason = context.conflict(Candidate.of(substitute), requests)
    if reason:
        raise RuleViolation(reason)
    # Taken already is the update's to say (below); cancelled, waiting for approval or started is not open.
    if any(r.status in (CoverageStatus.CANCELLED, CoverageStatus.PENDING) or r.starts_at <= utcnow() for r in requests):
        raise RuleViolation(NOT_OPEN)
    waiting = callout.not_yet_offered(callout.job_of(requests), substitute)
    if waiting:
        raise RuleViolation(waiting)
    ids = [r.id for r in requests]
    taken = db.session.execute(
        update(CoverageRequest)
        .where(CoverageRequest.id.in_(ids), CoverageRequest.status == CoverageStatus.OPEN.value)
        .values(status=CoverageStatus.CONFIRMED.value, cover_id=substitute.id, assigned_at=utcnow())
    ).rowcount
    if taken != len(ids):
        raise RuleViolation(ALREADY_TAKEN)
    for request in requests:
        db.session.refresh(request)
    notify.cover_booked(requests, substitute)
    return requests


def release(*, requests: list[CoverageRequest], actor: User) -> None:
    for request in requests:
        if request.cover_id is not None and request.status in LIVE:
            notify.cover_released(request, why=f"{actor.name} took you off this cover.")
            request.cover_id, request.status = None, CoverageStatus.OPEN.value
    db.session.flush()


def needs_approval(observer: User, slot) -> bool:
    """A visit in teaching time needs an admin's yes when the school asks for that, or when it would
    take the teacher past their release-time budget."""
    minutes = sum(m.minutes for m in missed_by(observer, slot.starts_at, slot.ends_at))
    if not minutes:
        return False
    school = observer.school
    if school is not None and school.requires_visit_approval:
        return True
    return minutes > release_time(observer).left


NO_CLASSES_THAT_DAY = "You don't teach a class that day, so no cover is needed."
NOT_YOUR_REQUEST = "That request isn't yours."
CHOOSE_A_REASON = "Choose a reason."


def request_coverage(*, teacher: User, day, period_ids: list[int] | None, reason: str, notes: str) -> list:
    """Cover for professional learning away from class: chosen periods, or the whole day (None)."""

    chosen = reasons.find(reason)
    if chosen is None or not chosen.active or chosen.key == reasons.PEER_VISIT:
        raise RuleViolation(CHOOSE_A_REASON, field="reason")
    if teacher.school is None:
        raise RuleViolation(NO_CLASSES_THAT_DAY, field="day")
    zone = ZoneInfo(teacher.school.timezone)
    if datetime.combine(day, time(23, 59), tzinfo=zone) < utcnow():
        raise RuleViolation("Choose a day that hasn't passed.", field="day")
    whole_day = missed_by_assignments(teaching_assignments(teacher.id), day)
    missing = [m for m in whole_day if period_ids is None or m.assignment.period_id in period_ids]
    if not missing:
        raise RuleViolation(NO_CLASSES_THAT_DAY, field="day")
    requests = [
        CoverageRequest(
            teacher_id=teacher.id,
            school_id=teacher.school_id,
            period_id=m.assignment.period_id,
            day=day,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            room=m.assignment.room,
            course=m.assignment.course,
            reason=chosen.key,
            notes=notes.strip()[:2000],
            # A reason that needs an admin's yes waits for it; the rest are open to cover at once.
            status=CoverageStatus.PENDING.value if chosen.needs_approval else CoverageStatus.OPEN.value,
        )
        for m in missing
    ]
    db.session.add_all(requests)
    db.session.flush()
    return requests


def missed_by_assignments(assignments, day):

    if not assignments:
        return []
    zone = ZoneInfo(assignments[0].period.school.timezone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return classes_missed(assignments, start, start + timedelta(days=1))


def withdraw(*, request: CoverageRequest, teacher: User) -> None:
    if request.teacher_id != teacher.id or request.signup_id is not None:
        raise RuleViolation(NOT_YOUR_REQUEST)
    if request.has_started and request.status in LIVE:
        raise RuleViolation(CLASS_STARTED)
    if request.status in LIVE:
        if request.cover_id:
            notify.cover_released(request, why=f"{teacher.name} no longer needs cover.")
        request.status = CoverageStatus.CANCELLED.value
    db.session.flush()


def decide_request(*, requests: list[CoverageRequest], approve: bool, admin: User) -> None:
    """An admin's answer to cover asked for with a reason that needs approval: yes opens the classes (the
    call-out tells substitutes), no cancels them; the teacher is told either way."""
    waiting = [r for r in requests if r.status == CoverageStatus.PENDING and r.signup_id is None]
    if not waiting:
        raise RuleViolation(NOT_OPEN)
    for request in waiting:
        request.status = (CoverageStatus.OPEN if approve else CoverageStatus.CANCELLED).value
    db.session.flush()
    notify.request_answered(waiting, approved=approve, admin=admin)
