"""Counts that feed coaching records, portfolios and cohort progress. Never typed, always computed, and
computed for many people at once: each figure is one grouped query, whatever the number of people."""

import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, func, select

from ..coverage.models import LIVE, CoverageRequest
from ..extensions import cache, db
from ..learning.models import LearningEntry
from ..sql_lists import one_of
from ..sqltime import minutes_between, month_number
from ..visits.history import visits
from .models import CoachingActivity, CoachingRecord


@dataclass
class Counts:
    visits_made: int = 0
    visits_hosted: int = 0
    notes_shared: int = 0
    reflections: int = 0
    host_replies: int = 0
    visit_minutes: int = 0
    release_minutes: int = 0
    logged_learning_minutes: int = 0
    last_visit: date | None = None
    visits_by_month: dict[int, int] = field(default_factory=dict)

    @property
    def learning_minutes(self) -> int:
        """Professional learning: what the teacher logged plus the peer visits they made."""
        return self.logged_learning_minutes + self.visit_minutes


COUNTS_SECONDS = 60


def cached_counts_for(user_ids: list[int], start: date, end: date) -> dict[int, Counts]:
    """The same counts, kept for a minute: coaches reload a caseload far more often than its teachers
    make visits, and a large caseload's year is a scan of thousands of visits."""
    ids = sorted(set(user_ids))
    key = "counts:" + hashlib.sha1(f"{ids}:{start}:{end}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = counts_for(ids, start, end)
        cache.set(key, found, timeout=COUNTS_SECONDS)
    return found


def counts_for(user_ids: list[int], start: date, end: date) -> dict[int, Counts]:
    result: dict[int, Counts] = defaultdict(Counts)
    if not user_ids:
        return result
    ids = list(set(user_ids))
    mine = visits(start, end, observer_ids=ids)
    month = month_number(mine.c.day)
    made = db.session.execute(
        select(
            mine.c.observer_id,
            month,
            func.count(),
            func.sum(mine.c.shared),
            func.sum(mine.c.reflected),
            func.sum(mine.c.minutes),
            func.max(mine.c.day),
        ).group_by(mine.c.observer_id, month)
    )
    for user_id, month_key, count, shared, reflected, minutes, last in made:
        counts = result[user_id]
        counts.visits_by_month[month_key] = count
        counts.visits_made += count
        counts.notes_shared += shared or 0
        counts.reflections += reflected or 0
        counts.visit_minutes += minutes or 0
        counts.last_visit = max(filter(None, (counts.last_visit, last)), default=None)
    theirs = visits(start, end, detail=False, host_ids=ids)
    hosted = db.session.execute(
        select(theirs.c.host_id, func.count(), func.sum(theirs.c.replied)).group_by(theirs.c.host_id)
    )
    for user_id, count, replied in hosted:
        result[user_id].visits_hosted, result[user_id].host_replies = count, replied or 0
    away = func.sum(minutes_between(CoverageRequest.starts_at, CoverageRequest.ends_at))
    release = db.session.execute(
        select(CoverageRequest.teacher_id, away)
        .where(
            CoverageRequest.teacher_id.in_(ids),
            CoverageRequest.status.in_(LIVE),
            CoverageRequest.day.between(start, end),
        )
        .group_by(CoverageRequest.teacher_id)
    )
    for user_id, minutes in release:
        result[user_id].release_minutes = minutes or 0
    logged = db.session.execute(
        select(LearningEntry.user_id, func.sum(LearningEntry.minutes))
        .where(LearningEntry.user_id.in_(ids), LearningEntry.day.between(start, end))
        .group_by(LearningEntry.user_id)
    )
    for user_id, minutes in logged:
        result[user_id].logged_learning_minutes = minutes or 0
    return result


@dataclass
class CoachingTotals:
    minutes: int = 0
    sessions: int = 0
    last: date | None = None
    minutes_by_kind: dict[str, int] = field(default_factory=dict)


@functools.cache  # built once: the caseload asks it on every view
def _coaching_given():
    return (
        select(
            CoachingRecord.coachee_id,
            CoachingActivity.kind,
            func.sum(CoachingActivity.minutes),
            func.count(),
            func.max(CoachingActivity.day),
        )
        .join(CoachingActivity, CoachingActivity.record_id == CoachingRecord.id)
        .where(
            one_of(CoachingRecord.coachee_id, "ids"),
            CoachingRecord.start_year == bindparam("start_year"),
        )
        .group_by(CoachingRecord.coachee_id, CoachingActivity.kind)
    )


def coaching_totals(coachee_ids: list[int], start_year: int) -> dict[int, CoachingTotals]:
    """Coaching given to each coachee in a school year, from every coach's log (minutes and dates, no notes)."""
    result: dict[int, CoachingTotals] = defaultdict(CoachingTotals)
    if not coachee_ids:
        return result
    rows = db.session.execute(_coaching_given(), {"ids": sorted(set(coachee_ids)), "start_year": start_year})
    for coachee_id, kind, minutes, sessions, last in rows:
        totals = result[coachee_id]
        totals.minutes += minutes or 0
        totals.sessions += sessions
        totals.minutes_by_kind[kind] = minutes or 0
        totals.last = max(filter(None, (totals.last, last)), default=None)
    return result
