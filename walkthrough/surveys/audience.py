"""Whom a survey asks: who came to a cohort meeting, who took a PD session, a school's staff, or the
district's. The list is fixed when the survey is sent."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import distinct, select
from sqlalchemy.orm import selectinload

from ..auth.models import Role, User
from ..auth.people import staff
from ..cohorts import access as cohort_access
from ..cohorts.models import CohortMeeting
from ..extensions import db
from ..learning.models import LearningEntry, RequiredTraining
from ..schools.models import School
from .models import Audience, Survey

# Exit slips follow a meeting; older meetings aren't offered (the picker would grow for ever).
RECENT_MEETING_DAYS = 60


@dataclass(frozen=True)
class Target:
    value: str  # "meeting:12", "training:3", "school:2", "district"
    label: str


def targets_for(person: User) -> list[Target]:
    """What this person may ask, in the order a picker shows them."""
    found: list[Target] = []
    recent = date.today() - timedelta(days=RECENT_MEETING_DAYS)
    meetings = db.session.scalars(
        select(CohortMeeting)
        .where(CohortMeeting.day >= recent)
        .options(selectinload(CohortMeeting.cohort))
        .order_by(CohortMeeting.day.desc(), CohortMeeting.id.desc())
    )
    for meeting in meetings:
        if cohort_access.can_run(person, meeting.cohort):
            found.append(Target(f"meeting:{meeting.id}", f"{meeting.cohort.name} meeting, {meeting.day:%-d %b %Y}"))
    if may_ask_schools(person):
        trainings = select(RequiredTraining).where(RequiredTraining.archived.is_(False))
        if person.school_id is not None:
            trainings = trainings.where(RequiredTraining.school_id == person.school_id)
        for training in db.session.scalars(trainings.order_by(RequiredTraining.due_on.desc())):
            found.append(Target(f"training:{training.id}", f"Who took {training.title}"))
        schools = select(School).order_by(School.name)
        if person.school_id is not None:
            schools = schools.where(School.id == person.school_id)
        found.extend(Target(f"school:{s.id}", f"{s.name} staff") for s in db.session.scalars(schools))
        if person.school_id is None and person.has_role(Role.ADMIN):
            found.append(Target("district", "Every school's staff"))
    return found


def may_ask_schools(person: User) -> bool:
    return person.has_role(Role.ADMIN, Role.COACH)


def invitees(survey: Survey) -> list[User]:
    if survey.audience == Audience.MEETING:
        came = [a.user for a in survey.meeting.attendance if a.attended and a.user.is_active_account]
        return came or [m.user for m in survey.meeting.cohort.members if m.user.is_active_account]
    if survey.audience == Audience.TRAINING:
        took = select(distinct(LearningEntry.user_id)).where(LearningEntry.training_id == survey.training_id)
        return list(
            db.session.scalars(
                select(User).where(User.id.in_(took), User.is_active_account.is_(True)).order_by(User.name)
            )
        )
    return staff(school_id=survey.school_id) if survey.audience == Audience.SCHOOL else staff()


def audience_label(survey: Survey) -> str:
    if survey.audience == Audience.MEETING and survey.meeting is not None:
        return f"Who came to the {survey.meeting.cohort.name} meeting on {survey.meeting.day:%-d %b %Y}"
    if survey.audience == Audience.TRAINING and survey.training is not None:
        return f"Who took {survey.training.title}"
    if survey.audience == Audience.SCHOOL and survey.school is not None:
        return f"{survey.school.name} staff"
    return "Every school's staff"
