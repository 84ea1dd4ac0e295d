from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import DateField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..access import role_required
from ..auth.models import Role
from ..extensions import db
from ..forms import CheckboxesField, Form, commit_or_flash, commit_or_show_errors
from ..schools.queries import weekly_schedule
from . import bp, plans, reasons, services
from .access import can_read_plans
from .budget import release_time
from .models import LIVE, CoverageRequest


class CoverRequestForm(Form):
    day = DateField("Day", validators=[InputRequired("Choose the day.")])
    period_ids = CheckboxesField("Which classes", coerce=int, description="Tick none for the whole day.")
    reason = SelectField("Why")  # the district's reasons (coverage/reasons.py), set per request
    notes = TextAreaField(
        "Plans and notes for whoever covers",
        validators=[Optional(), Length(max=2000)],
        description="Where the plans are, what students are doing, anything the cover should know.",
    )


@bp.route("/request", methods=["GET", "POST"])
@role_required(Role.TEACHER)
def request_cover():
    form = CoverRequestForm()
    form.reason.choices = [SelectChoice(r.key, r.label) for r in reasons.for_staff()]
    form.period_ids.choices = [
        SelectChoice(a.period_id, f"{a.period.name}: {a.course or 'class'}")
        for a in weekly_schedule(current_user)
        if a.kind == "teaching"
    ]
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: services.request_coverage(
            teacher=current_user,
            day=form.day.data,
            period_ids=form.period_ids.data or None,
            reason=form.reason.data,
            notes=form.notes.data or "",
        ),
    ):
        waits = (found := reasons.find(form.reason.data)) is not None and found.needs_approval
        flash(
            "Requested. Your school's admin approves it first, then cover is arranged; you'll see who here."
            if waits
            else "Requested. Your school's admin will arrange cover; you'll see who here.",
            "success",
        )
        return redirect(url_for("coverage.request_cover"))
    mine = db.session.scalars(
        select(CoverageRequest)
        .where(CoverageRequest.teacher_id == current_user.id)
        .order_by(CoverageRequest.starts_at.desc())
        .limit(50)
    ).all()
    return render_template(
        "coverage/request.html", form=form, mine=mine, release=release_time(current_user)
    ), 422 if form.errors else 200


@bp.route("/request/<int:request_id>/withdraw", methods=["POST"])
@role_required(Role.TEACHER)
def withdraw(request_id: int):
    withdrawn = db.get_or_404(CoverageRequest, request_id)
    if withdrawn.teacher_id != current_user.id:
        abort(404)
    commit_or_flash(
        lambda: services.withdraw(request=withdrawn, teacher=current_user),
        "Withdrawn. Whoever was covering has been told.",
    )
    return redirect(url_for("coverage.request_cover"))


@bp.route("/request/<int:request_id>/plans", methods=["POST"])
@role_required(Role.TEACHER)
def add_plans(request_id: int):
    """Plans apply to all of the teacher's classes needing cover that day: one job for the cover."""
    chosen = db.get_or_404(CoverageRequest, request_id)
    if chosen.teacher_id != current_user.id:
        abort(404)
    same_day = db.session.scalars(
        select(CoverageRequest).where(
            CoverageRequest.teacher_id == current_user.id,
            CoverageRequest.day == chosen.day,
            CoverageRequest.status.in_(LIVE),
        )
    ).all()
    upload = request.files.get("plan")
    commit_or_flash(
        lambda: plans.add_plans(
            requests=list(same_day) or [chosen],
            teacher=current_user,
            notes=request.form.get("notes", ""),
            filename=upload.filename if upload else "",
            raw=upload.read() if upload else b"",
        ),
        "Plans saved. Whoever covers sees them with the job.",
    )
    return redirect(url_for("coverage.request_cover"))


@bp.route("/plans/<int:request_id>")
def plan_file(request_id: int):
    covered = db.get_or_404(CoverageRequest, request_id)
    if not covered.plan_file or not can_read_plans(current_user, covered):
        abort(404)
    return send_from_directory(
        plans.folder(), covered.plan_file, as_attachment=True, download_name=covered.plan_name or covered.plan_file
    )
