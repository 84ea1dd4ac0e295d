"""Each member's progress toward the cohort's commitments, for every member at once."""

from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..coaching import counts
from ..extensions import db
from ..schools.years import district_year
from .models import Cohort, CohortMeeting, CohortMember, MeetingAttendance


@dataclass
class Progress:
    member: CohortMember
    meetings_attended: int
    meetings_required: int
    learning_minutes: int
    hours_required: int
    reflections: int
    meetings_held: int

    @property
    def plan_uploaded(self) -> bool:
        return self.member.plan_file is not None

    @property
    def meetings_done(self) -> bool:
        return self.meetings_attended >= self.meetings_required

    @property
    def hours_done(self) -> bool:
        return self.learning_minutes >= self.hours_required * 60

    @property
    def complete(self) -> bool:
        return self.meetings_done and self.hours_done and self.plan_uploaded


def cohort_progress(cohort: Cohort, held_by) -> list[Progress]:
    """held_by: the last day that counts as held (today), so future meetings aren't counted as missed."""
    members = sorted(cohort.members, key=lambda m: m.user.name)
    ids = [m.user_id for m in members]
    year = district_year(cohort.start_year)
    learning = counts.counts_for(ids, year.start, year.end)
    per_member = (
        {
            user_id: (attended or 0, reflected or 0)
            for user_id, attended, reflected in db.session.execute(
                select(
                    MeetingAttendance.user_id,
                    func.sum(case((MeetingAttendance.attended.is_(True), 1), else_=0)),
                    func.sum(case((MeetingAttendance.reflection != "", 1), else_=0)),
                )
                .join(CohortMeeting, CohortMeeting.id == MeetingAttendance.meeting_id)
                .where(CohortMeeting.cohort_id == cohort.id)
                .group_by(MeetingAttendance.user_id)
            )
        }
        if ids
        else {}
    )
    held = sum(1 for meeting in cohort.meetings if meeting.day <= held_by)
    return [
        Progress(
            member=m,
            meetings_attended=per_member.get(m.user_id, (0, 0))[0],
            meetings_required=cohort.meetings_required,
            learning_minutes=learning[m.user_id].learning_minutes,
            hours_required=cohort.hours_required,
            reflections=per_member.get(m.user_id, (0, 0))[1],
            meetings_held=held,
        )
        for m in members
    ]


def memberships_of(user_id: int) -> list[CohortMember]:
    return list(
        db.session.scalars(
            select(CohortMember).join(Cohort).where(CohortMember.user_id == user_id).order_by(Cohort.start_year.desc())
        )
    )
