"""Answering a survey, on a phone as often as not."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..rules import RuleViolation
from ..schools.years import today_for
from . import answering, bp
from .access import invitation_of, survey_or_404
from .forms import AnswerForm


def _page(survey, form, values=None, errors=None, problem: str = "", status: int = 200):
    return render_template(
        "surveys/answer.html", survey=survey, form=form, values=values or {}, errors=errors or {}, problem=problem
    ), status


@bp.route("/<int:survey_id>/answer")
def answer(survey_id: int):
    survey = survey_or_404(survey_id)
    invitation = invitation_of(current_user, survey)
    if invitation is None:
        return _page(survey, None, problem=answering.NOT_ASKED, status=404)
    if invitation.answered:
        return _page(survey, None, problem=answering.ALREADY_ANSWERED)
    if not answering.is_open(survey, today_for(survey.school)):
        return _page(survey, None, problem=answering.CLOSED)
    return _page(survey, AnswerForm())


@bp.route("/<int:survey_id>/answer", methods=["POST"])
def submit_answer(survey_id: int):
    survey = survey_or_404(survey_id)
    form = AnswerForm()
    if invitation_of(current_user, survey) is None:
        return _page(survey, None, problem=answering.NOT_ASKED, status=404)
    typed = {f"q{q.id}": (request.form.get(f"q{q.id}") or "") for q in survey.questions}
    if not form.validate_on_submit():
        return _page(survey, form, typed, status=400)
    values, errors = answering.read_answers(survey, request.form)
    if errors:
        return _page(survey, form, typed, errors, status=422)
    try:
        answering.answer(survey=survey, person=current_user, values=values, today=today_for(survey.school))
    except RuleViolation as violation:
        db.session.rollback()
        return _page(survey, form, typed, problem=violation.message, status=409)
    db.session.commit()
    flash("Thank you. Your answers are in, with nothing that says they are yours.", "success")
    return redirect(url_for("surveys.surveys"))
