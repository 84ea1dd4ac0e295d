"""Reads for the coverage board and the substitutes' job board."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from ..auth.models import Role, RoleGrant, User
from ..auth.search import name_or_email_contains, search_text
from ..db_types import utcnow
from ..extensions import db
from ..probes import Question
from ..schools.models import School
from ..sql_lists import one_of
from . import callout, preferences
from .availability import Candidate, CoverContext, pool_of
from .models import LIVE, CoverageRequest, CoverageStatus, DoNotSend, SubstituteDayOff, SubstitutePool

if TYPE_CHECKING:  # the board lists visits waiting for approval; visits sit above coverage
    from ..visits.models import SignUp


@dataclass
class Option:
    person: Candidate
    conflict: str | None
    month: int
    week: int
    preferred: bool = False
    fit: str = ""  # a substitute's subjects, grade band, certifications and languages
    matches: bool = False  # teaches the teacher's subject or grade band


@dataclass
class Job:
    """One teacher's classes needing cover on one day."""

    teacher: User
    requests: list[CoverageRequest]
    substitutes: list[Option] = field(default_factory=list)
    colleagues: list[Option] = field(default_factory=list)

    @property
    def live(self) -> list[CoverageRequest]:
        return [r for r in self.requests if r.status in LIVE]

    @property
    def open(self) -> list[CoverageRequest]:
        return [r for r in self.live if r.cover_id is None and r.status != CoverageStatus.PENDING]

    @property
    def awaiting_approval(self) -> list[SignUp]:
        """Visits whose time away from class waits for the admin's yes."""
        pending = [r for r in self.live if r.status == CoverageStatus.PENDING and r.signup_id is not None]
        return list({r.signup_id: r.signup for r in pending}.values())

    @property
    def pending_requests(self) -> list[CoverageRequest]:
        """Cover asked for with a reason that needs the admin's yes (visits have their own approval)."""
        return [r for r in self.live if r.status == CoverageStatus.PENDING and r.signup_id is None]

    @property
    def covers(self) -> list[User]:
        return list({r.cover_id: r.cover for r in self.live if r.cover is not None}.values())


@cache
def _day_requests():
    return (
        select(CoverageRequest)
        .where(CoverageRequest.school_id == bindparam("school_id"), CoverageRequest.day == bindparam("day"))
        .options(
            # One query: the board shows these people's names, not their schools or roles.
            joinedload(CoverageRequest.teacher).options(lazyload(User.school), lazyload(User.role_grants)),
            joinedload(CoverageRequest.cover).options(lazyload(User.school), lazyload(User.role_grants)),
            joinedload(CoverageRequest.period),
        )
        .order_by(CoverageRequest.starts_at)
    )


def _requests(school: School, day: date) -> list[CoverageRequest]:
    return list(db.session.scalars(_day_requests(), {"school_id": school.id, "day": day}))


@cache
def _people_with_roles():
    # Everyone in the pool or at the school, with every role they hold, by the ids and the school's index.
    return (
        select(User.id, User.name, User.school_id, RoleGrant.role)
        .join(RoleGrant)
        .where(
            User.is_active_account.is_(True),
            one_of(User.id, "pool") | (User.school_id == bindparam("school_id")),
        )
    )


def _candidates(school: School, pool: set[int]) -> list[Candidate]:
    """The school's pool and its own teachers, as id, name and the roles that matter here."""
    people: dict[tuple[int, str, int | None], set[str]] = {}
    # Sorted out below. A teacher who also substitutes elsewhere is judged as a substitute, as the server does
    # when the admin assigns them.
    for person_id, name, school_id, role in db.session.execute(
        _people_with_roles(), {"pool": sorted(pool), "school_id": school.id}
    ):
        people.setdefault((person_id, name, school_id), set()).add(role)
    return [
        Candidate(person_id, name, Role.SUBSTITUTE.value in held, Role.TEACHER.value in held, school_id)
        for (person_id, name, school_id), held in people.items()
        if (person_id in pool and Role.SUBSTITUTE.value in held)
        or (school_id == school.id and Role.TEACHER.value in held)
    ]


def board(school: School, day: date, pool: set[int] | None = None) -> list[Job]:
    """`pool`: the school's substitutes' ids, when the caller has already read them."""
    jobs: dict[int, Job] = {}
    for request in _requests(school, day):
        jobs.setdefault(request.teacher_id, Job(request.teacher, [])).requests.append(request)
    # Who could cover is only asked where a class still needs someone: a covered day reads no more.
    needing = [job for job in jobs.values() if job.open]
    if needing:
        _offer_covers(school, day, needing, pool_of(school) if pool is None else pool)
    return sorted(jobs.values(), key=lambda j: (not j.open, j.requests[0].starts_at))


def _offer_covers(school: School, day: date, jobs: list[Job], pool: set[int]) -> None:
    people = _candidates(school, pool)
    context = CoverContext(school, day, [person.id for person in people], pool)
    people.sort(key=context.fairness_key)
    fit = preferences.fits([p.id for p in people if p.is_substitute])
    preferred = callout.preferences_at([school.id])
    for job in jobs:
        wanted = preferred.get((school.id, None), set()) | preferred.get((school.id, job.teacher.id), set())
        live = job.live  # worked out once, not once for each of the dozens of people checked against it
        for person in people:
            if person.id == job.teacher.id:
                continue
            found = fit.get(person.id, preferences.Fit())
            option = Option(
                person,
                context.conflict(person, live),
                context.month.get(person.id, 0),
                context.week.get(person.id, 0),
                preferred=person.id in wanted,
                fit=found.summary() if person.is_substitute else "",
                matches=person.is_substitute and found.matches(job.teacher),
            )
            (job.substitutes if person.is_substitute else job.colleagues).append(option)
        # Preferred first, then those who teach the subject or grades; fewest covers this month within each.
        job.substitutes.sort(key=lambda o: (not o.preferred, not o.matches))


def open_jobs_for(substitute: User) -> list[list[CoverageRequest]]:
    """Open jobs at the schools this substitute serves, each a teacher's classes on one day; not at a school
    whose do-not-send list names them, not on their days off, and not while a preferred substitute has the
    job first."""
    schools = select(SubstitutePool.school_id).where(
        SubstitutePool.substitute_id == substitute.id,
        SubstitutePool.school_id.not_in(select(DoNotSend.school_id).where(DoNotSend.substitute_id == substitute.id)),
    )
    days_off = select(SubstituteDayOff.day).where(SubstituteDayOff.substitute_id == substitute.id)
    requests = db.session.scalars(
        select(CoverageRequest)
        .where(
            CoverageRequest.school_id.in_(schools),
            CoverageRequest.status == CoverageStatus.OPEN.value,
            CoverageRequest.starts_at > utcnow(),
            CoverageRequest.day.not_in(days_off),
        )
        .options(
            selectinload(CoverageRequest.teacher),
            selectinload(CoverageRequest.school),
            selectinload(CoverageRequest.period),
        )
        .order_by(CoverageRequest.starts_at)
    )
    grouped: dict[tuple, list[CoverageRequest]] = {}
    for request in requests:
        grouped.setdefault((request.teacher_id, request.day), []).append(request)
    preferred_by_schools = callout.preferences_at(r[0].school_id for r in grouped.values())
    offered = [
        job
        for job in grouped.values()
        if not callout.in_preferred_turn(
            (found := callout.job_of(job)), callout.preferred_of(found, preferred_by_schools), substitute.id
        )
    ]
    # The schools they would rather work at first; soonest first within each.
    liked = preferences.profile_of(substitute).preferred_school_ids
    return sorted(offered, key=lambda job: (job[0].school_id not in liked, job[0].starts_at))


def schools_served(substitute: User) -> list[School]:
    return list(
        db.session.scalars(
            select(School)
            .join(SubstitutePool, SubstitutePool.school_id == School.id)
            .where(SubstitutePool.substitute_id == substitute.id)
            .order_by(School.name)
        )
    )


# Built once: home asks it of every teacher (see auth.sessions for what that saves).
@cache
def _assignments():
    return (
        select(CoverageRequest)
        .where(
            CoverageRequest.cover_id == bindparam("cover_id"),
            CoverageRequest.status.in_(LIVE),
            CoverageRequest.ends_at > bindparam("now"),
        )
        .options(
            selectinload(CoverageRequest.teacher),
            selectinload(CoverageRequest.school),
            selectinload(CoverageRequest.period),
        )
        .order_by(CoverageRequest.starts_at)
    )


def assignments_question(person: User) -> Question:
    """Classes the person is booked to cover, from now on."""
    return Question(_assignments(), {"cover_id": person.id, "now": utcnow()})


def assignments_for(person: User) -> list[CoverageRequest]:
    return assignments_question(person).rows()


def substitutes_to_add(school: School, typed: str, limit: int = 12) -> list[Row]:
    """Active substitutes matching a name or email who don't serve this school yet, as id and name: a
    state has a thousand substitutes, too many for one list."""
    text = search_text(typed)
    if len(text) < 2:
        return []
    serving = select(SubstitutePool.substitute_id).where(SubstitutePool.school_id == school.id)
    return db.session.execute(
        select(User.id, User.name)
        .join(RoleGrant)
        .where(
            RoleGrant.role == Role.SUBSTITUTE.value,
            User.is_active_account.is_(True),
            User.id.not_in(serving),
            name_or_email_contains(text),
        )
        .order_by(User.name)
        .limit(limit)
    ).all()
