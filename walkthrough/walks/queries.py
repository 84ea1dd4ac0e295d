"""Finding walks: the ones a person walks on, plans, or hears about at their school."""

from datetime import date, timedelta
from functools import cache

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..extensions import db
from ..probes import Question
from ..schools.times import local_today
from .access import can_compare_schools
from .models import Walk, WalkClassroom, WalkSummary, WalkTeamMember

RECENT_SUMMARY_DAYS = 45


def walk_or_none(walk_id: int) -> Walk | None:
    return db.session.scalar(
        select(Walk).where(Walk.id == walk_id).options(selectinload(Walk.team), selectinload(Walk.school))
    )


def walks_for(person: User, limit: int = 60) -> list[Walk]:
    """Walks the person is on, planned, or that are at their school, newest first."""
    mine = select(WalkTeamMember.walk_id).where(WalkTeamMember.user_id == person.id)
    conditions = [Walk.id.in_(mine), Walk.created_by_id == person.id]
    if person.school_id is not None:
        conditions.append(Walk.school_id == person.school_id)
    elif can_compare_schools(person):  # district admins and coaches see every school's walks
        conditions.append(Walk.id.is_not(None))
    return list(
        db.session.scalars(
            select(Walk)
            .where(or_(*conditions))
            .options(selectinload(Walk.team), selectinload(Walk.school))
            .order_by(Walk.starts_on.desc(), Walk.id.desc())
            .limit(limit)
        )
    )


def my_classrooms(walk: Walk, person: User) -> list[WalkClassroom]:
    return list(
        db.session.scalars(
            select(WalkClassroom)
            .where(WalkClassroom.walk_id == walk.id, WalkClassroom.walker_id == person.id)
            .options(selectinload(WalkClassroom.marks))
            .order_by(WalkClassroom.id)
        )
    )


def classroom_count(walk: Walk) -> int:
    return db.session.scalar(select(func.count()).where(WalkClassroom.walk_id == walk.id)) or 0


def walks_in(school_ids: list[int], start: date, end: date) -> list[Walk]:
    return list(
        db.session.scalars(
            select(Walk)
            .where(
                Walk.school_id.in_(school_ids),
                Walk.cancelled_at.is_(None),
                Walk.starts_on <= end,
                Walk.ends_on >= start,
            )
            .options(selectinload(Walk.school), selectinload(Walk.tool))
            .order_by(Walk.starts_on, Walk.id)
        )
    )


# The home page's two questions, built once (see auth.sessions for what that saves).
@cache
def _recent_summaries():
    return (
        select(WalkSummary)
        .join(Walk)
        .where(
            Walk.school_id == bindparam("school_id"),
            WalkSummary.sent_at.is_not(None),
            Walk.ends_on >= bindparam("since"),
        )
        .options(joinedload(WalkSummary.walk))  # many-to-one: one query, not two
        .order_by(WalkSummary.sent_at.desc())
        .limit(3)
    )


@cache
def _team_walks_around():
    return (
        select(Walk)
        .where(
            Walk.id.in_(select(WalkTeamMember.walk_id).where(WalkTeamMember.user_id == bindparam("user_id"))),
            Walk.cancelled_at.is_(None),
            Walk.ends_on >= bindparam("ends_from"),
            Walk.starts_on <= bindparam("starts_until"),
        )
        .options(joinedload(Walk.school))
        .order_by(Walk.starts_on)
    )


def recent_summaries_question(person: User, today: date) -> Question | None:
    if person.school_id is None:
        return None
    return Question(
        _recent_summaries(), {"school_id": person.school_id, "since": today - timedelta(days=RECENT_SUMMARY_DAYS)}
    )


def recent_summaries(person: User, today: date) -> list[WalkSummary]:
    """ "We noticed" summaries sent to the person's school lately, for their home page."""
    question = recent_summaries_question(person, today)
    return question.rows() if question else []


def walks_around_question(person: User) -> Question:
    """The person's team walks from yesterday to the day after tomorrow: a day either side of every time zone."""
    rough_today = date.today()
    return Question(
        _team_walks_around(),
        {
            "user_id": person.id,
            "ends_from": rough_today - timedelta(days=1),
            "starts_until": rough_today + timedelta(days=2),
        },
    )


def walks_to_capture(person: User) -> list[Walk]:
    """The person's team walks running today or starting tomorrow (in any school's time), for the phone."""
    found = walks_around_question(person).rows()
    return [walk for walk in found if walk.starts_on - timedelta(days=1) <= local_today(walk.school) <= walk.ends_on]
