"""A survey's results as every output shows them (page, CSV, XLSX): counts, shares, averages and open
answers, and nothing at all below five responses, for the survey or for any one question."""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import case, func, or_, select

from ..charts import BarChart, bar_chart
from ..extensions import db
from .models import QuestionKind, Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse

MIN_RESPONSES = 5
HIDDEN = f"Hidden until at least {MIN_RESPONSES} people have answered"


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    hidden: bool
    options: list[OptionCount] = field(default_factory=list)
    average: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def chart(self) -> BarChart:
        pairs = [(o.label, o.count) for o in self.options]
        return bar_chart(self.question.prompt, pairs, value_heading="Answers", label_heading="Answer")


@dataclass(frozen=True)
class ResponseRate:
    asked: int
    answered: int

    @property
    def percent(self) -> float:
        return round(100 * self.answered / self.asked, 1) if self.asked else 0.0


@dataclass
class SurveyResults:
    survey: Survey
    rate: ResponseRate
    shown: int  # responses counted in the results
    waiting: int  # answered, waiting for enough others to join the results
    questions: list[QuestionResult]

    @property
    def hidden(self) -> bool:
        return self.shown < MIN_RESPONSES


def response_rates(survey_ids: list[int]) -> dict[int, ResponseRate]:
    """Asked and answered for many surveys in one query."""
    if not survey_ids:
        return {}
    rows = db.session.execute(
        select(
            SurveyInvitation.survey_id,
            func.count(),
            func.coalesce(func.sum(case((SurveyInvitation.answered.is_(True), 1), else_=0)), 0),
        )
        .where(SurveyInvitation.survey_id.in_(survey_ids))
        .group_by(SurveyInvitation.survey_id)
    ).all()
    found = {survey_id: ResponseRate(asked, int(answered)) for survey_id, asked, answered in rows}
    return {survey_id: found.get(survey_id, ResponseRate(0, 0)) for survey_id in survey_ids}


def response_rate(survey: Survey) -> ResponseRate:
    return response_rates([survey.id])[survey.id]


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _result(question: SurveyQuestion, counts: Counter, texts: list[str]) -> QuestionResult:
    """counts: how many chose each option (or scale point); texts: the open answers given."""
    answered = len(texts) if question.kind == QuestionKind.TEXT else sum(counts.values())
    if answered < MIN_RESPONSES:
        return QuestionResult(question, answered, hidden=True)
    result = QuestionResult(question, answered, hidden=False)
    if question.kind == QuestionKind.CHOICE:
        result.options = [
            OptionCount(c, counts.get(c, 0), _percent(counts.get(c, 0), answered)) for c in question.choices
        ]
    elif question.kind == QuestionKind.SCALE:
        low, high = question.scale_ends
        labels = {1: f"1 – {low}", 5: f"5 – {high}"}
        result.options = [
            OptionCount(labels.get(n, str(n)), counts.get(n, 0), _percent(counts.get(n, 0), answered))
            for n in range(1, 6)
        ]
        result.average = round(sum(n * c for n, c in counts.items()) / answered, 1)
    else:
        # Alphabetical, so the order says nothing about who answered first.
        result.texts = sorted(texts, key=str.casefold)
    return result


def results_for(survey: Survey) -> SurveyResults:
    counted = db.session.execute(
        select(SurveyResponse.batch.is_not(None), func.count())
        .where(SurveyResponse.survey_id == survey.id)
        .group_by(SurveyResponse.batch.is_not(None))
    ).all()
    by_state = {bool(in_results): n for in_results, n in counted}
    shown, waiting = by_state.get(True, 0), by_state.get(False, 0)
    questions: list[QuestionResult] = []
    if shown >= MIN_RESPONSES:
        # Counted by the database: a district survey has thousands of answers, and only the open ones are read.
        shown_answers = (
            select(SurveyAnswer)
            .join(SurveyResponse)
            .where(SurveyResponse.survey_id == survey.id, SurveyResponse.batch.is_not(None))
            .subquery()
        )
        counts: dict[int, Counter] = {q.id: Counter() for q in survey.questions}
        grouped = db.session.execute(
            select(shown_answers.c.question_id, shown_answers.c.choice, shown_answers.c.scale, func.count())
            .where(or_(shown_answers.c.choice.is_not(None), shown_answers.c.scale.is_not(None)))
            .group_by(shown_answers.c.question_id, shown_answers.c.choice, shown_answers.c.scale)
        )
        for question_id, choice, scale, n in grouped:
            counts.setdefault(question_id, Counter())[choice if scale is None else scale] += n
        texts: dict[int, list[str]] = {q.id: [] for q in survey.questions}
        written = db.session.execute(
            select(shown_answers.c.question_id, shown_answers.c.text).where(shown_answers.c.text.is_not(None))
        )
        for question_id, text in written:
            if text.strip():
                texts.setdefault(question_id, []).append(text.strip())
        questions = [_result(q, counts[q.id], texts[q.id]) for q in survey.questions]
    return SurveyResults(survey, response_rate(survey), shown, waiting, questions)
