"""The rules of a cohort: who leads and belongs, meetings and attendance, reflections and growth plans."""

import secrets
from datetime import date
from pathlib import Path

from sqlalchemy import select

from ..audit.services import record as audit
from ..auth.models import Role, User
from ..coverage import plans
from ..db_types import utcnow
from ..extensions import db
from ..learning.models import LearningKind
from ..rules import RuleViolation
from ..schools.models import SchoolLevel
from .access import membership
from .models import Cohort, CohortMeeting, CohortMember, MeetingAttendance, MeetingMode

NAME_NEEDED = "Name the cohort, in under 120 characters."
NAME_TAKEN = "There is already a cohort with that name this year."
BAD_LEVEL = "Choose a school level."
LEADER_NOT_TEACHER = "The team leader must be an active teacher."
LEADER_NOT_MEMBER = "Choose the team leader from the cohort's members; add them as a member first."
NO_ADMINS = "Admins can't join a cohort: members' reflections and growth plans are theirs and their leader's."
ADMIN_IN_COHORT = "{name} is in a cohort; admins can't be. Take them out of the cohort first."
BAD_MEETINGS = "Enter between 0 and 20 meetings."
BAD_HOURS = "Enter between 0 and 200 hours."
NOT_A_TEACHER = "Choose an active teacher."
ALREADY_MEMBER = "{name} is already in this cohort."
BAD_MODE = "Choose in person or virtual."
PLACE_TOO_LONG = "Keep the place or link under 300 characters."
TOPIC_TOO_LONG = "Keep the topic under 300 characters."
NOT_A_MEMBER = "Only members of this cohort can do that."
REFLECTION_EMPTY = "Write your reflection before saving it."
REFLECTION_TOO_LONG = "Keep the reflection under 4,000 characters."
MEETING_AHEAD = "Reflections open once the meeting has happened."
TITLE_NEEDED = "Say what the learning was, in under 200 characters."
BAD_LEARNING_KIND = "Choose one of the kinds of learning listed."
BAD_LEARNING_MINUTES = "Enter between 1 and 1,440 minutes (a whole day at most per entry)."
FUTURE_LEARNING = "Log learning once it has happened."


def _check_settings(name: str, level: str, leader: User | None, meetings: int, hours: int) -> str:
    name = name.strip()
    if not name or len(name) > 120:
        raise RuleViolation(NAME_NEEDED, field="name")
    if level not in {lv.value for lv in SchoolLevel}:
        raise RuleViolation(BAD_LEVEL, field="level")
    if leader is not None and not (leader.is_active_account and leader.has_role(Role.TEACHER)):
        raise RuleViolation(LEADER_NOT_TEACHER, field="team_leader_id")
    if leader is not None and leader.has_role(Role.ADMIN):
        raise RuleViolation(NO_ADMINS, field="team_leader_id")
    if not 0 <= meetings <= 20:
        raise RuleViolation(BAD_MEETINGS, field="meetings_required")
    if not 0 <= hours <= 200:
        raise RuleViolation(BAD_HOURS, field="hours_required")
    return name


def save_cohort(
    *,
    cohort: Cohort | None,
    name: str,
    level: str,
    region: str,
    start_year: int,
    leader: User | None,
    meetings_required: int,
    hours_required: int,
    plan_due: date | None = None,
) -> Cohort:
    name = _check_settings(name, level, leader, meetings_required, hours_required)
    if leader is not None and cohort is not None and membership(cohort, leader) is None:
        raise RuleViolation(LEADER_NOT_MEMBER, field="team_leader_id")
    clash = db.session.scalar(select(Cohort).where(Cohort.name == name, Cohort.start_year == start_year))
    if clash is not None and clash is not cohort:
        raise RuleViolation(NAME_TAKEN, field="name")
    if cohort is None:
        cohort = Cohort(start_year=start_year)
        db.session.add(cohort)
    cohort.name, cohort.level, cohort.region = name, level, region.strip()[:80]
    cohort.team_leader_id = leader.id if leader else None
    cohort.meetings_required, cohort.hours_required = meetings_required, hours_required
    cohort.plan_due = plan_due
    db.session.flush()
    if leader is not None and membership(cohort, leader) is None:  # a new cohort's leader is its first member
        add_member(cohort=cohort, person=leader)
    return cohort


def add_member(*, cohort: Cohort, person: User | None) -> CohortMember:
    if person is None or not person.is_active_account or not person.has_role(Role.TEACHER):
        raise RuleViolation(NOT_A_TEACHER, field="user_id")
    if person.has_role(Role.ADMIN):
        raise RuleViolation(NO_ADMINS, field="user_id")
    if membership(cohort, person) is not None:
        raise RuleViolation(ALREADY_MEMBER.format(name=person.name), field="user_id")
    member = CohortMember(user_id=person.id)
    cohort.members.append(member)
    db.session.flush()
    return member


def remove_member(*, cohort: Cohort, user_id: int, actor: User) -> None:
    member = next((m for m in cohort.members if m.user_id == user_id), None)
    if member is not None:
        audit(actor, "deleted", what="cohort member", id=user_id, cohort=cohort.name)
        cohort.members.remove(member)
        if cohort.team_leader_id == user_id:
            cohort.team_leader_id = None


def schedule_meeting(*, cohort: Cohort, day: date, mode: str, place: str, topic: str) -> CohortMeeting:
    if mode not in {m.value for m in MeetingMode}:
        raise RuleViolation(BAD_MODE, field="mode")
    if len(place) > 300:
        raise RuleViolation(PLACE_TOO_LONG, field="place")
    if len(topic) > 300:
        raise RuleViolation(TOPIC_TOO_LONG, field="topic")
    meeting = CohortMeeting(day=day, mode=mode, place=place.strip(), topic=topic.strip())
    cohort.meetings.append(meeting)
    db.session.flush()
    return meeting


def _attendance_of(meeting: CohortMeeting, user_id: int) -> MeetingAttendance:
    found = next((a for a in meeting.attendance if a.user_id == user_id), None)
    if found is None:
        found = MeetingAttendance(user_id=user_id, attended=False)
        meeting.attendance.append(found)
    return found


def record_attendance(*, meeting: CohortMeeting, present: set[int]) -> None:
    """Ticked members attended; everyone else in the cohort did not. Reflections already written stay."""
    for member in meeting.cohort.members:
        _attendance_of(meeting, member.user_id).attended = member.user_id in present
    db.session.flush()


def write_reflection(*, meeting: CohortMeeting, member: User, text: str, today: date) -> MeetingAttendance:
    if membership(meeting.cohort, member) is None:
        raise RuleViolation(NOT_A_MEMBER)
    if meeting.day > today:
        raise RuleViolation(MEETING_AHEAD, field="reflection")
    text = text.strip()
    if not text:
        raise RuleViolation(REFLECTION_EMPTY, field="reflection")
    if len(text) > 4000:
        raise RuleViolation(REFLECTION_TOO_LONG, field="reflection")
    attendance = _attendance_of(meeting, member.id)
    attendance.reflection, attendance.reflected_at = text, utcnow()
    db.session.flush()
    return attendance


def upload_growth_plan(*, cohort: Cohort, member: User, filename: str, raw: bytes) -> CohortMember:
    joined = membership(cohort, member)
    if joined is None:
        raise RuleViolation(NOT_A_MEMBER)
    extension = plans.check_plan(filename, raw)
    stored = secrets.token_hex(16) + extension
    (plans.folder() / stored).write_bytes(raw)
    joined.plan_file, joined.plan_name, joined.plan_uploaded_at = stored, Path(filename).name[:200], utcnow()
    db.session.flush()
    return joined


def check_learning(*, day: date, kind: str, title: str, minutes: int | None, today: date) -> str:
    title = title.strip()
    if not title or len(title) > 200:
        raise RuleViolation(TITLE_NEEDED, field="title")
    if kind not in {k.value for k in LearningKind}:
        raise RuleViolation(BAD_LEARNING_KIND, field="kind")
    if minutes is None or not 1 <= minutes <= 1440:
        raise RuleViolation(BAD_LEARNING_MINUTES, field="minutes")
    if day > today:
        raise RuleViolation(FUTURE_LEARNING, field="day")
    return title


def admin_role_problem(person: User, roles: frozenset[Role]) -> str | None:
    """auth.people asks this before giving someone roles: an admin is never a cohort's member or leader."""
    if Role.ADMIN not in roles:
        return None
    in_a_cohort = db.session.scalar(select(CohortMember.id).where(CohortMember.user_id == person.id).limit(1))
    leads = db.session.scalar(select(Cohort.id).where(Cohort.team_leader_id == person.id).limit(1))
    return ADMIN_IN_COHORT.format(name=person.name) if in_a_cohort or leads else None
