"""Survey answers arriving at once, through a live server, on SQLite and PostgreSQL: each person's answer is
stored once however often they press Send, and results still grow only in batches of five or more."""

from sqlalchemy import func, select

from tests.survey_setup import sent_survey
from tests.test_concurrency import signed_in_opener
from tests.test_coverage_concurrency import _all_at_once, _live, _post
from walkthrough.extensions import db
from walkthrough.surveys.models import SurveyInvitation, SurveyResponse


def _answer_all_at_once(make_app, survey, emails: list[str]) -> list[int]:
    server, thread, base = _live(make_app)
    field = f"q{survey.questions[0].id}"
    try:
        openers = [signed_in_opener(base, email) for email in emails]
        return _all_at_once([lambda o=o: _post(o, f"{base}/surveys/{survey.id}/answer", {field: "4"}) for o in openers])
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _batches(survey_id: int) -> dict:
    db.session.expire_all()
    rows = db.session.execute(
        select(SurveyResponse.batch, func.count())
        .where(SurveyResponse.survey_id == survey_id)
        .group_by(SurveyResponse.batch)
    ).all()
    return dict(rows)


def test_ten_people_answering_at_once_are_all_counted_in_batches_of_at_least_five(survey_world, make_app):
    w = survey_world
    survey = sent_survey(w)
    people = [w["admin"], w["coach"], *w["teachers"]]
    statuses = _answer_all_at_once(make_app, survey, [p.email for p in people])
    assert sorted(statuses) == [200] * 10  # redirected to the surveys page
    batches = _batches(survey.id)
    assert sum(batches.values()) == 10 and None not in batches
    assert all(size >= 5 for size in batches.values())
    answered = db.session.scalar(
        select(func.count()).where(SurveyInvitation.survey_id == survey.id, SurveyInvitation.answered.is_(True))
    )
    assert answered == 10


def test_one_person_pressing_send_ten_times_at_once_answers_once(survey_world, make_app):
    w = survey_world
    survey = sent_survey(w)
    statuses = _answer_all_at_once(make_app, survey, [w["teachers"][0].email] * 10)
    assert sorted(statuses) == [200] + [409] * 9
    assert sum(_batches(survey.id).values()) == 1
