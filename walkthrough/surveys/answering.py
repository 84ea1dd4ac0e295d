"""Answering a survey: reading the answers a form holds, and storing them with nothing that points back to
the person who gave them."""

import secrets
from datetime import date

from sqlalchemy import func, select, update

from ..auth.models import User
from ..extensions import db
from ..rules import RuleViolation
from .models import QuestionKind, Survey, SurveyAnswer, SurveyInvitation, SurveyResponse
from .results import MIN_RESPONSES

MAX_TEXT_ANSWER = 2000
CLOSED = "This survey is closed."
ALREADY_ANSWERED = "You have answered this survey already. Thank you!"
NOT_ASKED = "This survey wasn't sent to you."


def is_open(survey: Survey, today: date) -> bool:
    return (
        survey.sent_at is not None
        and survey.closed_at is None
        and (survey.closes_on is None or today <= survey.closes_on)
    )


def read_answers(survey: Survey, form) -> tuple[dict[int, dict], dict[int, str]]:
    """The answers a form holds, checked against each question, and a message for each that isn't right."""
    values: dict[int, dict] = {}
    errors: dict[int, str] = {}
    for question in survey.questions:
        raw = (form.get(f"q{question.id}") or "").strip()
        if not raw:
            if question.required:
                errors[question.id] = "Answer this question, please."
            continue
        if question.kind == QuestionKind.CHOICE:
            if raw not in question.choices:
                errors[question.id] = "Choose one of the answers shown."
            else:
                values[question.id] = {"choice": raw}
        elif question.kind == QuestionKind.SCALE:
            if raw not in {"1", "2", "3", "4", "5"}:
                errors[question.id] = "Choose a number from 1 to 5."
            else:
                values[question.id] = {"scale": int(raw)}
        elif len(raw) > MAX_TEXT_ANSWER:
            errors[question.id] = f"Keep it under {MAX_TEXT_ANSWER:,} characters ({len(raw):,} now)."
        else:
            values[question.id] = {"text": raw}
    return values, errors


def answer(*, survey: Survey, person: User, values: dict[int, dict], today: date) -> None:
    """Mark the person as having answered and store the answers with nothing that points back to them.
    The survey row is locked so the batch that joins the results is counted by one request at a time."""
    db.session.execute(select(Survey.id).where(Survey.id == survey.id).with_for_update())
    db.session.refresh(survey)
    if not is_open(survey, today):
        raise RuleViolation(CLOSED)
    marked = db.session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.survey_id == survey.id,
            SurveyInvitation.user_id == person.id,
            SurveyInvitation.answered.is_(False),
        )
        .values(answered=True)
    )
    if marked.rowcount != 1:
        asked = db.session.scalar(
            select(func.count()).where(SurveyInvitation.survey_id == survey.id, SurveyInvitation.user_id == person.id)
        )
        raise RuleViolation(ALREADY_ANSWERED if asked else NOT_ASKED)
    response = SurveyResponse(id=secrets.token_hex(16), survey_id=survey.id)
    response.answers = [SurveyAnswer(question_id=qid, **value) for qid, value in values.items()]
    db.session.add(response)
    db.session.flush()
    _release_batch(survey)


def _release_batch(survey: Survey) -> None:
    """Once five or more answers wait, they join the results together."""
    waiting = db.session.scalar(
        select(func.count()).where(SurveyResponse.survey_id == survey.id, SurveyResponse.batch.is_(None))
    )
    if waiting >= MIN_RESPONSES:
        latest = db.session.scalar(select(func.max(SurveyResponse.batch)).where(SurveyResponse.survey_id == survey.id))
        db.session.execute(
            update(SurveyResponse)
            .where(SurveyResponse.survey_id == survey.id, SurveyResponse.batch.is_(None))
            .values(batch=(latest or 0) + 1)
        )
