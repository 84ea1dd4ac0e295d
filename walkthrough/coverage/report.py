"""Coverage figures for admins: fill rate, unfilled classes, who covered, release time against budgets."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.models import Role, RoleGrant, User
from ..extensions import db
from ..schools.models import School
from .budget import budget_minutes
from .models import LIVE, CoverageRequest, CoverageStatus

FILLED = (CoverageStatus.ASSIGNED.value, CoverageStatus.CONFIRMED.value)


@dataclass
class Week:
    starts: date
    filled: int = 0
    unfilled: int = 0


@dataclass
class CoverageReport:
    school: School
    start: date
    end: date
    requests: list[CoverageRequest]
    weeks: list[Week] = field(default_factory=list)
    covers: list[tuple[User, int]] = field(default_factory=list)
    release: list[tuple[User, int, int]] = field(default_factory=list)

    @property
    def needed(self) -> list[CoverageRequest]:
        return [r for r in self.requests if r.status in LIVE and r.status != CoverageStatus.PENDING]

    @property
    def unfilled(self) -> list[CoverageRequest]:
        return [r for r in self.needed if r.status not in FILLED]

    @property
    def fill_rate(self) -> float | None:
        return (len(self.needed) - len(self.unfilled)) / len(self.needed) if self.needed else None


def report_for(school: School, start: date, end: date) -> CoverageReport:
    requests = list(
        db.session.scalars(
            select(CoverageRequest)
            .where(CoverageRequest.school_id == school.id, CoverageRequest.day.between(start, end))
            .options(
                selectinload(CoverageRequest.teacher),
                selectinload(CoverageRequest.cover),
                selectinload(CoverageRequest.period),
            )
            .order_by(CoverageRequest.starts_at)
        )
    )
    report = CoverageReport(school, start, end, requests)
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        week = Week(monday)
        for r in report.needed:
            if monday <= r.day < monday + timedelta(days=7):
                week.filled += r.status in FILLED
                week.unfilled += r.status not in FILLED
        report.weeks.append(week)
        monday += timedelta(days=7)
    counts = Counter(r.cover_id for r in report.needed if r.cover_id)
    people = {r.cover_id: r.cover for r in report.needed if r.cover_id}
    report.covers = sorted(((people[i], n) for i, n in counts.items()), key=lambda pair: pair[0].name)
    teachers = db.session.scalars(
        select(User)
        .join(RoleGrant)
        .where(RoleGrant.role == Role.TEACHER.value, User.school_id == school.id)
        .order_by(User.name)
    ).all()
    used = Counter()
    for r in db.session.scalars(
        select(CoverageRequest).where(
            CoverageRequest.school_id == school.id,
            CoverageRequest.status.in_(LIVE),
            CoverageRequest.day.between(school.year_first_day, school.year_last_day),
        )
    ):
        used[r.teacher_id] += r.minutes
    report.release = [(t, used.get(t.id, 0), budget_minutes(t)) for t in teachers]
    return report
