"""Surveys waiting for a person's answer, for their surveys page and their home page."""

from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload

from ..auth.models import User
from ..probes import Question
from ..schools.years import today_for
from .answering import is_open
from .models import Survey, SurveyInvitation


# Built once: every home page asks (see auth.sessions for what that saves).
@cache
def _waiting():
    return (
        select(Survey)
        .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .where(
            SurveyInvitation.user_id == bindparam("user_id"),
            SurveyInvitation.answered.is_(False),
            Survey.closed_at.is_(None),
        )
        .order_by(Survey.sent_at.desc())
        .options(lazyload(Survey.questions))  # a list of titles: the questions were a query on every home page
    )


def waiting_question(person: User) -> Question:
    """Surveys sent to the person, not answered and not closed (some may not be open yet where they are)."""
    return Question(_waiting(), {"user_id": person.id})


def to_answer(person: User) -> list[Survey]:
    waiting = waiting_question(person).rows()
    return [s for s in waiting if is_open(s, today_for(s.school))]
