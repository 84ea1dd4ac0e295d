"""Dashboard figures for admins: counts by month, school and protocol. Grouped in the database, never per
teacher, and never touching note text."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time

from sqlalchemy import case, func, or_, select

from ..auth.models import Role, RoleGrant, User
from ..charts import BarChart, bar_chart, month_label, monthly_chart
from ..coverage.models import LIVE, CoverageRequest, CoverageStatus
from ..extensions import cache, db
from ..protocols.models import Protocol
from ..schools.models import School
from ..sqltime import minutes_between, month_number
from ..visits.history import visits
from .scope import Scope

DASHBOARD_SECONDS = 60
NEEDED = tuple(s for s in LIVE if s != CoverageStatus.PENDING.value)
FILLED = (CoverageStatus.ASSIGNED.value, CoverageStatus.CONFIRMED.value)


@dataclass
class SchoolFigures:
    name: str
    teachers: int = 0
    visits: int = 0
    visited: int = 0
    hosted: int = 0
    cover_needed: int = 0
    cover_filled: int = 0
    release_used: int = 0
    release_budget: int = 0

    @property
    def visited_share(self) -> float | None:
        return self.visited / self.teachers if self.teachers else None

    @property
    def hosted_share(self) -> float | None:
        return self.hosted / self.teachers if self.teachers else None

    @property
    def fill_rate(self) -> float | None:
        return self.cover_filled / self.cover_needed if self.cover_needed else None

    @property
    def release_share(self) -> float | None:
        return self.release_used / self.release_budget if self.release_budget else None


@dataclass
class Dashboard:
    scope: Scope | None
    schools: list[SchoolFigures]
    total: SchoolFigures
    by_month: BarChart
    by_protocol: BarChart
    cover_by_month: list[tuple[str, int, int]] = field(default_factory=list)

    def cover_chart(self) -> BarChart:
        pairs = [(label.split()[0], filled) for label, _, filled in self.cover_by_month]
        full = [label for label, _, _ in self.cover_by_month]
        return bar_chart("Classes covered by month", pairs, "Classes covered", full_labels=full)

    def school_charts(self) -> list[BarChart]:
        """Each school's shares side by side, in whole percent (a school with nothing to share shows 0)."""

        def shares(title: str, attribute: str) -> BarChart:
            pairs = [(f.name, round(100 * (getattr(f, attribute) or 0))) for f in self.schools]
            return bar_chart(title, pairs, value_heading="Percent", label_heading="School")

        return [
            shares("Teachers who visited a colleague", "visited_share"),
            shares("Classes needing cover that had it", "fill_rate"),
            shares("Release time used of the budget", "release_share"),
        ]


def teachers_in(scope: Scope):
    """Teachers on staff, and those who left after the period began: their visits and release time
    happened, so erasing a departing teacher's data never changes a past figure."""
    left_during = User.departed_at >= datetime.combine(scope.start, time(), tzinfo=UTC)
    return (
        select(User.id, User.school_id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(
            RoleGrant.role == Role.TEACHER.value,
            or_(User.is_active_account.is_(True), left_during),
            User.school_id.in_(scope.school_ids),
        )
        .subquery()
    )


def cached(scope: Scope) -> Dashboard:
    """The same figures, kept for a minute: a district's year is a scan of every visit, and admins
    reload dashboards far more often than the figures move."""
    key = "dashboard:" + ":".join(
        [",".join(map(str, scope.school_ids)), scope.start.isoformat(), scope.end.isoformat()]
    )
    found = cache.get(key)
    if found is None:
        found = dashboard_for(scope)
        cache.set(key, replace(found, scope=None), timeout=DASHBOARD_SECONDS)
    return replace(found, scope=scope)


def dashboard_for(scope: Scope) -> Dashboard:
    figures = {s.id: SchoolFigures(s.name) for s in scope.schools}
    teachers = teachers_in(scope)
    for school_id, n in db.session.execute(select(teachers.c.school_id, func.count()).group_by(teachers.c.school_id)):
        figures[school_id].teachers = n
    # One pass over the visits gives the counts by school, by month and by protocol.
    v = visits(scope.start, scope.end, detail=False, school_ids=scope.school_ids)
    month = month_number(v.c.day)
    per_month: dict[int, int] = {}
    per_protocol: dict[int, int] = {}
    for school_id, month_key, protocol_id, n in db.session.execute(
        select(v.c.school_id, month, v.c.protocol_id, func.count()).group_by(v.c.school_id, month, v.c.protocol_id)
    ):
        figures[school_id].visits += n
        per_month[month_key] = per_month.get(month_key, 0) + n
        per_protocol[protocol_id] = per_protocol.get(protocol_id, 0) + n
    # Participation is counted where the teacher works, whichever school they visited: which of the
    # scope's teachers made (or hosted) a visit. One school's teachers are looked up person by person; for
    # many schools, one pass over the period's visits is cheaper.
    their_ids = select(teachers.c.id) if scope.school_id else None
    for attribute, made in (
        ("visited", visits(scope.start, scope.end, detail=False, observer_ids=their_ids)),
        ("hosted", visits(scope.start, scope.end, detail=False, host_ids=their_ids)),
    ):
        person = made.c.observer_id if attribute == "visited" else made.c.host_id
        rows = db.session.execute(
            select(teachers.c.school_id, func.count())
            .where(teachers.c.id.in_(select(person).distinct()))
            .group_by(teachers.c.school_id)
        )
        for school_id, n in rows:
            setattr(figures[school_id], attribute, n)
    needed = CoverageRequest.status.in_(NEEDED)
    in_range = CoverageRequest.day.between(scope.start, scope.end)
    for school_id, n, filled in db.session.execute(
        select(
            CoverageRequest.school_id,
            func.count(),
            func.sum(case((CoverageRequest.status.in_(FILLED), 1), else_=0)),
        )
        .where(needed, in_range, CoverageRequest.school_id.in_(scope.school_ids))
        .group_by(CoverageRequest.school_id)
    ):
        figures[school_id].cover_needed, figures[school_id].cover_filled = n, filled or 0
    for school_id, used in db.session.execute(
        select(teachers.c.school_id, func.sum(minutes_between(CoverageRequest.starts_at, CoverageRequest.ends_at)))
        .join(CoverageRequest, CoverageRequest.teacher_id == teachers.c.id)
        .where(CoverageRequest.status.in_(LIVE), in_range)
        .group_by(teachers.c.school_id)
    ):
        figures[school_id].release_used = used or 0
    for school_id, budget in db.session.execute(
        select(User.school_id, func.sum(func.coalesce(User.release_minutes, School.release_minutes_default)))
        .join(teachers, teachers.c.id == User.id)
        .join(School, School.id == User.school_id)
        .group_by(User.school_id)
    ):
        figures[school_id].release_budget = budget or 0

    total = SchoolFigures("All schools")
    for f in figures.values():
        for name in ("teachers", "visits", "visited", "hosted", "cover_needed", "cover_filled"):
            setattr(total, name, getattr(total, name) + getattr(f, name))
        total.release_used += f.release_used
        total.release_budget += f.release_budget

    names = dict(
        db.session.execute(select(Protocol.id, Protocol.name).where(Protocol.id.in_(list(per_protocol)))).all()
    )
    by_protocol = sorted(((names[i], n) for i, n in per_protocol.items()), key=lambda pair: (-pair[1], pair[0]))
    cover_month = month_number(CoverageRequest.day)
    cover_rows = db.session.execute(
        select(cover_month, func.count(), func.sum(case((CoverageRequest.status.in_(FILLED), 1), else_=0)))
        .where(needed, in_range, CoverageRequest.school_id.in_(scope.school_ids))
        .group_by(cover_month)
        .order_by(cover_month)
    ).all()
    return Dashboard(
        scope=scope,
        schools=sorted(figures.values(), key=lambda f: f.name),
        total=total,
        by_month=monthly_chart("Visits by month", per_month, scope.start, scope.end),
        by_protocol=bar_chart("Visits by protocol", by_protocol, label_heading="Protocol"),
        cover_by_month=[(month_label(key, True), n, filled or 0) for key, n, filled in cover_rows],
    )
