"""Changes to a coaching record: goals and their evidence (coachee or coach), cycles and the log (coach)."""

from flask import flash, redirect, request, url_for
from flask_login import current_user

from ..access import role_required
from ..auth.models import Role
from ..extensions import db
from ..forms import commit_or_flash, commit_or_show_errors
from ..schools.years import today_for
from . import bp, records
from .access import coached_cycle_or_404, coachee_or_404, evidence_or_404, goal_or_404, own_activity_or_404
from .caseload_routes import chosen_year
from .forms import ActivityForm, CycleForm, EvidenceForm, GoalForm, PhaseForm
from .record_view import blank_forms, record_page


def _back(coachee_id: int, year: int, anchor: str):
    return redirect(url_for("coaching.record", coachee_id=coachee_id, year=year, _anchor=anchor))


@bp.route("/people/<int:coachee_id>/goals", methods=["POST"])
def add_goal(coachee_id: int):
    coachee = coachee_or_404(current_user, coachee_id)
    year = chosen_year()
    form = GoalForm()
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: records.add_goal(
            record=records.record_for(coachee, year), text=form.text.data, status=form.status.data
        ),
    ):
        flash("Goal added.", "success")
        return _back(coachee_id, year, "goals")
    return record_page(coachee, year, **blank_forms(goal_form=form))


@bp.route("/goals/<int:goal_id>", methods=["POST"])
def update_goal(goal_id: int):
    goal = goal_or_404(current_user, goal_id)
    form = GoalForm(prefix=f"goal-{goal.id}")
    if form.validate_on_submit() and commit_or_show_errors(
        form, lambda: records.update_goal(goal=goal, text=form.text.data, status=form.status.data)
    ):
        flash("Goal saved.", "success")
    else:
        db.session.rollback()
        flash("The goal wasn't saved: " + " ".join(e for errors in form.errors.values() for e in errors), "error")
    return _back(goal.record.coachee_id, goal.record.start_year, f"goal-{goal.id}")


@bp.route("/goals/<int:goal_id>/evidence", methods=["POST"])
def add_evidence(goal_id: int):
    goal = goal_or_404(current_user, goal_id)
    record = goal.record
    form = EvidenceForm(prefix=f"evidence-{goal.id}")
    if form.validate_on_submit() and commit_or_show_errors(
        form, lambda: records.add_evidence(goal=goal, actor=current_user, label=form.label.data, url=form.url.data)
    ):
        flash("Evidence linked.", "success")
        return _back(record.coachee_id, record.start_year, f"goal-{goal.id}")
    form.goal_id = goal.id
    return record_page(record.coachee, record.start_year, **blank_forms(evidence_form=form))


@bp.route("/evidence/<int:evidence_id>/delete", methods=["POST"])
def delete_evidence(evidence_id: int):
    evidence = evidence_or_404(current_user, evidence_id)
    record = evidence.goal.record
    records.delete_evidence(evidence=evidence, actor=current_user)
    db.session.commit()
    flash("Link removed.", "success")
    return _back(record.coachee_id, record.start_year, "goals")


@bp.route("/people/<int:coachee_id>/cycles", methods=["POST"])
@role_required(Role.COACH)
def start_cycle(coachee_id: int):
    coachee = coachee_or_404(current_user, coachee_id, coach_only=True)
    year = chosen_year()
    form = CycleForm()
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: records.start_cycle(
            record=records.record_for(coachee, year),
            coach=current_user,
            focus=form.focus.data,
            started_on=form.started_on.data,
        ),
    ):
        flash("Cycle started.", "success")
        return _back(coachee_id, year, "cycles")
    return record_page(coachee, year, **blank_forms(cycle_form=form))


@bp.route("/cycles/<int:cycle_id>/phase", methods=["POST"])
@role_required(Role.COACH)
def move_cycle(cycle_id: int):
    cycle = coached_cycle_or_404(current_user, cycle_id)
    form = PhaseForm(prefix=f"cycle-{cycle.id}")
    if form.validate_on_submit() and commit_or_show_errors(
        form, lambda: records.move_cycle(cycle=cycle, phase=form.phase.data)
    ):
        flash(f"Cycle moved to “{cycle.phase_label}”.", "success")
    else:
        flash("Choose one of the phases listed.", "error")
    return _back(cycle.record.coachee_id, cycle.record.start_year, "cycles")


@bp.route("/people/<int:coachee_id>/activities", methods=["POST"])
@role_required(Role.COACH)
def log_activity(coachee_id: int):
    coachee = coachee_or_404(current_user, coachee_id, coach_only=True)
    year = chosen_year()
    form = ActivityForm()
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: records.log_activity(
            record=records.record_for(coachee, year),
            coach=current_user,
            day=form.day.data,
            kind=form.kind.data,
            minutes=form.minutes.data,
            notes=form.notes.data or "",
            next_step=form.next_step.data or "",
            shared_with_coachee=form.shared_with_coachee.data,
            today=today_for(current_user.school),
        ),
    ):
        flash("Logged.", "success")
        return _back(coachee_id, year, "log")
    return record_page(coachee, year, **blank_forms(activity_form=form))


@bp.route("/activities/<int:activity_id>/sharing", methods=["POST"])
@role_required(Role.COACH)
def share_activity(activity_id: int):
    activity = own_activity_or_404(current_user, activity_id)
    shared = request.form.get("shared") == "1"
    records.set_sharing(activity=activity, coach=current_user, shared=shared)
    db.session.commit()
    flash("Shared with the teacher." if shared else "Taken back: only you can read it now.", "success")
    return _back(activity.record.coachee_id, activity.record.start_year, f"activity-{activity.id}")


@bp.route("/activities/<int:activity_id>/delete", methods=["POST"])
@role_required(Role.COACH)
def delete_activity(activity_id: int):
    activity = own_activity_or_404(current_user, activity_id)
    record = activity.record
    commit_or_flash(lambda: records.delete_activity(activity=activity, coach=current_user), "Entry deleted.")
    return _back(record.coachee_id, record.start_year, "log")
