"""The rules for a coaching record: goals with evidence, coaching cycles, and the coach's activity log."""

from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import select

from ..audit.services import record as audit
from ..auth.models import User
from ..extensions import db
from ..rules import RuleViolation
from ..urls import is_in_app_path
from .access import is_coach_of
from .models import (
    ActivityKind,
    CoachingActivity,
    CoachingCycle,
    CoachingRecord,
    CyclePhase,
    GoalEvidence,
    GoalStatus,
    GrowthGoal,
)

MOST_GOALS = 3
GOAL_EMPTY = "Write the goal in a sentence."
GOAL_TOO_LONG = "Keep a goal under 500 characters."
TOO_MANY_GOALS = "A record holds up to three goals; set one aside or edit it instead."
BAD_STATUS = "Choose one of the statuses listed."
EVIDENCE_LABEL = "Say what the link shows, in under 200 characters."
EVIDENCE_URL = "Give a web address starting with https://, or a Walkthrough page starting with /."
FOCUS_EMPTY = "Say what the cycle focuses on, in under 300 characters."
BAD_PHASE = "Choose one of the phases listed."
BAD_KIND = "Choose one of the kinds of coaching listed."
BAD_MINUTES = "Enter between 1 and 600 minutes."
FUTURE_DAY = "Log coaching on or before today; plan what comes next in the next step."
NOTES_TOO_LONG = "Keep notes under 2,000 characters."
NEXT_STEP_TOO_LONG = "Keep the next step under 500 characters."
NOT_YOUR_ENTRY = "Only the coach who wrote an entry can change it."


def record_for(coachee: User, start_year: int) -> CoachingRecord:
    record = db.session.scalar(
        select(CoachingRecord).where(CoachingRecord.coachee_id == coachee.id, CoachingRecord.start_year == start_year)
    )
    if record is None:
        record = CoachingRecord(coachee_id=coachee.id, start_year=start_year)
        db.session.add(record)
        db.session.flush()
    return record


def _check_goal(text: str, status: str) -> str:
    text = text.strip()
    if not text:
        raise RuleViolation(GOAL_EMPTY, field="text")
    if len(text) > 500:
        raise RuleViolation(GOAL_TOO_LONG, field="text")
    if status not in {s.value for s in GoalStatus}:
        raise RuleViolation(BAD_STATUS, field="status")
    return text


def add_goal(*, record: CoachingRecord, text: str, status: str = GoalStatus.NOT_STARTED.value) -> GrowthGoal:
    text = _check_goal(text, status)
    if len(record.goals) >= MOST_GOALS:
        raise RuleViolation(TOO_MANY_GOALS, field="text")
    goal = GrowthGoal(text=text, status=status)
    record.goals.append(goal)
    db.session.flush()
    return goal


def update_goal(*, goal: GrowthGoal, text: str, status: str) -> GrowthGoal:
    goal.text = _check_goal(text, status)
    goal.status = status
    return goal


def add_evidence(*, goal: GrowthGoal, actor: User, label: str, url: str) -> GoalEvidence:
    label, url = label.strip(), url.strip()
    if not label or len(label) > 200:
        raise RuleViolation(EVIDENCE_LABEL, field="label")
    if not _is_safe_link(url):
        raise RuleViolation(EVIDENCE_URL, field="url")
    evidence = GoalEvidence(label=label, url=url, added_by_id=actor.id)
    goal.evidence.append(evidence)
    db.session.flush()
    return evidence


def _is_safe_link(url: str) -> bool:
    """Web links or paths inside the app: never javascript:, data: or another scheme a click would run."""
    if len(url) > 500 or any(c.isspace() for c in url):
        return False
    if url.startswith("/"):
        return is_in_app_path(url)
    parts = urlsplit(url)
    return parts.scheme in ("https", "http") and bool(parts.netloc)


def delete_evidence(*, evidence: GoalEvidence, actor: User) -> None:
    coachee = evidence.goal.record.coachee
    audit(actor, "deleted", what="goal evidence link", id=evidence.id, coachee=coachee.email)
    db.session.delete(evidence)
    db.session.flush()


def start_cycle(*, record: CoachingRecord, coach: User, focus: str, started_on: date) -> CoachingCycle:
    focus = focus.strip()
    if not focus or len(focus) > 300:
        raise RuleViolation(FOCUS_EMPTY, field="focus")
    cycle = CoachingCycle(coach_id=coach.id, focus=focus, started_on=started_on)
    record.cycles.append(cycle)
    db.session.flush()
    return cycle


def move_cycle(*, cycle: CoachingCycle, phase: str) -> CoachingCycle:
    if phase not in {p.value for p in CyclePhase}:
        raise RuleViolation(BAD_PHASE, field="phase")
    cycle.phase = phase
    return cycle


def log_activity(
    *,
    record: CoachingRecord,
    coach: User,
    day: date,
    kind: str,
    minutes: int,
    notes: str = "",
    next_step: str = "",
    shared_with_coachee: bool = False,
    today: date,
) -> CoachingActivity:
    if not is_coach_of(coach, record.coachee_id):
        raise RuleViolation(NOT_YOUR_ENTRY)
    if kind not in {k.value for k in ActivityKind}:
        raise RuleViolation(BAD_KIND, field="kind")
    if not isinstance(minutes, int) or not 1 <= minutes <= 600:
        raise RuleViolation(BAD_MINUTES, field="minutes")
    if day > today:
        raise RuleViolation(FUTURE_DAY, field="day")
    if len(notes) > 2000:
        raise RuleViolation(NOTES_TOO_LONG, field="notes")
    if len(next_step) > 500:
        raise RuleViolation(NEXT_STEP_TOO_LONG, field="next_step")
    activity = CoachingActivity(
        coach_id=coach.id,
        day=day,
        kind=kind,
        minutes=minutes,
        notes=notes.strip(),
        next_step=next_step.strip(),
        shared_with_coachee=shared_with_coachee,
    )
    record.activities.append(activity)
    db.session.flush()
    return activity


def set_sharing(*, activity: CoachingActivity, coach: User, shared: bool) -> CoachingActivity:
    if activity.coach_id != coach.id:
        raise RuleViolation(NOT_YOUR_ENTRY)
    activity.shared_with_coachee = shared
    return activity


def delete_activity(*, activity: CoachingActivity, coach: User) -> None:
    if activity.coach_id != coach.id:
        raise RuleViolation(NOT_YOUR_ENTRY)
    audit(coach, "deleted", what="coaching log entry", id=activity.id, coachee=activity.record.coachee.email)
    db.session.delete(activity)
