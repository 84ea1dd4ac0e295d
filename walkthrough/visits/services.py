"""Opening classrooms and booking visits. Sign-ups take turns on the slot row, so capacity holds when
many people tap the last seat at once, on SQLite and PostgreSQL alike."""

from datetime import date, time, timedelta

from sqlalchemy import func, select, update

from ..auth.models import Role, User
from ..coverage import services as coverage
from ..db_types import utcnow
from ..extensions import db
from ..protocols.models import Protocol
from ..rules import RuleViolation
from ..schools.models import BellPeriod
from ..schools.queries import period_runs_on
from . import notify
from .models import ACTIVE, HOLDS_SEAT, SignUp, SignUpStatus, VisitSlot, new_series_key
from .times import instant

OWN_SLOT = "You can't sign up to visit your own class."
STARTED = "This visit has already started or finished."
PAST_CUTOFF = "Sign-ups for this visit closed {hours} hours before it starts."
OVERLAP = "You already have a visit then: {other}."
ALREADY = "You're already signed up for this visit."
ALREADY_WAITING = "You're already on the waitlist for this visit."
SLOT_CANCELLED = "This visit was cancelled by the host."
OVER_LIMIT = "{host} asks each colleague to book at most {limit} of these visits."
NOT_A_TEACHER = "Only teachers can open their classroom or be booked for a visit."
NEEDS_SCHOOL = "You need a home school to open your classroom; ask your admin."
NOT_YOUR_PERIOD = "Choose one of your school's periods."
NEEDS_TIMES = "Choose a period, or give a start and end time."
TIMES_OUT_OF_ORDER = "The visit must end after it starts."
IN_THE_PAST = "Choose a time that hasn't passed yet."
OUTSIDE_YEAR = "Choose a day in the school year ({first} to {last})."
PERIOD_NOT_THAT_DAY = "{period} doesn't run on that day."
CAPACITY = "Capacity is 1 to 10 visitors."
WEEKS = "Repeat for 1 to 12 weeks."
NOT_YOUR_SIGNUP = "That booking isn't yours."
ONLY_COACH_BOOKINGS = "Only a booking a coach made for you can be declined."
COACH_ONLY = "Only coaches can book visits for colleagues."
PAIR_SAME_HOST = "Choose two different colleagues' classrooms."


def _times(school, day: date, period: BellPeriod | None, start: time | None, end: time | None):
    if period is not None:
        return period.starts_at, period.ends_at
    if start is None or end is None:
        raise RuleViolation(NEEDS_TIMES, field="local_start")
    if start >= end:
        raise RuleViolation(TIMES_OUT_OF_ORDER, field="local_end")
    return start, end


def _occurrences(school, first: date, period: BellPeriod | None, repeat: str, weeks: int) -> list[date]:
    if repeat == "none":
        return [first]
    last = first + timedelta(weeks=weeks) - timedelta(days=1)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if repeat == "weekly":
        days = [d for d in days if d.weekday() == first.weekday()]
    else:  # every day the period runs (e.g. every A-day), or every school day without a period
        days = [d for d in days if (period_runs_on(period, school, d) if period else d.weekday() < 5)]
    return [d for d in days if school.year_first_day <= d <= school.year_last_day]


def open_classroom(
    *,
    host: User,
    day: date,
    period_id: int | None,
    local_start: time | None,
    local_end: time | None,
    room: str,
    capacity: int,
    focus_question: str,
    protocol: Protocol,
    note_for_visitors: str,
    cutoff_hours: int,
    per_person_limit: int | None,
    repeat: str = "none",
    weeks: int = 1,
) -> list[VisitSlot]:
    if not host.has_role(Role.TEACHER):
        raise RuleViolation(NOT_A_TEACHER)
    school = host.school
    if school is None:
        raise RuleViolation(NEEDS_SCHOOL)
    period = db.session.get(BellPeriod, period_id) if period_id else None
    if period_id and (period is None or period.school_id != school.id):
        raise RuleViolation(NOT_YOUR_PERIOD, field="period_id")
    if not 1 <= capacity <= 10:
        raise RuleViolation(CAPACITY, field="capacity")
    if not 1 <= weeks <= 12:
        raise RuleViolation(WEEKS, field="weeks")
    if not school.year_first_day <= day <= school.year_last_day:
        raise RuleViolation(
            OUTSIDE_YEAR.format(
                first=school.year_first_day.strftime("%-d %b %Y"), last=school.year_last_day.strftime("%-d %b %Y")
            ),
            field="day",
        )
    if period is not None and not period_runs_on(period, school, day):
        raise RuleViolation(PERIOD_NOT_THAT_DAY.format(period=period.name), field="day")
    start, end = _times(school, day, period, local_start, local_end)
    if instant(school, day, start) <= utcnow():
        raise RuleViolation(IN_THE_PAST, field="day")
    series, slots = new_series_key(), []
    for occurrence in _occurrences(school, day, period, repeat, weeks):
        if instant(school, occurrence, start) <= utcnow():
            continue
        slot = VisitSlot(
            host_id=host.id,
            school_id=school.id,
            period_id=period.id if period else None,
            protocol_id=protocol.id,
            series_key=series,
            day=occurrence,
            local_start=start,
            local_end=end,
            starts_at=instant(school, occurrence, start),
            ends_at=instant(school, occurrence, end),
            room=room.strip()[:40],
            capacity=capacity,
            focus_question=focus_question.strip(),
            note_for_visitors=note_for_visitors.strip(),
            cutoff_hours=max(cutoff_hours, 0),
            per_person_limit=per_person_limit or None,
        )
        db.session.add(slot)
        slots.append(slot)
    db.session.flush()
    return slots


def _overlapping(observer: User, slot: VisitSlot) -> VisitSlot | None:
    return db.session.scalar(
        select(VisitSlot)
        .join(SignUp)
        .where(
            SignUp.observer_id == observer.id,
            SignUp.status.in_(ACTIVE),
            VisitSlot.id != slot.id,
            VisitSlot.cancelled_at.is_(None),
            VisitSlot.starts_at < slot.ends_at,
            VisitSlot.ends_at > slot.starts_at,
        )
    )


def _check_can_book(slot: VisitSlot, observer: User) -> None:
    if slot.cancelled_at is not None:
        raise RuleViolation(SLOT_CANCELLED)
    if observer.id == slot.host_id:
        raise RuleViolation(OWN_SLOT)
    if not observer.has_role(Role.TEACHER):
        raise RuleViolation(NOT_A_TEACHER)
    now = utcnow()
    if slot.starts_at <= now:
        raise RuleViolation(STARTED)
    if slot.cutoff_hours and slot.starts_at - timedelta(hours=slot.cutoff_hours) <= now:
        raise RuleViolation(PAST_CUTOFF.format(hours=slot.cutoff_hours))
    clash = _overlapping(observer, slot)
    if clash is not None:
        raise RuleViolation(
            OVERLAP.format(
                other=f"{clash.host.name}'s class, {clash.day.strftime('%-d %b')} "
                f"{clash.local_start.strftime('%-I:%M %p')}"
            )
        )
    if slot.per_person_limit:
        held = db.session.scalar(
            select(func.count())
            .select_from(SignUp)
            .join(VisitSlot)
            .where(
                VisitSlot.series_key == slot.series_key,
                SignUp.observer_id == observer.id,
                SignUp.status.in_(ACTIVE),
                VisitSlot.cancelled_at.is_(None),
            )
        )
        if held >= slot.per_person_limit:
            raise RuleViolation(OVER_LIMIT.format(host=slot.host.name, limit=slot.per_person_limit))


def _take_turn(slot: VisitSlot) -> None:
    """Write to the slot row first: PostgreSQL locks the row and SQLite takes its write lock, so
    concurrent sign-ups for this slot count the seats one after another."""
    db.session.execute(update(VisitSlot).where(VisitSlot.id == slot.id).values(lock_version=VisitSlot.lock_version + 1))
    db.session.refresh(slot)


def sign_up(*, slot: VisitSlot, observer: User, actor: User) -> SignUp:
    """Book a seat, or a place on the waitlist when the visit is full."""
    if actor.id != observer.id and not actor.has_role(Role.COACH):
        raise RuleViolation(COACH_ONLY)
    _take_turn(slot)
    existing = db.session.scalar(select(SignUp).where(SignUp.slot_id == slot.id, SignUp.observer_id == observer.id))
    if existing is not None and existing.status in ACTIVE:
        raise RuleViolation(ALREADY_WAITING if existing.status == SignUpStatus.WAITLISTED else ALREADY)
    _check_can_book(slot, observer)
    confirmed = db.session.scalar(
        select(func.count()).select_from(SignUp).where(SignUp.slot_id == slot.id, SignUp.status.in_(HOLDS_SEAT))
    )
    status = SignUpStatus.CONFIRMED if confirmed < slot.capacity else SignUpStatus.WAITLISTED
    if status == SignUpStatus.CONFIRMED and coverage.needs_approval(observer, slot):
        status = SignUpStatus.PENDING
    signup = existing or SignUp(slot_id=slot.id, observer_id=observer.id)
    signup.status = status.value
    signup.booked_by_id = actor.id if actor.id != observer.id else None
    signup.created_at = utcnow()  # the waitlist is first come, first served, counted from this booking
    signup.sequence = (signup.sequence or 0) + 1 if existing else 0
    db.session.add(signup)
    db.session.flush()
    db.session.refresh(slot)
    coverage.sync_visit_coverage(signup)
    {
        SignUpStatus.CONFIRMED: notify.signed_up,
        SignUpStatus.PENDING: notify.awaiting_approval,
        SignUpStatus.WAITLISTED: notify.waitlisted,
    }[status](signup)
    return signup


def _promote(slot: VisitSlot) -> SignUp | None:
    db.session.refresh(slot)
    if slot.seats_left <= 0 or not slot.waitlist:
        return None
    first = min(slot.waitlist, key=lambda s: (s.created_at, s.id))
    pending = coverage.needs_approval(first.observer, slot)
    first.status = (SignUpStatus.PENDING if pending else SignUpStatus.CONFIRMED).value
    first.sequence += 1
    db.session.flush()
    db.session.refresh(slot)
    coverage.sync_visit_coverage(first)
    (notify.awaiting_approval if pending else notify.promoted)(first)
    return first


def cancel_signup(*, signup: SignUp, actor: User, status: SignUpStatus = SignUpStatus.CANCELLED) -> SignUp | None:
    """Free the seat and promote the first on the waitlist, who is told. Returns the person promoted."""
    if actor.id not in (signup.observer_id, signup.booked_by_id) and not actor.has_role(Role.ADMIN):
        raise RuleViolation(NOT_YOUR_SIGNUP)
    if signup.status not in ACTIVE:
        return None
    _take_turn(signup.slot)
    was_confirmed = signup.status in HOLDS_SEAT
    signup.status = status.value
    signup.sequence += 1
    db.session.flush()
    coverage.sync_visit_coverage(signup)
    notify.cancelled(
        signup,
        reason="You're no longer booked for this visit."
        if status == SignUpStatus.CANCELLED
        else "You declined this visit.",
    )
    promoted = _promote(signup.slot) if was_confirmed else None
    if was_confirmed:
        notify.host_update(signup.slot, f"{signup.observer.name} can no longer come.")
    return promoted


def decline(*, signup: SignUp, actor: User) -> SignUp | None:
    if actor.id != signup.observer_id:
        raise RuleViolation(NOT_YOUR_SIGNUP)
    if signup.booked_by_id is None:
        raise RuleViolation(ONLY_COACH_BOOKINGS)
    return cancel_signup(signup=signup, actor=actor, status=SignUpStatus.DECLINED)


def pair(*, coach: User, first_slot: VisitSlot, second_slot: VisitSlot) -> tuple[SignUp, SignUp]:
    """Each colleague visits the other: the second host visits the first slot, and the other way round."""
    if not coach.has_role(Role.COACH):
        raise RuleViolation(COACH_ONLY)
    if first_slot.host_id == second_slot.host_id:
        raise RuleViolation(PAIR_SAME_HOST)
    one = sign_up(slot=first_slot, observer=second_slot.host, actor=coach)
    other = sign_up(slot=second_slot, observer=first_slot.host, actor=coach)
    return one, other


def change_slot(*, slot: VisitSlot, actor: User, local_start: time, local_end: time, room: str) -> VisitSlot:
    if actor.id != slot.host_id:
        raise RuleViolation(NOT_YOUR_SIGNUP)
    if local_start >= local_end:
        raise RuleViolation(TIMES_OUT_OF_ORDER, field="local_end")
    if instant(slot.school, slot.day, local_start) <= utcnow():
        raise RuleViolation(IN_THE_PAST, field="local_start")
    slot.local_start, slot.local_end, slot.room = local_start, local_end, room.strip()[:40]
    slot.starts_at, slot.ends_at = (
        instant(slot.school, slot.day, local_start),
        instant(slot.school, slot.day, local_end),
    )
    slot.sequence += 1
    db.session.flush()
    for signup in slot.signups:
        if signup.status in HOLDS_SEAT:
            coverage.sync_visit_coverage(signup)
            notify.changed(signup)
    return slot


def cancel_slot(*, slot: VisitSlot, actor: User) -> None:
    if actor.id != slot.host_id and not actor.has_role(Role.ADMIN):
        raise RuleViolation(NOT_YOUR_SIGNUP)
    if slot.cancelled_at is not None:
        return
    _take_turn(slot)
    slot.cancelled_at = utcnow()
    slot.sequence += 1
    for signup in slot.signups:
        if signup.status in ACTIVE:
            signup.status = SignUpStatus.CANCELLED.value
            signup.sequence += 1
            coverage.sync_visit_coverage(signup)
            notify.cancelled(signup, reason=f"{slot.host.name} cancelled this visit.")
    db.session.flush()


NOT_TODAY = "Notes open on the day of the visit."
NOT_BOOKED = "Only a confirmed visit has notes."


def start_notes(*, signup: SignUp, actor: User):
    """Open the note editor for a booked visit, with the slot's protocol and the host's focus question."""
    from ..observations.models import Observation
    from .times import local_today

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
    from .times import local_today

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


NOT_PENDING = "This visit isn't waiting for approval."
NOT_YOUR_SCHOOL = "Only an admin of the teacher's school can approve this."


def _check_approver(signup: SignUp, admin: User) -> None:
    from ..schools.queries import can_manage_school

    if signup.status != SignUpStatus.PENDING:
        raise RuleViolation(NOT_PENDING)
    school = signup.observer.school
    if school is None or not can_manage_school(admin, school):
        raise RuleViolation(NOT_YOUR_SCHOOL)


def approve(*, signup: SignUp, admin: User) -> SignUp:
    """The admin agrees to the time away from class: the visit is booked and its cover is needed."""
    _check_approver(signup, admin)
    signup.status = SignUpStatus.CONFIRMED.value
    signup.sequence += 1
    db.session.flush()
    coverage.sync_visit_coverage(signup)
    notify.signed_up(signup)
    return signup


def refuse(*, signup: SignUp, admin: User) -> SignUp:
    """The admin can't release the teacher then: the seat goes to the next on the waitlist."""
    _check_approver(signup, admin)
    signup.status = SignUpStatus.DECLINED.value
    signup.sequence += 1
    db.session.flush()
    coverage.sync_visit_coverage(signup)
    notify.cancelled(signup, reason=f"{admin.name} couldn't approve the time away from your class for this visit.")
    _promote(signup.slot)
    return signup
