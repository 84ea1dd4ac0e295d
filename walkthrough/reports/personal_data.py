"""Everything Walkthrough holds that is a person's own, as one ZIP they can keep when they leave.

Their notes, evidence, photos and reflections; the replies they wrote as a host; their coaching
record as they can see it (goals, cycles and the log entries shared with them); cohort reflections
and growth plans; logged learning; cover requests and schedule. Other people's words stay out:
notes a colleague shared with them belong to that colleague."""

import io
import json
import zipfile
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..coaching.models import CoachingRecord
from ..cohorts.models import CohortMember, MeetingAttendance
from ..coverage import plans
from ..coverage.models import CoverageRequest
from ..extensions import db
from ..learning.models import LearningEntry
from ..observations.models import Observation
from ..observations.photos import photo_path
from ..schools.models import PeriodAssignment
from ..showcase.models import ShowcaseItem
from ..visits.models import SignUp, VisitSlot
from ..walks.models import Walk, WalkClassroom

README = """Your data from Walkthrough
==========================

Each .json file is plain text you can open in any editor or import elsewhere:

  profile.json        your account, roles and school
  visits_made.json    every visit you made: your notes, evidence, reflection and who you shared them with
  visits_hosted.json  visits to your class: when, who, the focus question and the replies you wrote
  signups.json        visits you booked or were booked on, and their status
  coaching.json       your coaching records: goals, cycles and the log entries your coach shared with you
  cohorts.json        your cohort memberships, attendance and meeting reflections
  learning.json       professional learning you logged
  coverage.json       cover requests for your classes
  schedule.json       your periods
  walks.json          classrooms you recorded on building walks, with your own evidence
  photos/             the photos you took during visits
  plans/              growth plans and cover plans you uploaded

Notes that colleagues shared with you are theirs, so they are not in this file.
"""


def _when(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _clean(row: dict) -> dict:
    return {key: _when(value) for key, value in row.items()}


def _profile(person: User) -> dict:
    return _clean(
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


def _visits_made(person: User, archive: zipfile.ZipFile) -> list[dict]:
    made = db.session.scalars(
        select(Observation)
        .where(Observation.observer_id == person.id)
        .options(selectinload(Observation.photos), selectinload(Observation.host), selectinload(Observation.evidence))
        .order_by(Observation.started_at)
    )
    visits = []
    for observation in made:
        texts = {slot.name: slot.value for slot in observation.slots}
        notes = {name: value for name, value in texts.items() if not name.startswith("evidence:")}
        evidence = [
            {"recorded_at": _when(e.recorded_at), "minute": e.minute, "text": texts.get(e.slot, "")}
            for e in observation.evidence
            if not e.deleted
        ]
        photos = []
        for photo in observation.photos:
            path = photo_path(photo)
            if path.exists():
                name = f"photos/visit-{observation.id}-photo-{photo.id}.jpg"
                archive.write(path, name)
                photos.append({"file": name, "caption": photo.caption, "taken": _when(photo.created_at)})
        visits.append(
            _clean(
                {
                    "day": observation.day,
                    "host": observation.host.name,
                    "protocol": observation.protocol_version.protocol.name,
                    "focus_question": observation.focus_question,
                    "started_at": observation.started_at,
                    "finished_at": observation.finished_at,
                    "notes": notes,
                    "evidence": evidence,
                    "photos": photos,
                    "shared_with_host_at": observation.shared_with_host_at,
                    "shared_with_coach": observation.shared_with_coach.name if observation.shared_with_coach else None,
                    "host_reply": observation.host_reply,
                }
            )
        )
    return visits


def _visits_hosted(person: User) -> list[dict]:
    hosted = db.session.scalars(
        select(Observation)
        .where(Observation.host_id == person.id)
        .options(selectinload(Observation.observer))
        .order_by(Observation.started_at)
    )
    return [
        _clean(
            {
                "day": o.day,
                "observer": o.observer.name,
                "focus_question": o.focus_question,
                "notes_shared_with_you": o.shared_with_host_at is not None,
                "your_reply": o.host_reply,
                "replied_at": o.host_replied_at,
            }
        )
        for o in hosted
    ]


def _signups(person: User) -> list[dict]:
    rows = db.session.execute(
        select(SignUp, VisitSlot)
        .join(VisitSlot)
        .where(or_(SignUp.observer_id == person.id, VisitSlot.host_id == person.id))
        .order_by(VisitSlot.starts_at)
    )
    return [
        _clean(
            {
                "role": "observer" if signup.observer_id == person.id else "host",
                "day": slot.day,
                "starts_at": slot.starts_at,
                "ends_at": slot.ends_at,
                "room": slot.room,
                "status": signup.status,
            }
        )
        for signup, slot in rows
    ]


def _coaching(person: User) -> list[dict]:
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
            "cycles": [_clean({"focus": c.focus, "phase": c.phase, "started_on": c.started_on}) for c in record.cycles],
            "shared_log_entries": [
                _clean({"day": a.day, "kind": a.kind, "minutes": a.minutes, "notes": a.notes, "next_step": a.next_step})
                for a in record.activities
                if a.shared_with_coachee
            ],
        }
        for record in found
    ]


def _cohorts(person: User, archive: zipfile.ZipFile) -> list[dict]:
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
                    _clean(
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


def _learning(person: User) -> list[dict]:
    entries = db.session.scalars(
        select(LearningEntry).where(LearningEntry.user_id == person.id).order_by(LearningEntry.day)
    )
    return [
        _clean(
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


def _showcase(person: User) -> list[dict]:
    """Items they proposed or hosted. Survey answers are not here: nothing records which were theirs."""
    items = db.session.scalars(
        select(ShowcaseItem)
        .where(or_(ShowcaseItem.observer_id == person.id, ShowcaseItem.host_id == person.id))
        .order_by(ShowcaseItem.id)
    )
    return [
        _clean(
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


def _coverage(person: User, archive: zipfile.ZipFile) -> list[dict]:
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
            _clean(
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


def _walks(person: User) -> list[dict]:
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
        rows.append(_clean(row | {"subject_area": c.subject_area, "look_fors": marks, "evidence": c.evidence}))
    return rows


def _schedule(person: User) -> list[dict]:
    assignments = db.session.scalars(select(PeriodAssignment).where(PeriodAssignment.user_id == person.id))
    return [
        {"period": a.period.name, "kind": a.kind, "course": a.course, "room": a.room, "days": a.period.days}
        for a in assignments
    ]


def build_archive(person: User) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        parts = {
            "profile.json": _profile(person),
            "visits_made.json": _visits_made(person, archive),
            "visits_hosted.json": _visits_hosted(person),
            "signups.json": _signups(person),
            "coaching.json": _coaching(person),
            "cohorts.json": _cohorts(person, archive),
            "learning.json": _learning(person),
            "coverage.json": _coverage(person, archive),
            "schedule.json": _schedule(person),
            "walks.json": _walks(person),
            "showcase.json": _showcase(person),
        }
        archive.writestr("README.txt", README)
        for name, content in parts.items():
            archive.writestr(name, json.dumps(content, indent=2, ensure_ascii=False))
    return out.getvalue()
