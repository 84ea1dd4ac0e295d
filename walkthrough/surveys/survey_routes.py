"""Writing, sending and following a survey, and its results as a page, CSV and XLSX."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..downloads import csv_response, xlsx_response
from ..extensions import db
from ..forms import commit_or_flash, commit_or_show_errors
from ..schools.years import today_for
from . import answering, bp, exports, services
from .access import (
    can_read_results,
    can_run,
    can_write_surveys,
    invitation_of,
    runnable_or_404,
    survey_or_404,
)
from .audience import audience_label, targets_for
from .forms import QuestionForm, SurveyForm
from .models import Survey, SurveyInvitation, SurveyQuestion
from .queries import to_answer
from .results import response_rate, response_rates, results_for

MAX_LISTED = 100  # the latest; a district's admin could otherwise list every survey of every year


@bp.route("/")
def surveys():
    shared = db.session.scalars(
        select(Survey)
        .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .where(SurveyInvitation.user_id == current_user.id, Survey.shared_at.is_not(None))
        .order_by(Survey.shared_at.desc())
    ).all()
    mine = [
        s for s in db.session.scalars(select(Survey).order_by(Survey.created_at.desc())) if can_run(current_user, s)
    ]
    return render_template(
        "surveys/list.html",
        to_answer=to_answer(current_user),
        shared=shared,
        mine=mine,
        rates=response_rates([s.id for s in mine]),
        may_write=can_write_surveys(current_user),
    )


def _new_page(form: SurveyForm, status: int = 200):
    return render_template("surveys/new.html", form=form), status


def _survey_form(**kwargs) -> SurveyForm:
    form = SurveyForm(**kwargs)
    form.audience.choices = [("", "Choose…")] + [(t.value, t.label) for t in targets_for(current_user)]
    return form


@bp.route("/new")
def new_survey():
    form = _survey_form(formdata=None, kind=request.args.get("kind", "exit_slip"), audience=request.args.get("ask", ""))
    if len(form.audience.choices) == 1:
        abort(403)
    return _new_page(form)


@bp.route("/new", methods=["POST"])
def create_survey():
    form = _survey_form()
    if len(form.audience.choices) == 1:
        abort(403)
    if form.validate_on_submit():
        survey = commit_or_show_errors(
            form,
            lambda: services.create_survey(
                actor=current_user,
                title=form.title.data,
                kind=form.kind.data,
                intro=form.intro.data or "",
                audience=form.audience.data,
                closes_on=form.closes_on.data,
                suggested=form.suggested.data,
            ),
        )
        if survey is not None:
            return redirect(url_for("surveys.survey", survey_id=survey.id))
    return _new_page(form, 422)


def _survey_page(survey: Survey, question_form: QuestionForm | None = None, status: int = 200):
    return render_template(
        "surveys/survey.html",
        survey=survey,
        audience=audience_label(survey),
        rate=response_rate(survey),
        is_open=answering.is_open(survey, today_for(survey.school)),
        question_form=question_form or QuestionForm(formdata=None),
        results=results_for(survey) if survey.sent_at else None,
    ), status


@bp.route("/<int:survey_id>")
def survey(survey_id: int):
    return _survey_page(runnable_or_404(current_user, survey_id))


@bp.route("/<int:survey_id>/rate")
def rate(survey_id: int):
    """The live response rate, polled by the survey's page."""
    survey = runnable_or_404(current_user, survey_id)
    return render_template("surveys/_rate.html", survey=survey, rate=response_rate(survey))


@bp.route("/<int:survey_id>/questions", methods=["POST"])
def add_question(survey_id: int):
    survey = runnable_or_404(current_user, survey_id)
    form = QuestionForm()
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: services.add_question(
            survey=survey,
            kind=form.kind.data,
            prompt=form.prompt.data,
            choices_text=form.choices.data or "",
            required=form.required.data,
        ),
    ):
        flash("Question added.", "success")
        return redirect(url_for("surveys.survey", survey_id=survey.id) + "#questions")
    return _survey_page(survey, form, 422)


@bp.route("/<int:survey_id>/questions/<int:question_id>/delete", methods=["POST"])
def remove_question(survey_id: int, question_id: int):
    survey = runnable_or_404(current_user, survey_id)
    question = db.session.get(SurveyQuestion, question_id)
    if question is None or question.survey_id != survey.id:
        abort(404)
    commit_or_flash(lambda: services.remove_question(survey=survey, question=question), "Question removed.")
    return redirect(url_for("surveys.survey", survey_id=survey.id) + "#questions")


@bp.route("/<int:survey_id>/send", methods=["POST"])
def send(survey_id: int):
    survey = runnable_or_404(current_user, survey_id)
    commit_or_flash(lambda: services.send(survey=survey, actor=current_user), "Sent. Answers are anonymous.")
    return redirect(url_for("surveys.survey", survey_id=survey.id))


@bp.route("/<int:survey_id>/remind", methods=["POST"])
def remind(survey_id: int):
    survey = runnable_or_404(current_user, survey_id)
    commit_or_flash(
        lambda: services.remind(survey=survey, actor=current_user, today=today_for(survey.school)),
        "Reminded everyone who hasn't answered yet.",
    )
    return redirect(url_for("surveys.survey", survey_id=survey.id))


@bp.route("/<int:survey_id>/copy", methods=["POST"])
def copy(survey_id: int):
    survey = runnable_or_404(current_user, survey_id)
    made = services.copy_survey(survey=survey, actor=current_user)
    db.session.commit()
    flash("A new draft with the same questions. Change what you like, then send it.", "success")
    return redirect(url_for("surveys.survey", survey_id=made.id))


@bp.route("/<int:survey_id>/close", methods=["POST"])
def close(survey_id: int):
    survey = runnable_or_404(current_user, survey_id)
    commit_or_flash(lambda: services.close(survey=survey, actor=current_user), "Closed: no more answers are taken.")
    return redirect(url_for("surveys.survey", survey_id=survey.id))


@bp.route("/<int:survey_id>/share", methods=["POST"])
def share(survey_id: int):
    survey = runnable_or_404(current_user, survey_id)
    commit_or_flash(lambda: services.share(survey=survey, actor=current_user), "Shared with everyone who was asked.")
    return redirect(url_for("surveys.survey", survey_id=survey.id))


def _readable_or_404(survey_id: int) -> Survey:
    survey = survey_or_404(survey_id)
    if not can_read_results(current_user, survey):
        abort(404)
    return survey


@bp.route("/<int:survey_id>/results")
def results(survey_id: int):
    survey = _readable_or_404(survey_id)
    return render_template(
        "surveys/results.html",
        survey=survey,
        results=results_for(survey),
        audience=audience_label(survey),
        runs_it=can_run(current_user, survey),
        was_asked=invitation_of(current_user, survey) is not None,
    )


@bp.route("/<int:survey_id>/results.csv")
def results_csv(survey_id: int):
    survey = _readable_or_404(survey_id)
    return csv_response(f"survey-{survey.id}-results.csv", exports.HEADER, exports.rows(results_for(survey)))


@bp.route("/<int:survey_id>/results.xlsx")
def results_xlsx(survey_id: int):
    survey = _readable_or_404(survey_id)
    return xlsx_response(f"survey-{survey.id}-results.xlsx", exports.sheets(results_for(survey)))
