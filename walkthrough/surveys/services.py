"""Writing, sending, reminding, closing and sharing surveys (answering is in answering.py). Every message
goes to the outbox in the same transaction as the change it tells about."""

import re
from datetime import date, timedelta

from sqlalchemy import select, update

from ..audit.services import record as audit
from ..auth.models import User
from ..db_types import utcnow
from ..extensions import db
from ..learning.models import RequiredTraining
from ..outbox.services import send_email
from ..rules import RuleViolation
from ..schools.models import School
from ..urls import external_url
from .answering import CLOSED, is_open
from .audience import invitees, targets_for
from .models import (
    Audience,
    QuestionKind,
    Survey,
    SurveyInvitation,
    SurveyKind,
    SurveyQuestion,
)
from .results import MIN_RESPONSES, results_for
from .starters import STARTERS

MAX_QUESTIONS = 20
MAX_CHOICES = 10
CANNOT_ASK = "Choose whom to ask from the list."
NOT_A_DRAFT = "This survey has been sent; its questions stay as they were asked."
NAMES_A_PERSON = "Ask about the session or the need, never about a named person."
TOO_MANY_QUESTIONS = f"A survey has at most {MAX_QUESTIONS} questions; short surveys get more answers."
CHOICES_NEEDED = f"Give between 2 and {MAX_CHOICES} choices, one a line."
NO_QUESTIONS = "Add at least one question before sending."
TOO_FEW_ASKED = (
    f"This would ask {{n}}. Ask at least {MIN_RESPONSES} people: results are shown only once {MIN_RESPONSES} "
    "have answered, so they could never be seen."
)
NOT_YET_SHOWN = f"Results can be shared once at least {MIN_RESPONSES} answers are shown."
ALREADY_SHARED = "The results were shared already."
REMIND_EVERY = timedelta(hours=20)
REMINDED_RECENTLY = "A reminder went out in the last day; give people a little time."


def _target(actor: User, value: str) -> dict:
    if value not in {t.value for t in targets_for(actor)}:
        raise RuleViolation(CANNOT_ASK, field="audience")
    kind, _, number = value.partition(":")
    if kind == Audience.MEETING:
        return {"audience": kind, "meeting_id": int(number)}
    if kind == Audience.TRAINING:
        training = db.session.get(RequiredTraining, int(number))
        return {"audience": kind, "training_id": training.id, "school_id": training.school_id}
    if kind == Audience.SCHOOL:
        return {"audience": kind, "school_id": db.session.get(School, int(number)).id}
    return {"audience": Audience.DISTRICT.value}


def create_survey(
    *, actor: User, title: str, kind: str, intro: str, audience: str, closes_on: date | None, suggested: bool
) -> Survey:
    survey = Survey(
        title=title.strip(),
        kind=kind,
        intro=intro.strip(),
        closes_on=closes_on,
        created_by_id=actor.id,
        **_target(actor, audience),
    )
    db.session.add(survey)
    db.session.flush()
    if suggested:
        for position, starter in enumerate(STARTERS[SurveyKind(kind)], start=1):
            db.session.add(
                SurveyQuestion(
                    survey_id=survey.id,
                    position=position,
                    kind=starter["kind"].value,
                    prompt=starter["prompt"],
                    choices=list(starter.get("choices", [])),
                    required=starter.get("required", False),
                )
            )
    audit(actor, "created", what="survey", id=survey.id)
    db.session.flush()
    db.session.refresh(survey)
    return survey


def _names_a_person(text: str) -> bool:
    """A staff member's full name in a question ("How did Ana Ruiz run the session?") makes it about a person."""
    folded = " ".join(text.casefold().split())
    names = db.session.scalars(select(User.name).where(User.is_active_account.is_(True)))
    return any(
        len(name.split()) > 1 and re.search(rf"(?<!\w){re.escape(' '.join(name.casefold().split()))}(?!\w)", folded)
        for name in names
    )


def _check_draft(survey: Survey) -> None:
    if survey.sent_at is not None:
        raise RuleViolation(NOT_A_DRAFT)


def add_question(*, survey: Survey, kind: str, prompt: str, choices_text: str, required: bool) -> SurveyQuestion:
    _check_draft(survey)
    if len(survey.questions) >= MAX_QUESTIONS:
        raise RuleViolation(TOO_MANY_QUESTIONS)
    if _names_a_person(prompt):
        raise RuleViolation(NAMES_A_PERSON, field="prompt")
    lines = [" ".join(line.split())[:200] for line in choices_text.splitlines() if line.strip()]
    choices = list(dict.fromkeys(lines))
    if kind == QuestionKind.CHOICE and not 2 <= len(choices) <= MAX_CHOICES:
        raise RuleViolation(CHOICES_NEEDED, field="choices")
    if kind == QuestionKind.SCALE:
        choices = (choices + ["", ""])[:2]
    elif kind == QuestionKind.TEXT:
        choices = []
    question = SurveyQuestion(
        survey_id=survey.id,
        position=max((q.position for q in survey.questions), default=0) + 1,
        kind=kind,
        prompt=prompt.strip(),
        choices=choices,
        required=required,
    )
    db.session.add(question)
    db.session.flush()
    db.session.refresh(survey)
    return question


def remove_question(*, survey: Survey, question: SurveyQuestion) -> None:
    _check_draft(survey)
    db.session.delete(question)
    db.session.flush()
    db.session.refresh(survey)


def send(*, survey: Survey, actor: User) -> int:
    """Ask everyone in the audience; returns how many."""
    _check_draft(survey)
    if not survey.questions:
        raise RuleViolation(NO_QUESTIONS)
    people = invitees(survey)
    if len(people) < MIN_RESPONSES:
        raise RuleViolation(TOO_FEW_ASKED.format(n=len(people)))
    claimed = db.session.execute(
        update(Survey).where(Survey.id == survey.id, Survey.sent_at.is_(None)).values(sent_at=utcnow())
    )
    if claimed.rowcount != 1:  # sent by someone else a moment ago
        raise RuleViolation(NOT_A_DRAFT)
    db.session.add_all(SurveyInvitation(survey_id=survey.id, user_id=p.id) for p in people)
    link = external_url("surveys.answer", survey_id=survey.id)
    for person in people:
        send_email(to=person.email, kind="surveys/asked", person=person, survey=survey, link=link)
    audit(actor, "sent", what="survey", id=survey.id, asked=len(people))
    db.session.flush()
    db.session.refresh(survey)
    return len(people)


def remind(*, survey: Survey, actor: User, today: date) -> int:
    """Email everyone who hasn't answered yet (nobody but the app learns who they are); once a day at most."""
    if not is_open(survey, today):
        raise RuleViolation(CLOSED)
    if survey.reminded_at is not None and utcnow() - survey.reminded_at < REMIND_EVERY:
        raise RuleViolation(REMINDED_RECENTLY)
    waiting = db.session.scalars(
        select(User)
        .join(SurveyInvitation, SurveyInvitation.user_id == User.id)
        .where(
            SurveyInvitation.survey_id == survey.id,
            SurveyInvitation.answered.is_(False),
            User.is_active_account.is_(True),
        )
    ).all()
    survey.reminded_at = utcnow()
    link = external_url("surveys.answer", survey_id=survey.id)
    for person in waiting:
        send_email(to=person.email, kind="surveys/reminder", person=person, survey=survey, link=link)
    audit(actor, "reminded", what="survey", id=survey.id, told=len(waiting))
    db.session.flush()
    return len(waiting)


def copy_survey(*, survey: Survey, actor: User) -> Survey:
    """The same questions as a new draft, for a survey run again (a PLC self-assessment twice a year)."""
    copy = Survey(
        title=survey.title,
        kind=survey.kind,
        intro=survey.intro,
        audience=survey.audience,
        school_id=survey.school_id,
        meeting_id=survey.meeting_id,
        training_id=survey.training_id,
        created_by_id=actor.id,
    )
    copy.questions = [
        SurveyQuestion(position=q.position, kind=q.kind, prompt=q.prompt, choices=list(q.choices), required=q.required)
        for q in survey.questions
    ]
    db.session.add(copy)
    db.session.flush()
    audit(actor, "copied", what="survey", id=copy.id, source=survey.id)
    return copy


def close(*, survey: Survey, actor: User) -> None:
    if survey.closed_at is None:
        survey.closed_at = utcnow()
        audit(actor, "closed", what="survey", id=survey.id)
        db.session.flush()


def share(*, survey: Survey, actor: User) -> int:
    """Send the results back to everyone asked; returns how many were told."""
    if survey.shared_at is not None:
        raise RuleViolation(ALREADY_SHARED)
    if results_for(survey).hidden:
        raise RuleViolation(NOT_YET_SHOWN)
    survey.shared_at = utcnow()
    asked = db.session.scalars(
        select(User)
        .join(SurveyInvitation, SurveyInvitation.user_id == User.id)
        .where(SurveyInvitation.survey_id == survey.id, User.is_active_account.is_(True))
    ).all()
    link = external_url("surveys.results", survey_id=survey.id)
    for person in asked:
        send_email(to=person.email, kind="surveys/shared", person=person, survey=survey, link=link)
    audit(actor, "shared results", what="survey", id=survey.id, told=len(asked))
    db.session.flush()
    return len(asked)
