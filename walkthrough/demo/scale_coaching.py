"""Coaching and cohorts at scale: caseloads covering every teacher, yearly records with goals, cycles and
logs, one cohort per school level and region each year, logged learning, and open classrooms ahead."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..coaching.models import (
    CaseloadMember,
    CoachingActivity,
    CoachingCycle,
    CoachingRecord,
    GrowthGoal,
)
from ..cohorts.models import Cohort, CohortMeeting, CohortMember, MeetingAttendance
from ..learning.models import LearningEntry
from ..visits.models import VisitSlot
from .bulk import BulkWriter
from .history import COACHING, LEARNING, REFLECTIONS
from .scale import Scale
from .scale_history import school_days

GOALS = [
    "Students explain their reasoning to a partner before we share as a class.",
    "Use one exit ticket a week to decide the next day's groups.",
    "More students ask questions of each other than of me.",
    "Every unit starts with a question students care about.",
]


def build_coaching(scale: Scale, rng: random.Random, writer: BulkWriter, district: dict, today: date) -> None:
    places, coaches = district["places"], district["coaches"]
    teachers = [t for place in places for t in place.teachers]
    for n, teacher in enumerate(teachers):
        writer.add(
            CaseloadMember,
            coach_id=coaches[n % len(coaches)],
            coachee_id=teacher,
            added_at=datetime(today.year - scale.years, 9, 1, tzinfo=UTC),
            accepted_at=datetime(today.year - scale.years, 9, 2, tzinfo=UTC),
        )
    first_day: date = district["first_day"]
    for years_back in range(scale.years - 1, -1, -1):
        start = first_day.replace(year=first_day.year - years_back)
        days = school_days(start, min(date(start.year + 1, 5, 28), today - timedelta(days=1)))
        if not days:
            continue
        for n, teacher in enumerate(teachers):
            coach = coaches[n % len(coaches)]
            record = writer.add(
                CoachingRecord,
                coachee_id=teacher,
                start_year=start.year,
                created_at=datetime.combine(days[0], time(16), tzinfo=UTC),
            )
            for goal in rng.sample(GOALS, rng.randint(2, 3)):
                writer.add(
                    GrowthGoal,
                    record_id=record,
                    text=goal,
                    status=rng.choice(("not_started", "in_progress", "met")),
                    updated_at=datetime.combine(days[0], time(16), tzinfo=UTC),
                )
            writer.add(
                CoachingCycle,
                record_id=record,
                coach_id=coach,
                focus="Student talk",
                phase=rng.choice(("planning", "teaching", "reflecting", "complete")),
                started_on=days[0],
                updated_at=datetime.combine(days[0], time(16), tzinfo=UTC),
            )
            for _ in range(rng.randint(2, 6) if len(days) > 40 else rng.randint(0, 2)):
                kind, notes = rng.choice(COACHING)
                day = rng.choice(days)
                writer.add(
                    CoachingActivity,
                    record_id=record,
                    coach_id=coach,
                    day=day,
                    kind=kind,
                    minutes=rng.choice((20, 30, 45, 60)),
                    notes=notes,
                    next_step="Visit a colleague.",
                    shared_with_coachee=rng.random() < 0.5,
                    created_at=datetime.combine(day, time(17), tzinfo=UTC),
                )
            for kind, title, minutes in rng.sample(LEARNING, 2):
                writer.add(
                    LearningEntry,
                    user_id=teacher,
                    day=rng.choice(days),
                    kind=kind,
                    title=title,
                    minutes=minutes,
                    created_at=datetime.combine(days[-1], time(17), tzinfo=UTC),
                )
        _cohorts(rng, writer, places, start, days)


def _cohorts(rng, writer: BulkWriter, places, start: date, days: list[date]) -> None:
    groups: dict[tuple[str, str], list[int]] = {}
    for place in places:
        groups.setdefault((place.level, place.region), []).extend(place.teachers)
    for (level, region), teachers in sorted(groups.items()):
        members = rng.sample(teachers, min(12, len(teachers)))
        cohort = writer.add(
            Cohort,
            name=f"{region} {level} cohort",
            level=level,
            region=region,
            start_year=start.year,
            team_leader_id=members[0],
            meetings_required=4,
            hours_required=8,
            created_at=datetime.combine(start, time(12), tzinfo=UTC),
        )
        for member in members:
            writer.add(
                CohortMember,
                cohort_id=cohort,
                user_id=member,
                plan_name="",
                joined_at=datetime.combine(start, time(12), tzinfo=UTC),
            )
        for offset in (40, 100, 160, 230):
            day = start + timedelta(days=offset)
            meeting = writer.add(
                CohortMeeting,
                cohort_id=cohort,
                day=day,
                mode=rng.choice(("in_person", "virtual")),
                place="",
                topic="Sharing what we saw on visits",
                created_at=datetime.combine(start, time(12), tzinfo=UTC),
            )
            if days and day <= days[-1]:
                for member in members:
                    came = rng.random() < 0.85
                    wrote = came and rng.random() < 0.7
                    writer.add(
                        MeetingAttendance,
                        meeting_id=meeting,
                        user_id=member,
                        attended=came,
                        reflection=rng.choice(REFLECTIONS) if wrote else "",
                        reflected_at=datetime.combine(day, time(18), tzinfo=UTC) if wrote else None,
                    )


def build_open_classrooms(rng: random.Random, writer: BulkWriter, district: dict, today: date, protocols) -> None:
    """Three open classrooms a school a day for the next four weeks, so the slot list has plenty to filter."""
    for place in district["places"]:
        zone = ZoneInfo(place.zone)
        for day in school_days(today + timedelta(days=1), today + timedelta(days=28)):
            for _ in range(3):
                period_id, start_time, end_time = rng.choice(place.periods)
                host = rng.choice(place.teaching[period_id] or place.teachers)
                protocol_id, _, _ = rng.choice(protocols)
                writer.add(
                    VisitSlot,
                    host_id=host,
                    school_id=place.id,
                    period_id=period_id,
                    protocol_id=protocol_id,
                    series_key=f"o{rng.getrandbits(60):015x}"[:16],
                    day=day,
                    local_start=start_time,
                    local_end=end_time,
                    starts_at=datetime.combine(day, start_time, tzinfo=zone).astimezone(UTC),
                    ends_at=datetime.combine(day, end_time, tzinfo=zone).astimezone(UTC),
                    room="",
                    capacity=2,
                    focus_question="Who does the talking?",
                    note_for_visitors="",
                    cutoff_hours=0,
                    sequence=0,
                    lock_version=0,
                    created_at=datetime.combine(today, time(12), tzinfo=UTC),
                )
