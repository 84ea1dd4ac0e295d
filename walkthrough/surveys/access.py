"""Who may run a survey and read its results. Nobody, whatever their role, may see who gave which answer:
the data can't say (see models). Results are counts, shown only at five responses or more.

- Admins, coaches and cohort team leaders write surveys; a team leader only for their cohort's meetings.
- A survey is run by whoever wrote it, its cohort's leader (for a meeting), and the admins over its audience:
  district admins for all, a school's admins for their school's.
- Those asked read the results once the survey's owner shares them back."""

from flask import abort
from sqlalchemy import ColumnElement, or_, select, true

from ..auth.models import Role, User
from ..cohorts.models import Cohort, CohortMeeting
from ..extensions import db
from .audience import targets_for
from .models import Audience, Survey, SurveyInvitation


def can_write_surveys(person: User) -> bool:
    return bool(targets_for(person))


def can_run(person: User, survey: Survey) -> bool:
    if survey.created_by_id == person.id:
        return True
    if person.has_role(Role.ADMIN):
        if person.school_id is None:
            return True
        if survey.audience in (Audience.SCHOOL, Audience.TRAINING) and survey.school_id == person.school_id:
            return True
    return survey.audience == Audience.MEETING and survey.meeting.cohort.team_leader_id == person.id


def runnable_by(person: User) -> ColumnElement[bool]:
    """can_run as SQL, for the list of surveys a person runs."""
    rules = [
        Survey.created_by_id == person.id,
        Survey.meeting_id.in_(select(CohortMeeting.id).join(Cohort).where(Cohort.team_leader_id == person.id)),
    ]
    if person.has_role(Role.ADMIN):
        if person.school_id is None:
            return true()
        rules.append(
            Survey.audience.in_([Audience.SCHOOL.value, Audience.TRAINING.value])
            & (Survey.school_id == person.school_id)
        )
    return or_(*rules)


def invitation_of(person: User, survey: Survey) -> SurveyInvitation | None:
    return db.session.scalar(
        select(SurveyInvitation).where(SurveyInvitation.survey_id == survey.id, SurveyInvitation.user_id == person.id)
    )


def can_read_results(person: User, survey: Survey) -> bool:
    if survey.sent_at is None:
        return False
    return can_run(person, survey) or (survey.shared_at is not None and invitation_of(person, survey) is not None)


def survey_or_404(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        abort(404)
    return survey


def runnable_or_404(person: User, survey_id: int) -> Survey:
    """404 rather than 403: which surveys exist is not everyone's business."""
    survey = survey_or_404(survey_id)
    if not can_run(person, survey):
        abort(404)
    return survey
