"""Booking visits: sign-ups, the waitlist, coaches booking for colleagues. Sign-ups take turns on the slot row,
so capacity holds when many people tap the last seat at once, on SQLite and PostgreSQL alike."""

from datetime import timedelta

from sqlalchemy import func, select, update

from ..auth.models import Role, RoleGrant, User
from ..coverage import services as coverage
from ..db_types import utcnow
from ..extensions import db
from ..rules import RuleViolation
from ..text import clock
from . import cover, notify
from .models import ACTIVE, HOLDS_SEAT, SignUp, SignUpStatus, VisitSlot

OWN_SLOT = "You can't sign up to visit your own class."
STARTED = "This visit has already started or finished."
PAST_CUTOFF = "Sign-ups for this visit closed {hours} hours before it starts."
OVERLAP = "You already have a visit then: {other}."
ALREADY = "You're already signed up for this visit."
ALREADY_WAITING = "You're already on the waitlist for this visit."
SLOT_CANCELLED = "This visit was cancelled by the host."
OVER_LIMIT = "{host} asks each colleague to book at most {limit} of these visits."
NOT_A_TEACHER = "Only teachers can open their classroom or be booked for a visit."
NOT_YOUR_SIGNUP = "That booking isn't yours."
ONLY_COACH_BOOKINGS = "Only a booking a coach made for you can be declined."
COACH_ONLY = "Only coaches can book visits for colleagues."
PAIR_SAME_HOST = "Choose two different colleagues' classrooms."


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
                other=f"{clash.host.name}'s class, {clash.day.strftime('%-d %b')} {clock(clash.local_start)}"
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


def take_turn_on(slot: VisitSlot) -> None:
    """Write to the slot row first: PostgreSQL locks the row and SQLite takes its write lock, so
    concurrent sign-ups for this slot count the seats one after another."""
    db.session.execute(update(VisitSlot).where(VisitSlot.id == slot.id).values(lock_version=VisitSlot.lock_version + 1))
    db.session.refresh(slot)


def sign_up(*, slot: VisitSlot, observer: User, actor: User) -> SignUp:
    """Book a seat, or a place on the waitlist when the visit is full."""
    if actor.id != observer.id and not actor.has_role(Role.COACH):
        raise RuleViolation(COACH_ONLY)
    take_turn_on(slot)
    # And on the observer's row: their overlaps, per-person limits and release time are counted next, and a
    # booking of another slot at the same moment must count after this one.
    coverage.take_turn_on(observer)
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
    cover.sync_visit_coverage(signup)
    {
        SignUpStatus.CONFIRMED: notify.signed_up,
        SignUpStatus.PENDING: _ask_for_approval,
        SignUpStatus.WAITLISTED: notify.waitlisted,
    }[status](signup)
    return signup


def _ask_for_approval(signup: SignUp) -> None:
    """Tell the teacher their seat is held, and the admins of their school that a decision waits."""
    notify.awaiting_approval(signup)
    school_id = signup.observer.school_id
    admins = db.session.scalars(
        select(User)
        .join(RoleGrant)
        .where(
            RoleGrant.role == Role.ADMIN.value,
            User.is_active_account.is_(True),
            (User.school_id == school_id) | User.school_id.is_(None),
        )
    ).all()
    notify.approval_wanted(signup, admins)


def promote_waitlist(slot: VisitSlot) -> SignUp | None:
    db.session.refresh(slot)
    if slot.seats_left <= 0 or not slot.waitlist:
        return None
    first = min(slot.waitlist, key=lambda s: (s.created_at, s.id))
    pending = coverage.needs_approval(first.observer, slot)
    first.status = (SignUpStatus.PENDING if pending else SignUpStatus.CONFIRMED).value
    first.sequence += 1
    db.session.flush()
    db.session.refresh(slot)
    cover.sync_visit_coverage(first)
    (_ask_for_approval if pending else notify.promoted)(first)
    return first


def cancel_signup(*, signup: SignUp, actor: User, status: SignUpStatus = SignUpStatus.CANCELLED) -> SignUp | None:
    """Free the seat and promote the first on the waitlist, who is told. Returns the person promoted."""
    if actor.id not in (signup.observer_id, signup.booked_by_id) and not actor.has_role(Role.ADMIN):
        raise RuleViolation(NOT_YOUR_SIGNUP)
    if signup.status not in ACTIVE:
        return None
    # Cancelling afterwards would cancel cover a substitute already gave and tell people about a past visit.
    if signup.slot.has_started:
        raise RuleViolation(STARTED)
    take_turn_on(signup.slot)
    was_confirmed = signup.status in HOLDS_SEAT
    signup.status = status.value
    signup.sequence += 1
    db.session.flush()
    cover.sync_visit_coverage(signup)
    notify.cancelled(
        signup,
        reason="You're no longer booked for this visit."
        if status == SignUpStatus.CANCELLED
        else "You declined this visit.",
    )
    promoted = promote_waitlist(signup.slot) if was_confirmed else None
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
