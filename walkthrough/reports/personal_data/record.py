"""The rest of a person's own copy: their profile, coaching record as they can see it, cohorts and growth
plans, logged learning, showcase items, cover requests with their plans, walk classrooms and schedule."""

import zipfile

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ...auth.models import User
from ...coaching.models import CoachingRecord
from ...cohorts.models import CohortMember, MeetingAttendance
from ...coverage import plans
from ...coverage.models import CoverageRequest
from ...extensions import db
from ...learning.models import LearningEntry
from ...schools.models import PeriodAssignment
from ...showcase.models import ShowcaseItem
from ...walks.models import Walk, WalkClassroom
from .rows import clean


def profile(person: User) -> dict:
    return clean(
        {
            "name": person.name,
            "email": person.email,
            "roles": sorted(role.value for role in person.roles),
            "school": person.school.name if person.school else None,
            "subjects": person.subjects,
            "grade_band": person.grade_band,
            "account_created": person.created_at,
        }
    )


def coaching(person: User) -> list[dict]:
    found = db.session.scalars(
        select(CoachingRecord)
        .where(CoachingRecord.coachee_id == person.id)
        .options(selectinload(CoachingRecord.goals), selectinload(CoachingRecord.cycles))
        .order_by(CoachingRecord.start_year)
    )
    return [
        {
            "school_year": f"{record.start_year}-{record.start_year + 1}",
            "goals": [
                {
                    "goal": goal.text,
                    "status": goal.status,
                    "evidence": [{"label": e.label, "link": e.url} for e in goal.evidence],
                }
                for goal in record.goals
            ],
            "cycles": [clean({"focus": c.focus, "phase": c.phase, "started_on": c.started_on}) for c in record.cycles],
            "shared_log_entries": [
                clean({"day": a.day, "kind": a.kind, "minutes": a.minutes, "notes": a.notes, "next_step": a.next_step})
                for a in record.activities
                if a.shared_with_coachee
            ],
        }
        for record in found
    ]


def cohorts(person: User, archive: zipfile.ZipFile) -> list[dict]:
    memberships = db.session.scalars(select(CohortMember).where(CohortMember.user_id == person.id))
    attendance = db.session.scalars(select(MeetingAttendance).where(MeetingAttendance.user_id == person.id)).all()
    cohorts = []
    for member in memberships:
        plan = None
        if member.plan_file and (plans.folder() / member.plan_file).exists():
            plan = f"plans/growth-plan-{member.cohort_id}-{member.plan_name or member.plan_file}"
            archive.write(plans.folder() / member.plan_file, plan)
        meetings = [a for a in attendance if a.meeting.cohort_id == member.cohort_id]
        cohorts.append(
            {
                "cohort": member.cohort.name,
                "school_year": f"{member.cohort.start_year}-{member.cohort.start_year + 1}",
                "growth_plan": plan,
                "meetings": [
                    clean(
                        {
                            "day": a.meeting.day,
                            "topic": a.meeting.topic,
                            "attended": a.attended,
                            "reflection": a.reflection,
                        }
                    )
                    for a in meetings
                ],
            }
        )
    return cohorts


def learning(person: User) -> list[dict]:
    entries = db.session.scalars(
        select(LearningEntry).where(LearningEntry.user_id == person.id).order_by(LearningEntry.day)
    )
    return [
        clean(
            {
                "day": e.day,
                "kind": e.kind,
                "title": e.title,
                "minutes": e.minutes,
                "when": e.setting,
                "where": e.place,
                "counts_toward": e.training.title if e.training else "",
            }
        )
        for e in entries
    ]


def showcase(person: User) -> list[dict]:
    """Items they proposed or hosted. Survey answers are not here: nothing records which were theirs."""
    items = db.session.scalars(
        select(ShowcaseItem)
        .where(or_(ShowcaseItem.observer_id == person.id, ShowcaseItem.host_id == person.id))
        .order_by(ShowcaseItem.id)
    )
    return [
        clean(
            {
                "title": i.title,
                "excerpt": i.excerpt,
                "role": "observer" if i.observer_id == person.id else "host",
                "status": i.status,
                "proposed": i.created_at,
                "withdrawn": i.withdrawn_at,
            }
        )
        for i in items
    ]


def coverage(person: User, archive: zipfile.ZipFile) -> list[dict]:
    requests = db.session.scalars(
        select(CoverageRequest).where(CoverageRequest.teacher_id == person.id).order_by(CoverageRequest.starts_at)
    )
    rows = []
    for r in requests:
        plan = None
        if r.plan_file and (plans.folder() / r.plan_file).exists():
            plan = f"plans/cover-plan-{r.id}-{r.plan_name or r.plan_file}"
            if plan not in archive.namelist():
                archive.write(plans.folder() / r.plan_file, plan)
        rows.append(
            clean(
                {
                    "day": r.day,
                    "starts_at": r.starts_at,
                    "ends_at": r.ends_at,
                    "course": r.course,
                    "reason": r.reason,
                    "status": r.status,
                    "notes_for_cover": r.notes,
                    "plan": plan,
                }
            )
        )
    return rows


def walks(person: User) -> list[dict]:
    """The classrooms they recorded on building walks, with their own evidence (no one else ever saw it)."""
    classrooms = db.session.scalars(
        select(WalkClassroom)
        .where(WalkClassroom.walker_id == person.id)
        .options(selectinload(WalkClassroom.marks))
        .order_by(WalkClassroom.id)
    )
    walks = {}
    rows = []
    for c in classrooms:
        walk = walks.get(c.walk_id) or walks.setdefault(c.walk_id, db.session.get(Walk, c.walk_id))
        marks = {walk.look_for_text(m.look_for_key) or m.look_for_key: m.state for m in c.marks}
        row = {"walk": walk.title, "school": walk.school.name, "day": c.visited_on, "grade_band": c.grade_band}
        rows.append(clean(row | {"subject_area": c.subject_area, "look_fors": marks, "evidence": c.evidence}))
    return rows


def schedule(person: User) -> list[dict]:
    assignments = db.session.scalars(select(PeriodAssignment).where(PeriodAssignment.user_id == person.id))
    return [
        {"period": a.period.name, "kind": a.kind, "course": a.course, "room": a.room, "days": a.period.days}
        for a in assignments
    ]
