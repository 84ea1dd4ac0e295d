"""Surveys: nothing ties an answer to a person (in the schema, the pages or the exports), nothing shows below
five answers in any output, results grow five answers at a time, the response rate is live, and results are
shared back with those asked."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select

from tests.download_checks import csv_rows, xlsx_book
from tests.survey_setup import answer_as, sent_survey, switch_to
from walkthrough.cohorts import services as cohorts
from walkthrough.extensions import db
from walkthrough.rules import RuleViolation
from walkthrough.surveys import answering, services
from walkthrough.surveys.models import Survey, SurveyInvitation, SurveyResponse
from walkthrough.surveys.results import results_for

PERSON_OR_TIME = {"user", "person", "observer", "teacher", "answered", "by", "at", "time", "created", "updated", "day"}


def _workbook(client, survey):
    return xlsx_book(client.get(f"/surveys/{survey.id}/results.xlsx"))


def _words(table: str) -> set[str]:
    return {word for c in inspect(db.engine).get_columns(table) for word in c["name"].split("_")}


def test_answers_are_stored_with_nothing_that_names_the_person_or_when_they_answered(app):
    assert _words("survey_responses") == {"id", "survey", "batch"}
    assert not _words("survey_answers") & PERSON_OR_TIME
    invitation = {c["name"] for c in inspect(db.engine).get_columns("survey_invitations")}
    assert invitation == {"id", "survey_id", "user_id", "answered"}  # whether, never what or when
    response_id = inspect(db.engine).get_columns("survey_responses")[0]
    assert "CHAR" in str(response_id["type"]).upper()  # a random id: the order of answering is not kept


def test_sending_asks_the_whole_audience_by_email_with_a_link_and_the_promise(survey_world, outbox):
    w = survey_world
    survey = sent_survey(w)
    asked = db.session.scalars(select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey.id)).all()
    staff = {w["admin"].id, w["coach"].id, *(t.id for t in w["teachers"])}
    assert set(asked) == staff and w["outsider"].id not in asked
    mail = outbox(w["teachers"][0].email)
    assert len(mail) == 1 and mail[0].subject == "A short survey: After the PD day"
    assert f"/surveys/{survey.id}/answer" in mail[0].body and "anonymous" in mail[0].body


def test_a_survey_that_could_never_reach_five_answers_is_not_sent(make_school, make_user, outbox):
    from walkthrough.auth.models import Role

    school = make_school()
    admin = make_user(Role.ADMIN, school=school)
    for _ in range(3):
        make_user(Role.TEACHER, school=school)
    survey = services.create_survey(
        actor=admin,
        title="Tiny",
        kind="feedback",
        intro="",
        audience=f"school:{school.id}",
        closes_on=None,
        suggested=True,
    )
    db.session.commit()
    with pytest.raises(RuleViolation, match="at least 5 people"):
        services.send(survey=survey, actor=admin)
    db.session.rollback()
    assert outbox() == [] and db.session.get(Survey, survey.id).sent_at is None


def test_a_question_about_a_named_colleague_is_refused_beside_the_field(survey_world, auth, client):
    w = survey_world
    switch_to(auth, w["admin"])
    survey = services.create_survey(
        actor=w["admin"],
        title="Draft",
        kind="feedback",
        intro="",
        audience=f"school:{w['school'].id}",
        closes_on=None,
        suggested=False,
    )
    db.session.commit()
    page = client.post(
        f"/surveys/{survey.id}/questions",
        data={"kind": "scale", "prompt": "How well did  cy CHEN lead the session?", "choices": ""},
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and services.NAMES_A_PERSON in text and "How well did  cy CHEN" in text
    refused = client.post(
        f"/surveys/{survey.id}/questions", data={"kind": "choice", "prompt": "Pick", "choices": "One"}
    )
    assert refused.status_code == 422 and "Give between 2 and 10 choices" in refused.get_data(as_text=True)
    fine = client.post(
        f"/surveys/{survey.id}/questions", data={"kind": "choice", "prompt": "Pick one", "choices": "Yes\nNo\nYes"}
    )
    assert fine.status_code == 302
    db.session.refresh(survey)
    assert [q.choices for q in survey.questions] == [["Yes", "No"]]


def test_nothing_shows_below_five_answers_in_the_page_the_csv_or_the_xlsx(survey_world, auth, client):
    w = survey_world
    survey = sent_survey(w)
    secrets_written = [f"Secret plan number {n}" for n in range(4)]
    for teacher, secret in zip(w["teachers"], secrets_written, strict=False):
        answer_as(teacher, survey, **{"1": "5", "2": secret})
    switch_to(auth, w["admin"])
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    csv_text = client.get(f"/surveys/{survey.id}/results.csv").get_data(as_text=True)
    book = _workbook(client, survey)
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    for output in (page, csv_text, cells):
        assert not any(secret in output for secret in secrets_written)
        assert "How useful" not in output or "Not enough answers" in output
    assert "Not enough answers yet" in page and "Hidden until at least 5" in csv_text and "Hidden until" in cells
    assert "4 of 10 answered (40.0 %)" in page


def _answer_by_position(survey, prompt_start: str) -> int:
    return next(q.position for q in survey.questions if q.prompt.startswith(prompt_start))


def test_five_answers_show_together_with_open_answers_in_alphabetical_order_and_no_names(survey_world, auth, client):
    w = survey_world
    survey = sent_survey(w)
    written = ["Wait time", "anchor charts", "Exit tickets", "Turn and talk", "Gallery walk"]
    for teacher, scale, text in zip(w["teachers"], "54435", written, strict=False):
        answer_as(teacher, survey, **{"1": scale, "2": text})
    switch_to(auth, w["admin"])
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    positions = [page.index(text) for text in sorted(written, key=str.casefold)]
    assert positions == sorted(positions)
    assert "average 4.2" in page
    assert "Hidden: fewer than five people answered this question." in page  # question 3 was left empty
    for teacher in w["teachers"]:
        assert teacher.name not in page
    csv_text = "\n".join(",".join(row) for row in csv_rows(client.get(f"/surveys/{survey.id}/results.csv")))
    assert "Wait time" in csv_text and "5 – Very useful" in csv_text
    assert not any(t.name in csv_text for t in w["teachers"])
    book = _workbook(client, survey)
    heading, values = list(book["Summary"].iter_rows(values_only=True))
    summary = dict(zip(heading, values, strict=True))
    assert summary["Asked"] == 10 and summary["Answered"] == 5
    assert summary["Response rate (%)"] == 0.5 and book["Summary"]["D2"].number_format == "0.0%"  # shows 50.0%


def test_results_grow_five_answers_at_a_time_so_one_answer_cannot_be_picked_out(survey_world):
    w = survey_world
    survey = sent_survey(w)
    for teacher in w["teachers"][:5]:
        answer_as(teacher, survey, **{"1": "3"})
    answer_as(w["teachers"][5], survey, **{"1": "1"})  # the sixth person
    results = results_for(survey)
    assert results.rate.answered == 6 and results.shown == 5 and results.waiting == 1
    assert results.questions[0].average == 3.0  # the sixth answer is not in them yet
    for person in [*w["teachers"][6:], w["coach"]]:
        answer_as(person, survey, **{"1": "1"})
    results = results_for(survey)
    assert results.shown == 5 and results.waiting == 4
    answer_as(w["admin"], survey, **{"1": "1"})
    results = results_for(survey)
    assert results.shown == 10 and results.waiting == 0 and results.questions[0].average == 2.0


def test_answering_once_only_only_when_asked_and_only_while_open(survey_world, auth, client):
    w = survey_world
    survey = sent_survey(w)
    teacher = w["teachers"][0]
    switch_to(auth, teacher)
    form = client.get(f"/surveys/{survey.id}/answer")
    assert form.status_code == 200 and "anonymous" in form.get_data(as_text=True)
    q1 = survey.questions[0].id
    assert client.post(f"/surveys/{survey.id}/answer", data={f"q{q1}": "4"}).status_code == 302
    again = client.post(f"/surveys/{survey.id}/answer", data={f"q{q1}": "2"})
    assert again.status_code == 409 and answering.ALREADY_ANSWERED in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
    switch_to(auth, w["outsider"])
    assert client.get(f"/surveys/{survey.id}/answer").status_code == 404
    assert client.post(f"/surveys/{survey.id}/answer", data={f"q{q1}": "2"}).status_code == 404
    survey.closes_on = date.today() - timedelta(days=2)  # yesterday wherever the school is
    db.session.commit()
    switch_to(auth, w["teachers"][1])
    closed = client.post(f"/surveys/{survey.id}/answer", data={f"q{q1}": "2"})
    assert closed.status_code == 409 and answering.CLOSED in closed.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_a_missing_required_answer_keeps_what_was_typed_and_says_which(survey_world, auth, client):
    w = survey_world
    survey = sent_survey(w)
    switch_to(auth, w["teachers"][0])
    q1, q2 = survey.questions[0].id, survey.questions[1].id
    page = client.post(f"/surveys/{survey.id}/answer", data={f"q{q2}": "Try <b>wait time</b>", f"q{q1}": ""})
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "Answer this question, please." in text
    assert "Try &lt;b&gt;wait time&lt;/b&gt;" in text
    junk = client.post(f"/surveys/{survey.id}/answer", data={f"q{q1}": "9"})
    assert junk.status_code == 422 and "Choose a number from 1 to 5." in junk.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
    assert not db.session.scalar(
        select(SurveyInvitation.answered).where(SurveyInvitation.user_id == w["teachers"][0].id)
    )


def test_the_live_response_rate_and_who_may_follow_it(survey_world, auth, client):
    w = survey_world
    survey = sent_survey(w)
    answer_as(w["teachers"][0], survey, **{"1": "4"})
    switch_to(auth, w["admin"])
    rate = client.get(f"/surveys/{survey.id}/rate", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<dd>1</dd>" in rate and "10.0 %" in rate and 'hx-trigger="every 15s"' in rate
    switch_to(auth, w["teachers"][1])
    assert client.get(f"/surveys/{survey.id}/rate").status_code == 404
    assert client.get(f"/surveys/{survey.id}").status_code == 404
    assert client.get(f"/surveys/{survey.id}/results").status_code == 404  # not shared yet


def test_sharing_back_tells_everyone_asked_and_lets_them_read_the_results(survey_world, auth, client, outbox):
    w = survey_world
    survey = sent_survey(w)
    with pytest.raises(RuleViolation, match="at least 5 answers"):
        services.share(survey=survey, actor=w["admin"])
    db.session.rollback()
    for teacher in w["teachers"][:5]:
        answer_as(teacher, survey, **{"1": "4", "2": "More time to plan"})
    switch_to(auth, w["admin"])
    assert client.post(f"/surveys/{survey.id}/share").status_code == 302
    told = outbox(w["teachers"][7].email)
    assert told[-1].subject == "Results: After the PD day" and f"/surveys/{survey.id}/results" in told[-1].body
    switch_to(auth, w["teachers"][7])  # asked, never answered: still told and may read
    page = client.get(f"/surveys/{survey.id}/results")
    assert page.status_code == 200 and "More time to plan" in page.get_data(as_text=True)
    assert client.get(f"/surveys/{survey.id}/results.csv").status_code == 200
    assert "Results shared with you" in client.get("/surveys/").get_data(as_text=True)
    switch_to(auth, w["outsider"])
    assert client.get(f"/surveys/{survey.id}/results").status_code == 404


def test_an_exit_slip_for_a_cohort_meeting_asks_who_came(app, make_school, make_user):
    from walkthrough.auth.models import Role

    school = make_school(first_day=date.today() - timedelta(days=60), last_day=date.today() + timedelta(days=200))
    leader = make_user(Role.TEACHER, school=school)
    members = [make_user(Role.TEACHER, school=school) for _ in range(7)]
    cohort = cohorts.save_cohort(
        cohort=None,
        name="North",
        level="middle",
        region="",
        start_year=date.today().year,
        leader=None,
        meetings_required=4,
        hours_required=8,
    )
    for member in [leader, *members]:
        cohorts.add_member(cohort=cohort, person=member)
    cohort = cohorts.save_cohort(
        cohort=cohort,
        name="North",
        level="middle",
        region="",
        start_year=date.today().year,
        leader=leader,
        meetings_required=4,
        hours_required=8,
    )
    meeting = cohorts.schedule_meeting(cohort=cohort, day=date.today(), mode="in_person", place="", topic="Feedback")
    cohorts.record_attendance(meeting=meeting, present={m.id for m in members[:6]})
    db.session.commit()
    survey = services.create_survey(
        actor=leader,
        title="Exit slip",
        kind="exit_slip",
        intro="",
        audience=f"meeting:{meeting.id}",
        closes_on=None,
        suggested=True,
    )
    services.send(survey=survey, actor=leader)
    asked = set(db.session.scalars(select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey.id)))
    assert asked == {m.id for m in members[:6]}
    with pytest.raises(RuleViolation):  # a colleague who doesn't lead the cohort can't ask it
        services.create_survey(
            actor=members[0],
            title="X",
            kind="exit_slip",
            intro="",
            audience=f"meeting:{meeting.id}",
            closes_on=None,
            suggested=True,
        )


def test_the_surveys_page_runs_the_same_queries_for_two_surveys_or_twelve(survey_world, auth, client, count_queries):
    w = survey_world
    sent_survey(w)
    sent_survey(w, kind="needs_assessment")
    switch_to(auth, w["admin"])
    with count_queries() as few:
        assert client.get("/surveys/").status_code == 200
    for _ in range(10):
        sent_survey(w, kind="feedback")
    with count_queries() as many:
        page = client.get("/surveys/")
    assert page.status_code == 200 and page.get_data(as_text=True).count("0 of 10 answered") == 12
    assert many.n == few.n


def test_a_reminder_goes_only_to_those_who_have_not_answered_and_once_a_day(survey_world, auth, client, outbox):
    w = survey_world
    survey = sent_survey(w)
    for teacher in w["teachers"][:3]:
        answer_as(teacher, survey, **{"1": "4"})
    switch_to(auth, w["admin"])
    assert client.post(f"/surveys/{survey.id}/remind").status_code == 302
    reminded = {m.recipient for m in outbox() if m.subject.startswith("A reminder")}
    assert reminded == {p.email for p in [w["admin"], w["coach"], *w["teachers"][3:]]}
    page = client.post(f"/surveys/{survey.id}/remind", follow_redirects=True).get_data(as_text=True)
    assert "in the last day" in page
    assert len([m for m in outbox() if m.subject.startswith("A reminder")]) == len(reminded)


def test_running_a_survey_again_copies_its_questions_into_a_new_draft(survey_world, auth, client):
    w = survey_world
    survey = sent_survey(w, kind="plc_self_assessment")
    switch_to(auth, w["admin"])
    answer = client.post(f"/surveys/{survey.id}/copy")
    copy = db.session.get(Survey, int(answer.location.rsplit("/", 1)[1]))
    assert copy.id != survey.id and copy.sent_at is None and copy.audience == survey.audience
    assert [(q.kind, q.prompt, q.choices) for q in copy.questions] == [
        (q.kind, q.prompt, q.choices) for q in survey.questions
    ]
