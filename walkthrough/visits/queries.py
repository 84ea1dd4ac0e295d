"""Reads about visit slots and bookings."""

import functools
from datetime import date

from sqlalchemy import Integer, String, bindparam, func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from ..auth.models import User
from ..db_types import utcnow
from ..extensions import cache, db
from ..text import LIKE_ESCAPE, like_literal
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
    values = {"now": utcnow(), "limit": limit, "offset": offset}
    if school_id:
        values["school_id"] = school_id
    if grade_band:
        values["grade_band"] = grade_band
    if subject:
        values["subject"] = like_literal(subject.lower())
    if start:
        values["start"] = start
    if end:
        values["end"] = end
    if protocol_id:
        values["protocol_id"] = protocol_id
    return list(db.session.scalars(_open_slots(frozenset(values)), values))


@functools.cache
def _open_slots(filters: frozenset[str]):
    """The list's statement for one combination of filters, built once: the open-classroom list is one of the
    pages asked most, and building its statement cost more than running it (see auth.sessions)."""
    query = select(VisitSlot).where(VisitSlot.cancelled_at.is_(None), VisitSlot.starts_at > bindparam("now"))
    if "school_id" in filters:
        query = query.where(VisitSlot.school_id == bindparam("school_id"))
    if "grade_band" in filters:
        query = query.where(VisitSlot.host_id.in_(select(User.id).where(User.grade_band == bindparam("grade_band"))))
    if "subject" in filters:
        # Each slot's host looked up by key as the slots come in time order: PostgreSQL can't guess how
        # many people "subjects contain math" matches, guesses few and, joined, reads every person.
        host_subjects = select(User.subjects).where(User.id == VisitSlot.host_id).scalar_subquery()
        query = query.where(func.lower(host_subjects).contains(bindparam("subject", type_=String), escape=LIKE_ESCAPE))
    if "start" in filters:
        query = query.where(VisitSlot.day >= bindparam("start"))
    if "end" in filters:
        query = query.where(VisitSlot.day <= bindparam("end"))
    if "protocol_id" in filters:
        query = query.where(VisitSlot.protocol_id == bindparam("protocol_id"))
    ordered = query.options(*_loaded(with_observers=False)).order_by(VisitSlot.starts_at, VisitSlot.id)
    return ordered.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))


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
