from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..access import role_required
from ..auth.models import Role
from ..extensions import db
from ..forms import commit_or_show_errors
from ..htmx import render_page_or_fragment, wants_fragment
from ..schools import queries, services
from ..schools.models import BellPeriod, PeriodAssignment, School
from ..visits.queries import forget_filter_choices
from . import bp
from .access import period_or_403, school_or_403
from .forms import PeriodForm, SchoolForm


def _new_period_form(school: School, **kwargs) -> PeriodForm:
    return PeriodForm(prefix="new-period", **kwargs).use_rotation(school.rotation)


def _edit_period_form(period: BellPeriod) -> PeriodForm:
    return PeriodForm(prefix=f"period-{period.id}", obj=period, days=period.day_tokens).use_rotation(
        period.school.rotation
    )


def _assignment_counts(school: School) -> dict[int, int]:
    rows = db.session.execute(
        select(PeriodAssignment.period_id, func.count())
        .join(BellPeriod)
        .where(BellPeriod.school_id == school.id)
        .group_by(PeriodAssignment.period_id)
    )
    return dict(rows.all())


@bp.route("/schools")
@role_required(Role.ADMIN)
def schools():
    return render_template(
        "admin/schools.html", schools=queries.managed_schools(current_user), can_add=current_user.school_id is None
    )


def _save_school_from(form: SchoolForm, school: School | None) -> School | None:
    saved = commit_or_show_errors(
        form,
        lambda: services.save_school(
            school=school,
            name=form.name.data,
            level=form.level.data,
            region=form.region.data or "",
            timezone=form.timezone.data,
            rotation=form.rotation.data,
            year_first_day=form.year_first_day.data,
            year_last_day=form.year_last_day.data,
            address=form.address.data or "",
            release_hours_default=float(form.release_hours_default.data)
            if form.release_hours_default.data is not None
            else None,
            weekly_cover_cap=form.weekly_cover_cap.data,
            requires_visit_approval=form.requires_visit_approval.data,
        ),
    )
    if saved:
        forget_filter_choices()
    return saved


@bp.route("/schools/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_school():
    if current_user.school_id is not None:
        abort(403)  # only district admins add schools
    form = SchoolForm()
    if form.validate_on_submit() and (school := _save_school_from(form, None)):
        flash(f"{school.name} is added. Now set up its bell schedule.", "success")
        return redirect(url_for("admin.school", school_id=school.id))
    return render_template("admin/school_new.html", form=form), 422 if form.errors else 200


@bp.route("/schools/<int:school_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def school(school_id: int):
    school = school_or_403(current_user, school_id)
    form = SchoolForm(obj=school, release_hours_default=school.release_minutes_default / 60)
    if form.validate_on_submit() and _save_school_from(form, school):
        flash("School details saved.", "success")
        return redirect(url_for("admin.school", school_id=school.id))
    return render_template(
        "admin/school.html",
        school=school,
        form=form,
        period_form=_new_period_form(school),
        assignment_counts=_assignment_counts(school),
    ), 422 if form.errors else 200


def _render_periods(school: School, period_form: PeriodForm, status: int = 200):
    return render_page_or_fragment(
        "admin/school.html",
        "admin/_periods.html",
        status=status,
        school=school,
        form=SchoolForm(obj=school),
        period_form=period_form,
        assignment_counts=_assignment_counts(school),
    )


def _save_period_from(form: PeriodForm, school: School, period: BellPeriod | None) -> BellPeriod | None:
    return commit_or_show_errors(
        form,
        lambda: services.save_period(
            school=school,
            period=period,
            name=form.name.data,
            starts_at=form.starts_at.data,
            ends_at=form.ends_at.data,
            days=form.days.data or [],
        ),
    )


@bp.route("/schools/<int:school_id>/periods", methods=["POST"])
@role_required(Role.ADMIN)
def add_period(school_id: int):
    school = school_or_403(current_user, school_id)
    form = _new_period_form(school)
    if form.validate_on_submit() and _save_period_from(form, school, None):
        if not wants_fragment():
            flash("Period added.", "success")
            return redirect(url_for("admin.school", school_id=school.id))
        db.session.refresh(school)
        return _render_periods(school, _new_period_form(school, formdata=None))
    return _render_periods(school, form, status=422)


@bp.route("/periods/<int:period_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_period(period_id: int):
    period = period_or_403(current_user, period_id)
    school = period.school
    form = _edit_period_form(period)
    if form.validate_on_submit() and _save_period_from(form, school, period):
        if wants_fragment():
            db.session.refresh(school)
            return _render_periods(school, _new_period_form(school, formdata=None))
        flash("Period saved.", "success")
        return redirect(url_for("admin.school", school_id=school.id))
    response = render_page_or_fragment(
        "admin/period_edit.html",
        "admin/_period_edit_form.html",
        status=422 if form.errors else 200,
        period=period,
        school=school,
        edit_form=form,
    )
    if form.errors and wants_fragment():
        # The form posts to the whole schedule; a form with errors replaces only itself.
        response.headers["HX-Retarget"] = f"#period-{period.id}"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


@bp.route("/periods/<int:period_id>/delete", methods=["POST"])
@role_required(Role.ADMIN)
def delete_period(period_id: int):
    period = period_or_403(current_user, period_id)
    school = period.school
    services.delete_period(period=period, actor=current_user)
    db.session.commit()
    db.session.refresh(school)
    if wants_fragment():
        return _render_periods(school, _new_period_form(school, formdata=None))
    flash("Period removed.", "success")
    return redirect(url_for("admin.school", school_id=school.id))
