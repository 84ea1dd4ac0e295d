"""A teacher's year in one document for their principal: what they saw, wrote, hosted and grew toward.
Only the teacher's own words appear; visitors' notes stay with the visitors."""

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..coaching.counts import Counts, counts_for
from ..coaching.models import CoachingRecord, GrowthGoal
from ..cohorts.models import Cohort, CohortMeeting, CohortMember, MeetingAttendance
from ..cohorts.progress import Progress, cohort_progress
from ..extensions import db
from ..learning.models import LearningEntry
from ..observations.models import Observation
from ..observations.services import REFLECTION_SLOT
from ..protocols.models import ProtocolVersion
from ..schools.years import SchoolYear


@dataclass
class CohortYear:
    cohort: Cohort
    progress: Progress
    reflections: list[tuple[CohortMeeting, str]]


@dataclass
class Portfolio:
    person: User
    year: SchoolYear
    counts: Counts
    made: list[Observation]
    hosted: list[Observation]
    goals: list[GrowthGoal]
    cohorts: list[CohortYear] = field(default_factory=list)
    learning: list[LearningEntry] = field(default_factory=list)

    @staticmethod
    def reflection(observation: Observation) -> str:
        slot = observation.slot_values().get(REFLECTION_SLOT)
        return slot.value if slot else ""


def portfolio_for(person: User, year: SchoolYear, today) -> Portfolio:
    observations = db.session.scalars(
        select(Observation)
        .where(
            or_(Observation.observer_id == person.id, Observation.host_id == person.id),
            Observation.day.between(year.start, year.end),
        )
        .options(
            selectinload(Observation.protocol_version).selectinload(ProtocolVersion.protocol),
            selectinload(Observation.observer),
            selectinload(Observation.host),
        )
        .order_by(Observation.day, Observation.started_at)
    ).all()
    record = db.session.scalar(
        select(CoachingRecord)
        .where(CoachingRecord.coachee_id == person.id, CoachingRecord.start_year == year.start_year)
        .options(selectinload(CoachingRecord.goals))
    )
    portfolio = Portfolio(
        person=person,
        year=year,
        counts=counts_for([person.id], year.start, year.end)[person.id],
        made=[o for o in observations if o.observer_id == person.id],
        hosted=[o for o in observations if o.host_id == person.id],
        goals=list(record.goals) if record else [],
        learning=list(
            db.session.scalars(
                select(LearningEntry)
                .where(LearningEntry.user_id == person.id, LearningEntry.day.between(year.start, year.end))
                .order_by(LearningEntry.day)
            )
        ),
    )
    memberships = db.session.scalars(
        select(CohortMember)
        .join(Cohort)
        .where(CohortMember.user_id == person.id, Cohort.start_year == year.start_year)
        .options(
            selectinload(CohortMember.cohort).selectinload(Cohort.members).selectinload(CohortMember.user),
            selectinload(CohortMember.cohort).selectinload(Cohort.meetings),
        )
    ).all()
    for membership in memberships:
        cohort = membership.cohort
        mine = next(p for p in cohort_progress(cohort, today) if p.member.user_id == person.id)
        written = db.session.execute(
            select(CohortMeeting, MeetingAttendance.reflection)
            .join(MeetingAttendance, MeetingAttendance.meeting_id == CohortMeeting.id)
            .where(
                CohortMeeting.cohort_id == cohort.id,
                MeetingAttendance.user_id == person.id,
                MeetingAttendance.reflection != "",
            )
            .order_by(CohortMeeting.day)
        ).all()
        portfolio.cohorts.append(CohortYear(cohort, mine, [(meeting, text) for meeting, text in written]))
    return portfolio
