"""Dashboard figures for admins: counts by month, school and protocol. Grouped in the database, never per
teacher, and never touching note text."""

import secrets
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, literal, or_, select, union_all

from ..auth.models import Role, RoleGrant, User
from ..charts import BarChart, bar_chart, month_label, monthly_chart
from ..coverage.models import LIVE, CoverageRequest
from ..extensions import cache, db
from ..protocols.models import Protocol
from ..rollups import cells
from ..rollups import upkeep as rollups
from ..rollups.models import PersonMonth, SchoolMonthCover, SchoolMonthVisits
from ..schools.models import School
from ..sqltime import minutes_between
from ..visits.history import visits
from .scope import Scope

DASHBOARD_SECONDS = 60


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
    # Names this working-out of the figures: what is made from them (the page's HTML) is kept under it.
    edition: str = ""

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


def cache_key(scope: Scope) -> str:
    return "dashboard:" + ":".join(
        [",".join(map(str, scope.school_ids)), scope.start.isoformat(), scope.end.isoformat()]
    )


def cached(scope: Scope) -> Dashboard:
    """The same figures, kept for a minute: a district's year is a scan of every visit, and admins
    reload dashboards far more often than the figures move."""
    key = cache_key(scope)
    found = cache.get(key)
    if found is None:
        found = replace(dashboard_for(scope), edition=secrets.token_hex(8))
        cache.set(key, replace(found, scope=None), timeout=DASHBOARD_SECONDS)
    return replace(found, scope=scope)


def dashboard_for(scope: Scope, live: bool = False) -> Dashboard:
    """Whole months come from the roll-ups (brought up to date first), the days of a month the dates only
    partly cover from the live queries; live=True asks the live queries for everything (the roll-up test
    compares the two)."""
    if not live:
        rollups.refresh()
    whole, edges = split_months(scope.start, scope.end) if not live else (None, [(scope.start, scope.end)])
    ids = list(scope.school_ids)
    figures = {s.id: SchoolFigures(s.name) for s in scope.schools}
    teachers = teachers_in(scope)
    for school_id, n in db.session.execute(select(teachers.c.school_id, func.count()).group_by(teachers.c.school_id)):
        figures[school_id].teachers = n

    per_month: dict[int, int] = defaultdict(int)
    per_protocol: dict[int, int] = defaultdict(int)
    for school_id, month, protocol_id, n in _visit_cells(ids, whole, edges):
        figures[school_id].visits += n
        per_month[month] += n
        per_protocol[protocol_id] += n
    cover_months: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for school_id, month, needed, filled, _minutes in _cover_cells(ids, whole, edges):
        figures[school_id].cover_needed += needed
        figures[school_id].cover_filled += filled
        cover_months[month][0] += needed
        cover_months[month][1] += filled
    # Participation and release time count where the teacher works, whichever school they visited.
    for attribute, schools in _people_counts(teachers, whole, edges).items():
        for school_id, n in schools.items():
            setattr(figures[school_id], attribute, n)
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

    counted = {protocol: n for protocol, n in per_protocol.items() if n}
    names = dict(db.session.execute(select(Protocol.id, Protocol.name).where(Protocol.id.in_(list(counted)))).all())
    by_protocol = sorted(((names[i], n) for i, n in counted.items()), key=lambda pair: (-pair[1], pair[0]))
    return Dashboard(
        scope=scope,
        schools=sorted(figures.values(), key=lambda f: f.name),
        total=total,
        by_month=monthly_chart("Visits by month", per_month, scope.start, scope.end),
        by_protocol=bar_chart("Visits by protocol", by_protocol, label_heading="Protocol"),
        cover_by_month=[
            (month_label(key, True), needed, filled) for key, (needed, filled) in sorted(cover_months.items()) if needed
        ],
    )


Months = tuple[int, int] | None  # the first and last whole month, if any
Edges = list[tuple[date, date]]  # dates of months only partly covered


def split_months(start: date, end: date) -> tuple[Months, Edges]:
    """The whole calendar months between two dates, and the dates left over at either end."""
    first = rollups.month_of(start) + (start.day != 1)
    last = rollups.month_of(end) - (end != rollups.month_days(rollups.month_of(end))[1])
    if first > last:
        return None, [(start, end)]
    edges = []
    if start != rollups.month_days(first)[0]:
        edges.append((start, rollups.month_days(first)[0] - timedelta(days=1)))
    if end != rollups.month_days(last)[1]:
        edges.append((rollups.month_days(last)[1] + timedelta(days=1), end))
    return (first, last), edges


def _visit_cells(ids: list[int], whole: Months, edges: Edges):
    if whole:
        yield from db.session.execute(
            select(
                SchoolMonthVisits.school_id,
                SchoolMonthVisits.month,
                SchoolMonthVisits.protocol_id,
                SchoolMonthVisits.visits,
            ).where(SchoolMonthVisits.school_id.in_(ids), SchoolMonthVisits.month.between(*whole))
        )
    for start, end in edges:
        yield from cells.school_visits(start, end, ids)


def _cover_cells(ids: list[int], whole: Months, edges: Edges):
    if whole:
        yield from db.session.execute(
            select(
                SchoolMonthCover.school_id,
                SchoolMonthCover.month,
                SchoolMonthCover.needed,
                SchoolMonthCover.filled,
                SchoolMonthCover.minutes,
            ).where(SchoolMonthCover.school_id.in_(ids), SchoolMonthCover.month.between(*whole))
        )
    for start, end in edges:
        yield from cells.school_cover(start, end, ids)


def cover_by_school_month(scope: Scope) -> dict[tuple[int, int], list[int]]:
    """{(school, month): [classes needing cover, of those covered, their minutes]} for the summary export, from
    the roll-ups like the dashboard (whole months) and the live counts for the days of a cut month."""
    rollups.refresh()
    whole, edges = split_months(scope.start, scope.end)
    found: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for school_id, month, needed, filled, minutes in _cover_cells(list(scope.school_ids), whole, edges):
        cell = found[(school_id, month)]
        cell[0], cell[1], cell[2] = cell[0] + needed, cell[1] + filled, cell[2] + minutes
    return dict(found)


def _people_counts(teachers, whole: Months, edges: Edges) -> dict[str, dict[int, int]]:
    """Per school of the scope's teachers: how many made a visit, how many hosted one, and the release
    minutes used; one statement over each person's months from the roll-ups and the cut days counted live."""
    parts = []
    if whole:
        parts.append(
            select(PersonMonth.user_id, PersonMonth.made, PersonMonth.hosted, PersonMonth.release_minutes).where(
                PersonMonth.month.between(*whole)
            )
        )
    for start, end in edges:
        v = visits(start, end, detail=False)
        parts.append(select(v.c.observer_id, literal(1), literal(0), literal(0)))
        parts.append(select(v.c.host_id, literal(0), literal(1), literal(0)))
        parts.append(
            select(
                CoverageRequest.teacher_id,
                literal(0),
                literal(0),
                minutes_between(CoverageRequest.starts_at, CoverageRequest.ends_at),
            ).where(CoverageRequest.status.in_(LIVE), CoverageRequest.day.between(start, end))
        )
    counts: dict[str, dict[int, int]] = {"visited": {}, "hosted": {}, "release_used": {}}
    if not parts:
        return counts
    rows = union_all(*parts).subquery()
    user, made, hosted, minutes = rows.c
    person = (
        select(
            user.label("id"),
            func.sum(made).label("made"),
            func.sum(hosted).label("hosted"),
            func.sum(minutes).label("minutes"),
        )
        .group_by(user)
        .subquery()
    )
    query = (
        select(
            teachers.c.school_id,
            func.sum(case((person.c.made > 0, 1), else_=0)),
            func.sum(case((person.c.hosted > 0, 1), else_=0)),
            func.sum(person.c.minutes),
        )
        .join(person, person.c.id == teachers.c.id)
        .group_by(teachers.c.school_id)
    )
    for school_id, visited, hosted_count, used in db.session.execute(query):
        counts["visited"][school_id] = visited or 0
        counts["hosted"][school_id] = hosted_count or 0
        counts["release_used"][school_id] = used or 0
    return counts
