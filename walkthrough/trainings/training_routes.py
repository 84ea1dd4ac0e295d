"""Admins set required trainings and see who has completed them."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from ..access import role_required
from ..auth.models import Role
from ..extensions import db
from ..forms import commit_or_show_errors
from ..learning.models import RequiredTraining
from ..schools.models import School
from . import bp, services
from .access import may_edit, training_or_404
from .forms import TrainingForm


def _visible_trainings():
    query = select(RequiredTraining).where(RequiredTraining.archived.is_(False))
    if current_user.school_id is not None:
        query = query.where(
            or_(RequiredTraining.school_id.is_(None), RequiredTraining.school_id == current_user.school_id)
        )
    return db.session.scalars(query.order_by(RequiredTraining.due_on, RequiredTraining.title)).all()


def _form(**kwargs) -> TrainingForm:
    form = TrainingForm(**kwargs)
    if current_user.school_id is None:
        schools = db.session.scalars(select(School).order_by(School.name)).all()
        form.school_id.choices = [(0, "Every school")] + [(s.id, s.name) for s in schools]
    else:
        form.school_id.choices = [(current_user.school_id, current_user.school.name)]
    return form


def _page(form: TrainingForm, training: RequiredTraining | None = None, status: int = 200):
    return render_template(
        "trainings/trainings.html",
        form=form,
        training=training,
        trainings=_visible_trainings(),
        completion=services.completion(training, current_user) if training else None,
        may_edit=training is None or may_edit(current_user, training),
    ), status


@bp.route("/")
@role_required(Role.ADMIN)
def trainings():
    return _page(_form(formdata=None, hours=2, school_id=current_user.school_id or 0))


def _save(training: RequiredTraining | None):
    form = _form()
    if training is not None and not may_edit(current_user, training):
        abort(403)
    if form.validate_on_submit():
        saved = commit_or_show_errors(
            form,
            lambda: services.save_training(
                actor=current_user,
                training=training,
                title=form.title.data,
                description=form.description.data or "",
                hours=float(form.hours.data),
                due_on=form.due_on.data,
                school_id=form.school_id.data or None,
                audience=form.audience.data,
            ),
        )
        if saved is not None:
            flash("Saved. People see it on their learning page and log hours toward it.", "success")
            return redirect(url_for("trainings.training", training_id=saved.id))
    return _page(form, training, 422)


@bp.route("/", methods=["POST"])
@role_required(Role.ADMIN)
def create():
    return _save(None)


@bp.route("/<int:training_id>")
@role_required(Role.ADMIN)
def training(training_id: int):
    found = training_or_404(current_user, training_id)
    form = _form(
        formdata=None, obj=found, hours=found.minutes / 60, school_id=found.school_id or 0, audience=found.audience
    )
    return _page(form, found)


@bp.route("/<int:training_id>", methods=["POST"])
@role_required(Role.ADMIN)
def update(training_id: int):
    return _save(training_or_404(current_user, training_id))
