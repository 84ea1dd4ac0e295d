"""Surveys waiting for a person's answer, for their surveys page and their home page."""

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..schools.years import today_for
from .answering import is_open
from .models import Survey, SurveyInvitation


def to_answer(person: User) -> list[Survey]:
    waiting = db.session.scalars(
        select(Survey)
        .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .where(
            SurveyInvitation.user_id == person.id,
            SurveyInvitation.answered.is_(False),
            Survey.closed_at.is_(None),
        )
        .order_by(Survey.sent_at.desc())
    ).all()
    return [s for s in waiting if is_open(s, today_for(s.school))]
