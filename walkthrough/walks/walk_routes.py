"""Planning a walk, its page, and the team's "We noticed" summary."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import role_required
from ..extensions import db
from ..forms import commit_or_flash, commit_or_show_errors, options
from ..ids import arg_id
from ..schools.models import School
from ..schools.queries import managed_schools
from ..schools.times import local_today
from . import STAFF, bp, queries, services, tools
from .access import can_capture, can_compare_schools, can_manage, can_plan, can_see, can_summarise, on_team
from .forms import SummaryForm, TeamForm, WalkForm
from .models import Walk, WalkTool
from .results import results_for


def _walk_or_404(walk_id: int) -> Walk:
    walk = queries.walk_or_none(walk_id)
    if walk is None or not can_see(current_user, walk):
        abort(404)
    return walk


def _plannable_schools() -> list[School]:
    if current_user.school_id is not None:
        school = db.session.get(School, current_user.school_id)
        return [school] if school is not None and can_plan(current_user, school) else []
    if not can_compare_schools(current_user):
        return []
    return managed_schools(current_user)


@bp.route("/")
@role_required(*STAFF)
def walks():
    listed = queries.walks_for(current_user)
    today = {walk.id: local_today(walk.school) for walk in listed}
    return render_template(
        "walks/page.html",
        listed=listed,
        today=today,
        can_plan=bool(_plannable_schools()),
        on_team={walk.id for walk in listed if on_team(current_user, walk)},
        summary_due=services.summary_due,
    )


@bp.route("/new", methods=["GET", "POST"])
def new_walk():
    schools = _plannable_schools()
    if not schools:
        abort(403)
    school = next((s for s in schools if s.id == (arg_id("school_id") or 0)), None)
    if school is None and len(schools) == 1:
        school = schools[0]
    if school is None:
        return render_template("walks/choose_school.html", schools=schools)
    form = WalkForm()
    form.tool_id.choices = options((t.id, t.name) for t in tools.tools_in_use())
    candidates = services.team_candidates(school)
    form.team.choices = options((p.id, f"{p.name} · {', '.join(p.role_labels)}") for p in candidates)
    if request.method == "GET":
        start = local_today(school) + timedelta(days=7)
        form.starts_on.data, form.ends_on.data = start, start
        form.team.data = [current_user.id] if any(p.id == current_user.id for p in candidates) else []
    if form.validate_on_submit():
        walk = commit_or_show_errors(
            form,
            lambda: services.plan_walk(
                actor=current_user,
                school=school,
                tool=db.get_or_404(WalkTool, form.tool_id.data),
                kind=form.kind.data,
                focus=form.focus.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                team_ids=form.team.data,
            ),
        )
        if walk is not None:
            flash(f"Walk planned. {school.name}'s staff have been told who is coming, when and what for.", "success")
            return redirect(url_for("walks.walk", walk_id=walk.id))
    status = 422 if form.errors else 200
    return render_template("walks/new.html", form=form, school=school, tools=tools.tools_in_use()), status


@bp.route("/<int:walk_id>")
def walk(walk_id: int):
    walk = _walk_or_404(walk_id)
    return _walk_page(walk, SummaryForm(obj=walk.summary))


def _walk_page(walk: Walk, summary_form: SummaryForm, status: int = 200):
    today = local_today(walk.school)
    return (
        render_template(
            "walks/walk.html",
            walk=walk,
            today=today,
            results=results_for([walk], by=["grade_band", "subject_area"]),
            mine=queries.my_classrooms(walk, current_user) if on_team(current_user, walk) else [],
            classrooms=queries.classroom_count(walk),
            can_capture=can_capture(current_user, walk) and walk.starts_on - timedelta(1) <= today <= walk.ends_on,
            can_manage=can_manage(current_user, walk),
            can_summarise=can_summarise(current_user, walk),
            summary_form=summary_form,
            may_change_team=can_manage(current_user, walk) and _may_change_team(walk),
            summary_due=services.summary_due(walk),
        ),
        status,
    )


@bp.route("/<int:walk_id>/summary", methods=["POST"])
def save_summary(walk_id: int):
    walk = _walk_or_404(walk_id)
    if not can_summarise(current_user, walk):
        abort(403)
    form = SummaryForm()
    send = request.form.get("action") == "send"
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: services.save_summary(
            walk=walk, actor=current_user, noticed=form.noticed.data or "", wondered=form.wondered.data or "", send=send
        ),
    ):
        flash("Sent to the school's staff; it is on their home page too." if send else "Summary saved.", "success")
        return redirect(url_for("walks.walk", walk_id=walk.id) + "#summary")
    db.session.rollback()
    walk = _walk_or_404(walk_id)
    return _walk_page(walk, form, status=422)


def _team_form(walk: Walk, formdata=None) -> TeamForm:
    form = TeamForm(formdata=formdata)
    form.team.choices = options(
        (p.id, f"{p.name} · {', '.join(p.role_labels)}") for p in services.team_candidates(walk.school)
    )
    if formdata is None:
        form.team.data = [member.user_id for member in walk.team]
    return form


@bp.route("/<int:walk_id>/team", methods=["GET", "POST"])
def change_team(walk_id: int):
    """On its own page, so the walk's page never lists the school's staff."""
    walk = _walk_or_404(walk_id)
    if not can_manage(current_user, walk):
        abort(403)
    form = _team_form(walk, request.form if request.method == "POST" else None)
    if form.validate_on_submit() and commit_or_show_errors(
        form, lambda: services.change_team(walk=walk, actor=current_user, team_ids=form.team.data)
    ):
        flash("The team is changed.", "success")
        return redirect(url_for("walks.walk", walk_id=walk.id))
    db.session.rollback()
    walk = _walk_or_404(walk_id)
    status = 422 if form.errors else 200
    return render_template("walks/team.html", walk=walk, form=form, may_change=_may_change_team(walk)), status


def _may_change_team(walk: Walk) -> bool:
    return walk.cancelled_at is None and walk.ends_on >= local_today(walk.school)


@bp.route("/<int:walk_id>/cancel", methods=["POST"])
def cancel(walk_id: int):
    walk = _walk_or_404(walk_id)
    if not can_manage(current_user, walk):
        abort(403)
    commit_or_flash(lambda: services.cancel_walk(walk=walk, actor=current_user), "The walk is cancelled.")
    return redirect(url_for("walks.walk", walk_id=walk.id))
