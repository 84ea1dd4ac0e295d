"""Cohorts: district admins set them up, team leaders run meetings, members reflect and upload plans."""

from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from ..access import role_required
from ..auth.models import Role, RoleGrant, User
from ..coverage import plans
from ..coverage.budget import budget_minutes
from ..extensions import db
from ..forms import commit_or_flash, commit_or_show_errors
from ..ids import ids_from
from ..schools.models import School
from ..schools.years import current_start_year, today_for
from . import bp, services
from .access import can_manage, can_read_growth_plan, can_run, cohort_or_404, meeting_or_404, membership
from .forms import CohortForm, MeetingForm, MemberForm, ReflectionForm
from .models import Cohort, CohortMember
from .progress import cohort_progress

# Principals are asked to give cohort team leaders 16 hours of release time a year, not the usual 8.
TEAM_LEADER_RELEASE_MINUTES = 16 * 60


def _teacher_choices(cohort: Cohort) -> list[SelectChoice]:
    """Teachers at schools of the cohort's level (and region, when it has one)."""
    admins = select(RoleGrant.user_id).where(RoleGrant.role == Role.ADMIN.value)
    query = (
        select(User)
        .join(RoleGrant)
        .where(RoleGrant.role == Role.TEACHER.value, User.is_active_account.is_(True), User.id.not_in(admins))
    )
    schools = select(School.id).where(School.level == cohort.level)
    if cohort.region:
        schools = schools.where(School.region == cohort.region)
    query = query.where(User.school_id.in_(schools))
    people = db.session.scalars(query.order_by(User.name)).all()
    return [SelectChoice(p.id, f"{p.name} · {p.school.name if p.school else 'District'}") for p in people]


def _leader_choices(cohort: Cohort) -> list[SelectChoice]:
    """A team leader is one of the cohort's members."""
    members = sorted(cohort.members, key=lambda m: m.user.name)
    return [SelectChoice(0, "No team leader yet"), *(SelectChoice(m.user_id, m.user.name) for m in members)]


@bp.route("/cohorts")
def cohorts():
    return _list_page(CohortForm(formdata=None))


def _list_page(form: CohortForm):
    query = select(Cohort).options(selectinload(Cohort.team_leader)).order_by(Cohort.start_year.desc(), Cohort.name)
    if not current_user.has_role(Role.ADMIN):
        mine = select(CohortMember.cohort_id).where(CohortMember.user_id == current_user.id)
        query = query.where(Cohort.id.in_(mine))
    return render_template(
        "cohorts/list.html",
        cohorts=db.session.scalars(query).all(),
        form=form,
        can_manage=can_manage(current_user),
    ), 422 if form.errors else 200


def _manager_only() -> None:
    if not can_manage(current_user):
        abort(403)


def _year() -> int:
    return current_start_year(current_user.school, today_for(current_user.school))


def _leader(form: CohortForm) -> User | None:
    return db.session.get(User, form.team_leader_id.data) if form.team_leader_id.data else None


@bp.route("/cohorts", methods=["POST"])
@role_required(Role.ADMIN)
def create_cohort():
    _manager_only()
    form = CohortForm()
    cohort = form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: services.save_cohort(
            cohort=None,
            name=form.name.data,
            level=form.level.data,
            region=form.region.data or "",
            start_year=_year(),
            leader=None,
            meetings_required=form.meetings_required.data,
            hours_required=form.hours_required.data,
            plan_due=form.plan_due.data,
        ),
    )
    if cohort:
        flash(f"{cohort.name} is set up. Add its members next.", "success")
        return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))
    return _list_page(form)


@bp.route("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int):
    found = cohort_or_404(current_user, cohort_id)
    return _cohort_page(found)


def _cohort_page(cohort: Cohort, status: int = 200, **forms):
    today = today_for(current_user.school)
    runs = can_run(current_user, cohort)
    progress = cohort_progress(cohort, today)
    if not (runs or current_user.has_role(Role.ADMIN)):
        progress = [p for p in progress if p.member.user_id == current_user.id]
    settings = forms.get("settings_form") or CohortForm(
        formdata=None,
        obj=cohort,
        team_leader_id=cohort.team_leader_id or 0,
    )
    settings.team_leader_id.choices = _leader_choices(cohort)
    member_form = forms.get("member_form") or MemberForm(formdata=None)
    members = {m.user_id for m in cohort.members}
    member_form.user_id.choices = [c for c in _teacher_choices(cohort) if c.value not in members]
    return render_template(
        "cohorts/cohort.html",
        cohort=cohort,
        progress=progress,
        today=today,
        runs=runs,
        manages=can_manage(current_user),
        me=membership(cohort, current_user),
        settings_form=settings,
        member_form=member_form,
        meeting_form=forms.get("meeting_form") or MeetingForm(formdata=None, day=today),
        reflection_form=forms.get("reflection_form") or ReflectionForm(formdata=None),
        reflection_meeting_id=forms.get("reflection_meeting_id"),
        leader_budget=budget_minutes(cohort.team_leader) if cohort.team_leader else None,
        leader_release_minutes=TEAM_LEADER_RELEASE_MINUTES,
    ), status


@bp.route("/cohorts/<int:cohort_id>/settings", methods=["POST"])
@role_required(Role.ADMIN)
def cohort_settings(cohort_id: int):
    _manager_only()
    found = cohort_or_404(current_user, cohort_id)
    form = CohortForm()
    form.team_leader_id.choices = _leader_choices(found)
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: services.save_cohort(
            cohort=found,
            name=form.name.data,
            level=form.level.data,
            region=form.region.data or "",
            start_year=found.start_year,
            leader=_leader(form),
            meetings_required=form.meetings_required.data,
            hours_required=form.hours_required.data,
            plan_due=form.plan_due.data,
        ),
    ):
        flash("Saved.", "success")
        return redirect(url_for("cohorts.cohort", cohort_id=cohort_id))
    db.session.rollback()
    return _cohort_page(cohort_or_404(current_user, cohort_id), 422, settings_form=form)


@bp.route("/cohorts/<int:cohort_id>/members", methods=["POST"])
@role_required(Role.ADMIN)
def add_member(cohort_id: int):
    _manager_only()
    found = cohort_or_404(current_user, cohort_id)
    form = MemberForm()
    form.user_id.choices = _teacher_choices(found)
    if form.validate_on_submit():
        person = db.session.get(User, form.user_id.data) if form.user_id.data > 0 else None
        if commit_or_show_errors(form, lambda: services.add_member(cohort=found, person=person)):
            flash(f"{person.name} joined {found.name}.", "success")
            return redirect(url_for("cohorts.cohort", cohort_id=cohort_id, _anchor="members"))
    return _cohort_page(cohort_or_404(current_user, cohort_id), 422, member_form=form)


@bp.route("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", methods=["POST"])
@role_required(Role.ADMIN)
def remove_member(cohort_id: int, user_id: int):
    _manager_only()
    found = cohort_or_404(current_user, cohort_id)
    services.remove_member(cohort=found, user_id=user_id, actor=current_user)
    db.session.commit()
    flash("Removed from the cohort.", "success")
    return redirect(url_for("cohorts.cohort", cohort_id=cohort_id, _anchor="members"))


@bp.route("/cohorts/<int:cohort_id>/meetings", methods=["POST"])
def schedule_meeting(cohort_id: int):
    found = cohort_or_404(current_user, cohort_id)
    if not can_run(current_user, found):
        abort(403)
    form = MeetingForm()
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: services.schedule_meeting(
            cohort=found,
            day=form.day.data,
            mode=form.mode.data,
            place=form.place.data or "",
            topic=form.topic.data or "",
        ),
    ):
        flash("Meeting scheduled.", "success")
        return redirect(url_for("cohorts.cohort", cohort_id=cohort_id, _anchor="meetings"))
    return _cohort_page(cohort_or_404(current_user, cohort_id), 422, meeting_form=form)


@bp.route("/cohorts/meetings/<int:meeting_id>/attendance", methods=["POST"])
def record_attendance(meeting_id: int):
    meeting = meeting_or_404(current_user, meeting_id)
    if not can_run(current_user, meeting.cohort):
        abort(403)
    present = set(ids_from(request.form, "present"))
    services.record_attendance(meeting=meeting, present=present)
    db.session.commit()
    flash("Attendance saved.", "success")
    return redirect(url_for("cohorts.cohort", cohort_id=meeting.cohort_id, _anchor=f"meeting-{meeting.id}"))


@bp.route("/cohorts/meetings/<int:meeting_id>/reflection", methods=["POST"])
def write_reflection(meeting_id: int):
    meeting = meeting_or_404(current_user, meeting_id)
    if membership(meeting.cohort, current_user) is None:
        abort(403)
    form = ReflectionForm(prefix=f"meeting-{meeting.id}")
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: services.write_reflection(
            meeting=meeting, member=current_user, text=form.reflection.data, today=today_for(current_user.school)
        ),
    ):
        flash("Reflection saved. Your team leader can read it.", "success")
        return redirect(url_for("cohorts.cohort", cohort_id=meeting.cohort_id, _anchor=f"meeting-{meeting.id}"))
    return _cohort_page(
        cohort_or_404(current_user, meeting.cohort_id), 422, reflection_form=form, reflection_meeting_id=meeting.id
    )


@bp.route("/cohorts/<int:cohort_id>/plan", methods=["POST"])
def upload_plan(cohort_id: int):
    found = cohort_or_404(current_user, cohort_id)
    if membership(found, current_user) is None:
        abort(403)
    upload = request.files.get("plan")
    commit_or_flash(
        lambda: services.upload_growth_plan(
            cohort=found,
            member=current_user,
            filename=upload.filename if upload else "",
            raw=upload.read() if upload else b"",
        ),
        "Growth plan uploaded.",
    )
    return redirect(url_for("cohorts.cohort", cohort_id=cohort_id, _anchor="progress"))


@bp.route("/cohorts/<int:cohort_id>/plan/<int:user_id>")
def growth_plan(cohort_id: int, user_id: int):
    """The member and their team leader read a growth plan; it goes to the principal from the member."""
    found = cohort_or_404(current_user, cohort_id)
    member = next((m for m in found.members if m.user_id == user_id), None)
    allowed = can_read_growth_plan(current_user, found, user_id)
    if member is None or member.plan_file is None or not allowed:
        abort(404)
    return send_from_directory(
        plans.folder(), member.plan_file, as_attachment=True, download_name=member.plan_name or member.plan_file
    )
