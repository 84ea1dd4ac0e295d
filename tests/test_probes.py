"""probes.ask_together gives each question the answer it would get asked alone, in one statement."""

import pytest
from sqlalchemy import bindparam, func, select

from walkthrough.auth.models import Role, User
from walkthrough.probes import Question, ask_together

PEOPLE_NAMED = select(User).where(User.name == bindparam("name"))
PEOPLE_EMAILED = select(User).where(User.email == bindparam("email"))
PEOPLE_AT = select(User).where(User.school_id == bindparam("school_id"))
HOW_MANY_AT = select(func.count(User.id)).where(User.school_id == bindparam("school_id"))


def test_each_answer_is_the_one_asked_alone_and_all_come_in_one_statement(app, make_user, make_school, count_queries):
    school, empty_school = make_school("Oak"), make_school("Elm")
    make_user(Role.TEACHER, school=school, name="Ada")
    make_user(Role.TEACHER, school=school, name="Ben")
    questions = [
        Question(PEOPLE_NAMED, {"name": "Ada"}),
        Question(PEOPLE_EMAILED, {"email": "nobody@example.org"}),
        None,
        Question(PEOPLE_AT, {"school_id": school.id}),
        Question(HOW_MANY_AT, {"school_id": school.id}, figure=True),
    ]
    with count_queries() as counted:
        together = ask_together(*questions)
    assert counted.n == 1
    assert together == [True, False, None, True, 2]
    assert together == [question.answer() if question else None for question in questions]
    assert ask_together(Question(HOW_MANY_AT, {"school_id": empty_school.id}, figure=True)) == [0]
    assert ask_together(None, None) == [None, None]


def test_two_questions_may_not_give_one_parameter_different_values(app, make_school):
    first, second = make_school("Oak"), make_school("Elm")
    with pytest.raises(ValueError, match="school_id"):
        ask_together(Question(PEOPLE_AT, {"school_id": first.id}), Question(HOW_MANY_AT, {"school_id": second.id}))
