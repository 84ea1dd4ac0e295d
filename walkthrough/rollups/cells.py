"""The live counts the dashboard is made of, for any dates, grouped by school or person and month. The
roll-ups store exactly these for whole months (rollups.py); the dashboard asks them directly for the part of
a month at either end of its dates, and the roll-up test compares the two."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, func, select

from ..coverage.models import LIVE, CoverageRequest, CoverageStatus
from ..extensions import db
from ..sqltime import minutes_between, month_number
from ..visits.history import visits

NEEDED = tuple(s for s in LIVE if s != CoverageStatus.PENDING.value)
FILLED = (CoverageStatus.ASSIGNED.value, CoverageStatus.CONFIRMED.value)
Ids = Sequence[int] | None


def school_visits(start: date, end: date, school_ids: Ids = None) -> list[tuple[int, int, int, int]]:
    """(school, month, protocol, visits): where the visits happened."""
    v = visits(start, end, detail=False, school_ids=school_ids)
    month = month_number(v.c.day)
    query = select(v.c.school_id, month, v.c.protocol_id, func.count()).group_by(v.c.school_id, month, v.c.protocol_id)
    return [tuple(row) for row in db.session.execute(query)]


def school_cover(start: date, end: date, school_ids: Ids = None) -> list[tuple[int, int, int, int, int]]:
    """(school, month, classes needing cover, of those covered, minutes of the classes needing cover)."""
    month = month_number(CoverageRequest.day)
    query = (
        select(
            CoverageRequest.school_id,
            month,
            func.count(),
            func.sum(case((CoverageRequest.status.in_(FILLED), 1), else_=0)),
            func.sum(minutes_between(CoverageRequest.starts_at, CoverageRequest.ends_at)),
        )
        .where(CoverageRequest.status.in_(NEEDED), CoverageRequest.day.between(start, end))
        .group_by(CoverageRequest.school_id, month)
    )
    if school_ids is not None:
        query = query.where(CoverageRequest.school_id.in_(school_ids))
    return [(school, m, n, filled or 0, minutes or 0) for school, m, n, filled, minutes in db.session.execute(query)]


def person_visits(start: date, end: date, user_ids: Ids = None) -> dict[tuple[int, int], list[int]]:
    """{(person, month): [visits made, visits hosted, release minutes]}."""
    found: dict[tuple[int, int], list[int]] = {}
    for index, role in ((0, "observer"), (1, "host")):
        v = visits(start, end, detail=False, **({f"{role}_ids": user_ids} if user_ids is not None else {}))
        person, month = v.c[f"{role}_id"], month_number(v.c.day)
        for who, m, n in db.session.execute(select(person, month, func.count()).group_by(person, month)):
            found.setdefault((who, m), [0, 0, 0])[index] = n
    for who, m, minutes in release(start, end, user_ids):
        found.setdefault((who, m), [0, 0, 0])[2] = minutes
    return found


def release(start: date, end: date, user_ids: Ids = None) -> list[tuple[int, int, int]]:
    """(teacher, month, minutes of their classes covered or waiting for cover): the release time they used."""
    month = month_number(CoverageRequest.day)
    query = (
        select(
            CoverageRequest.teacher_id,
            month,
            func.sum(minutes_between(CoverageRequest.starts_at, CoverageRequest.ends_at)),
        )
        .where(CoverageRequest.status.in_(LIVE), CoverageRequest.day.between(start, end))
        .group_by(CoverageRequest.teacher_id, month)
    )
    if user_ids is not None:
        query = query.where(CoverageRequest.teacher_id.in_(user_ids))
    return [(who, m, minutes or 0) for who, m, minutes in db.session.execute(query)]
