"""A teacher's professional-learning log; peer visits count toward it without being typed."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import role_required
from ..auth.models import Role
from ..coaching import counts
from ..extensions import db
from ..forms import commit_or_show_errors
from ..learning import services as learning_log
from ..learning.models import LearningEntry
from ..schools.years import current_start_year, district_year, today_for
from ..trainings import services as trainings
from . import bp, services
from .forms import LearningForm
from .progress import memberships_of


def _with_trainings(form: LearningForm) -> LearningForm:
    form.training_id.choices = [(0, "No required training")] + [
        (t.id, t.title) for t in trainings.requirements_for(current_user)
    ]
    return form


def _log(entry_form: LearningForm):
    _with_trainings(entry_form)
    today = today_for(current_user.school)
    year = district_year(current_start_year(current_user.school, today))
    entries = db.session.scalars(
        select(LearningEntry)
        .where(LearningEntry.user_id == current_user.id, LearningEntry.day.between(year.start, year.end))
        .order_by(LearningEntry.day.desc(), LearningEntry.id.desc())
    ).all()
    mine = counts.counts_for([current_user.id], year.start, year.end)[current_user.id]
    return render_template(
        "cohorts/learning.html",
        form=entry_form,
        entries=entries,
        counts=mine,
        year=year,
        today=today,
        memberships=memberships_of(current_user.id),
        required=trainings.progress_for(current_user),
    ), 422 if entry_form.errors else 200


@bp.route("/learning")
@role_required(Role.TEACHER)
def learning():
    return _log(LearningForm(formdata=None, day=today_for(current_user.school), minutes=60))


@bp.route("/learning", methods=["POST"])
@role_required(Role.TEACHER)
def log_learning():
    form = _with_trainings(LearningForm())

    def add():
        title = services.check_learning(
            day=form.day.data,
            kind=form.kind.data,
            title=form.title.data,
            minutes=form.minutes.data,
            today=today_for(current_user.school),
        )
        training_id = trainings.check_training_choice(current_user, form.training_id.data)
        db.session.add(
            LearningEntry(
                user_id=current_user.id,
                day=form.day.data,
                kind=form.kind.data,
                title=title,
                minutes=form.minutes.data,
                setting=form.setting.data,
                place=(form.place.data or "").strip(),
                training_id=training_id,
            )
        )
        return True

    if form.validate_on_submit() and commit_or_show_errors(form, add):
        flash("Logged.", "success")
        return redirect(url_for("cohorts.learning"))
    return _log(form)


@bp.route("/learning/<int:entry_id>/delete", methods=["POST"])
@role_required(Role.TEACHER)
def delete_learning(entry_id: int):
    entry = db.session.get(LearningEntry, entry_id)
    if entry is None or entry.user_id != current_user.id:
        abort(404)
    learning_log.delete_entry(entry=entry, actor=current_user)
    db.session.commit()
    flash("Entry deleted.", "success")
    return redirect(url_for("cohorts.learning"))
