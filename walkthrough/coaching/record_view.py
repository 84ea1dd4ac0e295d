"""Everything the record page shows, gathered in a fixed number of queries."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..extensions import db
from ..schools.years import district_year, today_for
from . import consent
from .access import can_read_activity, is_coach_of
from .counts import coaching_totals, counts_for
from .forms import ActivityForm, CycleForm, EvidenceForm, GoalForm, PhaseForm
from .models import CoachingRecord, CyclePhase, GoalStatus, GrowthGoal


def find_record(coachee_id: int, start_year: int) -> CoachingRecord | None:
    return db.session.scalar(
        select(CoachingRecord)
        .where(CoachingRecord.coachee_id == coachee_id, CoachingRecord.start_year == start_year)
        .options(
            selectinload(CoachingRecord.goals).selectinload(GrowthGoal.evidence),
            selectinload(CoachingRecord.cycles),
            selectinload(CoachingRecord.activities),
        )
    )


def blank_forms(**given):
    """Every form on the record page, empty, except the one that was just submitted with errors."""
    today = today_for(current_user.school)
    forms = {
        "goal_form": GoalForm(formdata=None),
        "evidence_form": EvidenceForm(formdata=None),
        "cycle_form": CycleForm(formdata=None, started_on=today),
        "phase_form": PhaseForm(formdata=None),
        "activity_form": ActivityForm(formdata=None, day=today, minutes=30),
    }
    forms.update(given)
    return forms


def record_page(coachee: User, start_year: int, **forms):
    year = district_year(start_year)
    record = find_record(coachee.id, start_year)
    activities = [a for a in record.activities if can_read_activity(current_user, a, record)] if record else []
    status = 422 if any(form.errors for form in forms.values()) else 200
    return render_template(
        "coaching/record.html",
        coachee=coachee,
        year=year,
        record=record,
        counts=counts_for([coachee.id], year.start, year.end)[coachee.id],
        coaching=coaching_totals([coachee.id], start_year)[coachee.id],
        activities=activities,
        is_coach=is_coach_of(current_user, coachee.id),
        is_coachee=current_user.id == coachee.id,
        coach_requests=consent.requests_for(coachee) if current_user.id == coachee.id else [],
        my_coaches=consent.coaches_of(coachee) if current_user.id == coachee.id else [],
        today=today_for(current_user.school),
        goal_statuses=[(s.value, s.label) for s in GoalStatus],
        cycle_phases=[(p.value, p.label) for p in CyclePhase],
        **forms,
    ), status
