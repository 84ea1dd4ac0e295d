"""Reads about visit slots and bookings."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from ..auth.models import User
from ..db_types import utcnow
from ..extensions import cache, db
from .models import ACTIVE, SignUp, VisitSlot


def _loaded(with_observers: bool = True):
    """Only the host's name and subjects are shown, so not their school or roles; the list of open
    times counts seats and needs no observers."""
    signups = selectinload(VisitSlot.signups)
    return (
        joinedload(VisitSlot.host).options(lazyload(User.school), lazyload(User.role_grants)),
        joinedload(VisitSlot.school),
        joinedload(VisitSlot.protocol),
        signups.selectinload(SignUp.observer) if with_observers else signups,
    )


def open_slots(
    *,
    school_id: int | None = None,
    grade_band: str = "",
    subject: str = "",
    start: date | None = None,
    end: date | None = None,
    protocol_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[VisitSlot]:
    """Upcoming, not cancelled, soonest first, with what the list shows loaded in a few queries."""
    query = select(VisitSlot).where(VisitSlot.cancelled_at.is_(None), VisitSlot.starts_at > utcnow())
    if school_id:
        query = query.where(VisitSlot.school_id == school_id)
    if grade_band:
        query = query.where(VisitSlot.host_id.in_(select(User.id).where(User.grade_band == grade_band)))
    if subject:
        # Each slot's host looked up by key as the slots come in time order: PostgreSQL can't guess how
        # many people "subjects contain math" matches, guesses few and, joined, reads every person.
        host_subjects = select(User.subjects).where(User.id == VisitSlot.host_id).scalar_subquery()
        query = query.where(func.lower(host_subjects).contains(subject.lower(), autoescape=True))
    if start:
        query = query.where(VisitSlot.day >= start)
    if end:
        query = query.where(VisitSlot.day <= end)
    if protocol_id:
        query = query.where(VisitSlot.protocol_id == protocol_id)
    ordered = query.options(*_loaded(with_observers=False)).order_by(VisitSlot.starts_at, VisitSlot.id)
    return list(db.session.scalars(ordered.limit(limit).offset(offset)))


def my_signups(user: User) -> list[SignUp]:
    return list(
        db.session.scalars(
            select(SignUp)
            .join(VisitSlot)
            .where(SignUp.observer_id == user.id, SignUp.status.in_(ACTIVE + ("declined",)))
            .options(
                selectinload(SignUp.slot).selectinload(VisitSlot.host),
                selectinload(SignUp.slot).selectinload(VisitSlot.school),
                selectinload(SignUp.slot).selectinload(VisitSlot.protocol),
            )
            .order_by(VisitSlot.starts_at)
        )
    )


def my_slots(user: User) -> list[VisitSlot]:
    return list(
        db.session.scalars(
            select(VisitSlot).where(VisitSlot.host_id == user.id).options(*_loaded()).order_by(VisitSlot.starts_at)
        )
    )


FILTER_CHOICES_KEY = "visits:filter-choices"


def forget_filter_choices() -> None:
    """A school added or renamed shows in the open classrooms' filters at once, on every app server (the
    cache is Redis when there are several)."""
    cache.delete(FILTER_CHOICES_KEY)


def filter_values() -> dict:
    """Choices for the slot filters: only values that some host actually has."""
    bands = sorted({b for (b,) in db.session.execute(select(User.grade_band).where(User.grade_band != "").distinct())})
    return {"grade_bands": bands}
