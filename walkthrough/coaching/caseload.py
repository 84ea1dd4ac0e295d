"""A coach's caseload: who is on it, with live counts, visits by month, and who is overdue for contact."""

from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property

from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload

from ..auth.models import Role, RoleGrant, User
from ..auth.search import name_or_email_contains, search_text
from ..charts import BarChart, monthly_chart
from ..extensions import db
from ..schools.years import SchoolYear
from .counts import CoachingTotals, Counts, cached_counts_for, coaching_totals
from .models import CaseloadMember

DEFAULT_OVERDUE_DAYS = 30


@dataclass
class CaseloadRow:
    coachee: User
    counts: Counts
    coaching: CoachingTotals
    months: tuple[date, date]
    days_since_visit: int | None
    days_since_coaching: int | None
    overdue_days: int

    @cached_property
    def chart(self) -> BarChart:
        # Drawn only for the rows a page shows: a caseload of 75 pages 25 at a time.
        return monthly_chart(f"Visits by {self.coachee.name}", self.counts.visits_by_month, *self.months)

    @property
    def visit_overdue(self) -> bool:
        return self.days_since_visit is None or self.days_since_visit > self.overdue_days

    @property
    def coaching_overdue(self) -> bool:
        return self.days_since_coaching is None or self.days_since_coaching > self.overdue_days

    @property
    def overdue(self) -> bool:
        return self.visit_overdue or self.coaching_overdue


@dataclass
class Caseload:
    year: SchoolYear
    rows: list[CaseloadRow]
    chart: BarChart
    overdue_days: int

    @property
    def overdue(self) -> list[CaseloadRow]:
        return [row for row in self.rows if row.overdue]

    # The page's totals, added up here: Jinja's sum(attribute='counts.visits_made') looked up each part of the
    # name through the template's attribute rules for every teacher (900 of the page's 26,000 Python calls).
    @property
    def visits_made(self) -> int:
        return sum(row.counts.visits_made for row in self.rows)

    @property
    def coaching_minutes(self) -> int:
        return sum(row.coaching.minutes for row in self.rows)


@cache  # built once: every view of the caseload asks it
def _coachees():
    return (
        select(User)
        .join(CaseloadMember, CaseloadMember.coachee_id == User.id)
        .where(CaseloadMember.coach_id == bindparam("coach_id"), CaseloadMember.accepted_at.is_not(None))
        .options(lazyload(User.role_grants))  # names and schools are shown; roles aren't
        .order_by(User.name)
    )


def coachees(coach: User) -> list[User]:
    return list(db.session.scalars(_coachees(), {"coach_id": coach.id}))


def caseload_for(coach: User, year: SchoolYear, today: date, overdue_days: int = DEFAULT_OVERDUE_DAYS) -> Caseload:
    people = coachees(coach)
    ids = [person.id for person in people]
    last_month = min(today, year.end)
    counts = cached_counts_for(ids, year.start, year.end)
    coaching = coaching_totals(ids, year.start_year)
    rows = []
    for person in people:
        mine, given = counts[person.id], coaching[person.id]
        rows.append(
            CaseloadRow(
                coachee=person,
                counts=mine,
                coaching=given,
                months=(year.start, last_month),
                days_since_visit=(today - mine.last_visit).days if mine.last_visit else None,
                days_since_coaching=(today - given.last).days if given.last else None,
                overdue_days=overdue_days,
            )
        )
    together: dict[int, int] = {}
    for row in rows:
        for month, n in row.counts.visits_by_month.items():
            together[month] = together.get(month, 0) + n
    chart = monthly_chart("Visits made by your caseload, by month", together, year.start, last_month)
    return Caseload(year=year, rows=rows, chart=chart, overdue_days=overdue_days)


def find_teachers(coach: User, text: str, limit: int = 12) -> list[User]:
    """Active teachers matching a name or email who are not yet on this coach's caseload or asked."""
    text = search_text(text)
    if len(text) < 2:
        return []
    already = select(CaseloadMember.coachee_id).where(CaseloadMember.coach_id == coach.id)
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant)
            .where(
                RoleGrant.role == Role.TEACHER.value,
                User.is_active_account.is_(True),
                User.id != coach.id,
                User.id.not_in(already),
                name_or_email_contains(text),
            )
            .order_by(User.name)
            .limit(limit)
        )
    )
