"""A teacher answers an exit slip on her phone: from the home page, a tap on each answer, a missing answer
said beside its question with what she wrote kept, then sent, with nothing stored that says it was hers."""

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import new_tab, screenshot, sign_in
from tests.browser.test_notes import in_database, user_id
from tests.browser.test_phone import check_phone_fit, serious_violations
from walkthrough.extensions import db
from walkthrough.surveys.models import Survey, SurveyInvitation, SurveyResponse

pytestmark = pytest.mark.browser

TEACHER = "maya.ortiz@district.example"


def _exit_slip(live_app) -> Survey:
    return in_database(live_app, lambda: db.session.scalar(select(Survey).where(Survey.kind == "exit_slip")))


def _state(live_app, survey_id: int, person_id: int) -> tuple[bool, int]:
    def read():
        answered = db.session.scalar(
            select(SurveyInvitation.answered).where(
                SurveyInvitation.survey_id == survey_id, SurveyInvitation.user_id == person_id
            )
        )
        responses = db.session.scalar(select(func.count()).where(SurveyResponse.survey_id == survey_id))
        return answered, responses

    return in_database(live_app, read)


def test_a_teacher_answers_an_exit_slip_on_her_phone(chromium, live_server, live_app):
    survey = _exit_slip(live_app)
    maya_id = user_id(live_app, TEACHER)
    answered, before = _state(live_app, survey.id, maya_id)
    assert answered is False

    phone = new_tab(chromium, live_server)
    sign_in(phone, TEACHER)
    phone.get_by_role("link", name=survey.title).tap()
    phone.wait_for_url(f"**/surveys/{survey.id}/answer")
    check_phone_fit(phone)
    assert serious_violations(phone) == []
    screenshot(phone, "survey-answer")

    # She writes what she'll try but forgets the required scale: told beside it, her words kept.
    phone.get_by_label("What will you try in your classroom next?").fill("Ask my host for the focus question first.")
    phone.get_by_role("button", name="Send my answers").tap()
    scale = phone.get_by_role("group", name="How useful was this session for your practice?")
    scale.get_by_text("Answer this question, please.").wait_for()
    assert phone.get_by_label("What will you try in your classroom next?").input_value() == (
        "Ask my host for the focus question first."
    )
    assert _state(live_app, survey.id, maya_id) == (False, before)

    scale.get_by_text("4", exact=True).tap()
    phone.get_by_role("button", name="Send my answers").tap()
    phone.get_by_text("Your answers are in").wait_for()
    check_phone_fit(phone)
    assert _state(live_app, survey.id, maya_id) == (True, before + 1)

    phone.goto(f"/surveys/{survey.id}/answer")  # once only
    phone.get_by_text("You have answered this survey already").wait_for()
    phone.context.close()
