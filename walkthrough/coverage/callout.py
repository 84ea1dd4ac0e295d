"""Call-out: when a class needs cover, the substitutes who may take it are told at once, each with a one-tap
link that accepts it for them alone. A school's or teacher's preferred substitutes hear first and have the
job to themselves for a while; a job still open close to its start is announced again and flagged.

Who may take a job is CoverContext.conflict's answer (the school's pool, not on its do-not-send list, not a
day off, not busy then), the same rule the board and the job board use."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..auth.models import Role, RoleGrant, User
from ..db_types import utcnow
from ..extensions import db
from ..outbox.channels import tell
from ..outbox.models import SentNudge
from ..schools.models import School
from ..sql_lists import one_of
from ..text import clock
from ..urls import external_url
from .availability import Candidate, CoverContext, pool_of
from .models import CoverageRequest, CoverageStatus, PreferredSubstitute

NOT_YET_YOURS = "{school} offers this job to its preferred substitutes first; it opens to everyone at {time}."
_TAKE = "take-job"


@dataclass
class OpenJob:
    """One teacher's open classes at one school on one day: what a substitute accepts in one tap."""

    school: School
    teacher: User
    day: date
    requests: list[CoverageRequest]

    @property
    def key(self) -> str:
        return f"{self.school.id}-{self.teacher.id}-{self.day.isoformat()}"

    @property
    def starts_at(self) -> datetime:
        return min(r.starts_at for r in self.requests)

    @property
    def first_called(self) -> datetime | None:
        called = [r.called_out_at for r in self.requests if r.called_out_at]
        return min(called) if called else None


def _group(requests: Iterable[CoverageRequest]) -> list[OpenJob]:
    jobs: dict[tuple, OpenJob] = {}
    for request in requests:
        key = (request.school_id, request.teacher_id, request.day)
        jobs.setdefault(key, OpenJob(request.school, request.teacher, request.day, [])).requests.append(request)
    return list(jobs.values())


def open_jobs(now: datetime) -> list[OpenJob]:
    return _group(
        db.session.scalars(
            select(CoverageRequest)
            .where(CoverageRequest.status == CoverageStatus.OPEN.value, CoverageRequest.starts_at > now)
            .options(selectinload(CoverageRequest.school), selectinload(CoverageRequest.teacher))
            .order_by(CoverageRequest.starts_at)
        )
    )


def job_of(requests: list[CoverageRequest]) -> OpenJob:
    [job] = _group(requests)
    return job


def preferred_for(job: OpenJob) -> set[int]:
    """The school's preferred substitutes and this teacher's own."""
    return set(
        db.session.scalars(
            select(PreferredSubstitute.substitute_id).where(
                PreferredSubstitute.school_id == job.school.id,
                or_(PreferredSubstitute.teacher_id.is_(None), PreferredSubstitute.teacher_id == job.teacher.id),
            )
        )
    )


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["CALLOUT_PREFERRED_MINUTES"])


def eligible(job: OpenJob) -> list[User]:
    """The substitutes who may take the whole job now, best first (fewest covers this month)."""
    pool = pool_of(job.school)
    people = db.session.scalars(
        select(User)
        .join(RoleGrant)
        .where(User.id.in_(sorted(pool)), User.is_active_account.is_(True), RoleGrant.role == Role.SUBSTITUTE.value)
        .order_by(User.name)
    ).all()
    context = CoverContext(job.school, job.day, [p.id for p in people], pool)
    free = [p for p in people if context.conflict(Candidate.of(p), job.requests) is None]
    return sorted(free, key=lambda p: context.fairness_key(Candidate.of(p)))


def preferred_until(job: OpenJob) -> datetime | None:
    """When the preferred substitutes' turn ends, if the job is still in it."""
    # Before the first call-out (it runs within the minute) the preferred substitutes' turn hasn't begun.
    ends = (job.first_called or utcnow()) + _window()
    if utcnow() >= ends or not preferred_for(job):  # the time first: most jobs are past it, with no query
        return None
    return ends


def in_preferred_turn(job: OpenJob, preferred: set[int], substitute_id: int) -> bool:
    """Whether someone preferred (of `preferred`, this job's) has the job to themselves and this isn't them."""
    ends = (job.first_called or utcnow()) + _window()
    return bool(preferred) and substitute_id not in preferred and utcnow() < ends


def preferences_at(school_ids: Iterable[int]) -> dict[tuple[int, int | None], set[int]]:
    """Every preferred substitute at these schools, by (school, teacher or None), in one read."""
    found: dict[tuple[int, int | None], set[int]] = {}
    for school_id, teacher_id, substitute_id in db.session.execute(_preferences(), {"ids": sorted(set(school_ids))}):
        found.setdefault((school_id, teacher_id), set()).add(substitute_id)
    return found


@cache  # built once: the board asks it on every view (see coverage.availability)
def _preferences():
    return select(
        PreferredSubstitute.school_id, PreferredSubstitute.teacher_id, PreferredSubstitute.substitute_id
    ).where(one_of(PreferredSubstitute.school_id, "ids"))


def preferred_of(job: OpenJob, preferences: dict[tuple[int, int | None], set[int]]) -> set[int]:
    return preferences.get((job.school.id, None), set()) | preferences.get((job.school.id, job.teacher.id), set())


def not_yet_offered(job: OpenJob, substitute: User) -> str | None:
    """Why this substitute can't take the job yet (someone preferred has it first), or None."""
    until = preferred_until(job)
    if until is None or substitute.id in preferred_for(job):
        return None
    return NOT_YET_YOURS.format(school=job.school.name, time=clock(until.astimezone(ZoneInfo(job.school.timezone))))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_TAKE)


def take_link(substitute: User, job: OpenJob) -> str:
    token = _serializer().dumps([substitute.id, sorted(r.id for r in job.requests)])
    return external_url("coverage.take_job", token=token)


def read_take_token(token: str) -> tuple[int, list[int]] | None:
    try:
        substitute_id, ids = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(substitute_id, int) or not ids or not all(isinstance(i, int) for i in ids):
        return None
    return substitute_id, ids


def _tell_once(kind: str, job: OpenJob, substitute: User, now: datetime) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(SentNudge(kind=kind, key=f"{job.key}-{substitute.id}", user_id=substitute.id, sent_at=now))
    except IntegrityError:
        return False  # told already, perhaps by another worker a moment ago
    tell(
        substitute,
        f"coverage/{kind}",
        school=job.school,
        teacher=job.teacher,
        day=job.day,
        requests=job.requests,
        link=take_link(substitute, job),
    )
    return True


def call_out(*, now: datetime | None = None) -> int:
    """Tell everyone who should hear about each open job and hasn't; the worker runs it every minute."""
    now = now or utcnow()
    again = timedelta(hours=current_app.config["CALLOUT_AGAIN_HOURS"])
    told = 0
    for job in open_jobs(now):
        free = eligible(job)
        announced_before = job.first_called is not None  # announcing again is for a later run, not this one
        if not announced_before:
            for request in job.requests:
                request.called_out_at = now
        preferred = preferred_for(job) & {p.id for p in free}
        preferred_turn = preferred and now < job.first_called + _window()
        for substitute in free:
            if not preferred_turn or substitute.id in preferred:
                told += _tell_once("callout", job, substitute, now)
        due_again = announced_before and now >= job.starts_at - again
        if not preferred_turn and due_again and not any(r.called_again_at for r in job.requests):
            for request in job.requests:
                request.called_again_at = now
            for substitute in free:
                told += _tell_once("callout_again", job, substitute, now)
        db.session.flush()
    return told
