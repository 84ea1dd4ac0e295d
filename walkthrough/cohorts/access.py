"""Who may see and run a cohort.

- District admins set cohorts up (manage) and can stand in to schedule meetings and take attendance (run);
  they are never members, so they never read a member's reflection or growth plan.
- The team leader runs the cohort and reads its members' reflections and growth plans.
- Members see the cohort and write their own reflection and plan.

A cohort or meeting the viewer may not see is 404 (who is in which cohort is not public); an action on a
cohort they can see but may not take is 403."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.models import Role, User
from ..extensions import db
from .models import Cohort, CohortMeeting, CohortMember


def can_manage(person: User) -> bool:
    """District admins set cohorts up; a school's own admin looks after their school."""
    return person.has_role(Role.ADMIN) and person.school_id is None


def can_run(person: User, cohort: Cohort) -> bool:
    """The team leader schedules meetings and takes attendance (and district admins can stand in)."""
    return person.id == cohort.team_leader_id or can_manage(person)


def membership(cohort: Cohort, person: User) -> CohortMember | None:
    return next((m for m in cohort.members if m.user_id == person.id), None)


def can_see(viewer: User, cohort: Cohort) -> bool:
    return viewer.has_role(Role.ADMIN) or can_run(viewer, cohort) or membership(cohort, viewer) is not None


def can_read_growth_plan(viewer: User, cohort: Cohort, member_user_id: int) -> bool:
    """The member and their team leader; it goes to the principal from the member, never through the app."""
    return viewer.id in (member_user_id, cohort.team_leader_id)


def cohort_or_404(viewer: User, cohort_id: int) -> Cohort:
    cohort = db.session.scalar(
        select(Cohort)
        .where(Cohort.id == cohort_id)
        .options(selectinload(Cohort.members).selectinload(CohortMember.user), selectinload(Cohort.meetings))
    )
    if cohort is None or not can_see(viewer, cohort):
        abort(404)
    return cohort


def meeting_or_404(viewer: User, meeting_id: int) -> CohortMeeting:
    meeting = db.session.get(CohortMeeting, meeting_id)
    if meeting is None or not can_see(viewer, meeting.cohort):
        abort(404)
    return meeting
