"""Who may see and change coaching records.

- The coachee sees their own record: goals, cycles, counts, and only the log entries shared with them.
- A coach sees the records of the people on their caseload who accepted them as coach (a request not yet
  accepted shows nothing); a log entry's notes are its author's alone unless the author shares them.
- Admins see counts in reports, never a record's goals or notes.

Refusals are 404: whether a teacher has a record, a goal or a coach is itself private, so someone who may
not see it can't learn that it exists. (Routes that need a role say so with @role_required, which is 403.)"""

from flask import abort
from sqlalchemy import exists, select

from ..auth.models import Role, User
from ..extensions import db
from .models import CaseloadMember, CoachingActivity, CoachingCycle, CoachingRecord, GoalEvidence, GrowthGoal


def is_coach_of(viewer: User, coachee_id: int) -> bool:
    if not viewer.is_authenticated or not viewer.has_role(Role.COACH):
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    CaseloadMember.coach_id == viewer.id,
                    CaseloadMember.coachee_id == coachee_id,
                    CaseloadMember.accepted_at.is_not(None),
                )
            )
        )
    )


def can_view_record(viewer: User, coachee_id: int) -> bool:
    return viewer.is_authenticated and (viewer.id == coachee_id or is_coach_of(viewer, coachee_id))


def can_read_activity(viewer: User, activity: CoachingActivity, record: CoachingRecord) -> bool:
    if viewer.id == activity.coach_id:
        return True
    return viewer.id == record.coachee_id and activity.shared_with_coachee


def coachee_or_404(viewer: User, coachee_id: int, *, coach_only: bool = False) -> User:
    """The coachee whose record this viewer may open (as coachee or accepted coach; only the coach if asked)."""
    coachee = db.session.get(User, coachee_id)
    allowed = is_coach_of if coach_only else can_view_record
    if coachee is None or not allowed(viewer, coachee_id):
        abort(404)
    return coachee


def goal_or_404(viewer: User, goal_id: int) -> GrowthGoal:
    goal = db.session.get(GrowthGoal, goal_id)
    if goal is None or not can_view_record(viewer, goal.record.coachee_id):
        abort(404)
    return goal


def evidence_or_404(viewer: User, evidence_id: int) -> GoalEvidence:
    evidence = db.session.get(GoalEvidence, evidence_id)
    if evidence is None or not can_view_record(viewer, evidence.goal.record.coachee_id):
        abort(404)
    return evidence


def coached_cycle_or_404(viewer: User, cycle_id: int) -> CoachingCycle:
    """A coaching cycle of someone this viewer coaches: only the coach moves it on."""
    cycle = db.session.get(CoachingCycle, cycle_id)
    if cycle is None or not is_coach_of(viewer, cycle.record.coachee_id):
        abort(404)
    return cycle


def own_activity_or_404(viewer: User, activity_id: int) -> CoachingActivity:
    """A log entry this coach wrote; the coachee reads shared ones on the record page, never changes them."""
    activity = db.session.get(CoachingActivity, activity_id)
    if activity is None or activity.coach_id != viewer.id:
        abort(404)
    return activity


def my_coach_or_404(viewer: User, member_id: int) -> CaseloadMember:
    """A coach's request or coaching of this teacher: only the teacher answers or ends it."""
    member = db.session.get(CaseloadMember, member_id)
    if member is None or member.coachee_id != viewer.id:
        abort(404)
    return member
