"""A school with an admin, a coach and eight teachers, and a survey sent to its staff."""

from datetime import date, timedelta

import pytest

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.surveys import answering, services

TEACHER_NAMES = ["Ada Alvarez", "Ben Brook", "Cy Chen", "Dot Diaz", "Eli Evans", "Fay Frost", "Gus Gray", "Hal Hoang"]


@pytest.fixture
def survey_world(make_school, make_user):
    school = make_school(
        "Cedar Creek", first_day=date.today() - timedelta(days=60), last_day=date.today() + timedelta(days=200)
    )
    return {
        "school": school,
        "admin": make_user(Role.ADMIN, school=school, name="Pat Principal"),
        "coach": make_user(Role.COACH, school=school, name="Cora Coach"),
        "teachers": [make_user(Role.TEACHER, school=school, name=name) for name in TEACHER_NAMES],
        "outsider": make_user(Role.TEACHER, school=make_school("Elsewhere"), name="Olive Outside"),
    }


def sent_survey(w, *, kind="exit_slip", suggested=True):
    """A survey of the school's staff (the admin, the coach and the eight teachers: ten people), sent."""
    survey = services.create_survey(
        actor=w["admin"],
        title="After the PD day",
        kind=kind,
        intro="",
        audience=f"school:{w['school'].id}",
        closes_on=None,
        suggested=suggested,
    )
    services.send(survey=survey, actor=w["admin"])
    db.session.commit()
    return survey


def answer_as(person, survey, **by_position):
    """Answer through the service: {1: "4", 2: "text"} keyed by question position."""
    form = {f"q{q.id}": by_position.get(str(q.position), "") for q in survey.questions}
    values, errors = answering.read_answers(survey, form)
    assert not errors, errors
    answering.answer(survey=survey, person=person, values=values, today=date.today())
    db.session.commit()


def switch_to(auth, person):
    auth.logout()
    auth.login(person)
