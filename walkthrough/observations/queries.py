"""Reads about observations that pages and other features need."""

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from ..auth.models import Role, RoleGrant, User
from ..extensions import db
from ..protocols.models import ProtocolVersion
from .access import readable_by
from .models import Observation


def _with_people():
    """What a list of visits shows: who, whose class, which protocol. Not the notes themselves."""
    return (
        selectinload(Observation.observer),
        selectinload(Observation.host),
        selectinload(Observation.protocol_version).selectinload(ProtocolVersion.protocol),
        lazyload(Observation.slots),
        lazyload(Observation.evidence),
    )


def made_by(user: User, limit: int = 50) -> list[Observation]:
    return list(
        db.session.scalars(
            select(Observation)
            .where(Observation.observer_id == user.id)
            .options(*_with_people())
            .order_by(Observation.started_at.desc())
            .limit(limit)
        )
    )


def shared_with(user: User, limit: int = 50) -> list[Observation]:
    """Notes others chose to share with this person, as the host or as their coach (the access rule's SQL)."""
    return list(
        db.session.scalars(
            select(Observation)
            .where(readable_by(user), Observation.observer_id != user.id)
            .options(*_with_people())
            .order_by(Observation.started_at.desc())
            .limit(limit)
        )
    )


def teachers_to_visit(observer: User) -> list[User]:
    query = (
        select(User)
        .join(RoleGrant)
        .where(RoleGrant.role == Role.TEACHER.value, User.is_active_account.is_(True), User.id != observer.id)
        .order_by(User.name)
    )
    if observer.school_id is not None:
        query = query.where(User.school_id == observer.school_id)
    return list(db.session.scalars(query))


# Features above this one name a person's own coaches (coaching registers its accepted caseloads here).
OWN_COACHES: list[Callable[[User], set[int]]] = []


def coaches_for(observer: User) -> list[User]:
    """Coaches a note can be shared with: the observer's own coaches first, then the rest by name."""
    coaches = db.session.scalars(
        select(User)
        .join(RoleGrant)
        .where(RoleGrant.role == Role.COACH.value, User.is_active_account.is_(True), User.id != observer.id)
        .order_by(User.name)
    )
    own = own_coach_ids(observer)
    return sorted(coaches, key=lambda coach: coach.id not in own)


def own_coach_ids(observer: User) -> set[int]:
    return set().union(*(find(observer) for find in OWN_COACHES))
