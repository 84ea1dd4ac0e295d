"""Who may see and change coaching records.

- The coachee sees their own record: goals, cycles, counts, and only the log entries shared with them.
- A coach sees the records of the people on their caseload who accepted them as coach (a request not yet
  accepted shows nothing); a log entry's notes are its author's alone unless the author shares them.
- Admins see counts in reports, never a record's goals or notes."""

from sqlalchemy import exists, select

from ..auth.models import Role, User
from ..extensions import db
from .models import CaseloadMember, CoachingActivity, CoachingRecord


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
