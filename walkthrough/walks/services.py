"""Planning and announcing building walkthroughs, and sending what the team noticed (a classroom's capture
is in capture.py).

Every message is written to the outbox in the same transaction as the change it tells about."""

from datetime import date, timedelta

from sqlalchemy import select, update

from ..auth.models import Role, RoleGrant, User
from ..auth.people import staff
from ..db_types import utcnow
from ..extensions import db
from ..outbox.services import send_email
from ..rules import RuleViolation
from ..schools.models import School
from ..schools.times import local_today
from ..urls import external_url
from .access import can_manage, can_plan, can_summarise
from .models import (
    Walk,
    WalkKind,
    WalkSummary,
    WalkTeamMember,
    WalkTool,
)

LONGEST_WALK_DAYS = 14
SUMMARY_WITHIN_DAYS = 7

NOT_YOUR_SCHOOL = "You can plan walks only at a school you work in."
NEEDS_FOCUS = "Say what the walk looks at, e.g. “Student discourse”."
NEEDS_TEAM = "Choose at least one person for the team."
NOT_STAFF = "Team members work at the school or across the district."
ENDS_BEFORE_START = "The last day is before the first."
TOO_LONG = f"A walk lasts at most {LONGEST_WALK_DAYS} days; plan another for later."
IN_THE_PAST = "The walk is announced to staff beforehand, so it can't start in the past."
NOT_ENDED = "Send the summary once the walk has begun; it is about what the team saw."
ALREADY_SENT = "This summary was sent to staff already."
NEEDS_NOTICED = "Write what the team noticed."
CANNOT_SUMMARISE = "Only the walk's team and its planners write its summary."
CANNOT_CHANGE_TEAM = "Only the walk's planners change its team."
TEAM_FIXED = "The walk is over or cancelled; its team stays as it was."


def team_candidates(school: School) -> list[User]:
    """Who may walk: the school's admins, coaches and teachers, and district-wide admins and coaches."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.is_active_account.is_(True),
                User.departed_at.is_(None),
                (User.school_id == school.id)
                | (
                    User.school_id.is_(None)
                    & User.id.in_(
                        select(RoleGrant.user_id).where(RoleGrant.role.in_([Role.ADMIN.value, Role.COACH.value]))
                    )
                ),
                User.id.in_(
                    select(RoleGrant.user_id).where(
                        RoleGrant.role.in_([Role.ADMIN.value, Role.COACH.value, Role.TEACHER.value])
                    )
                ),
            )
            .order_by(User.name)
        )
    )


def school_staff(school: School) -> list[User]:
    """Everyone who works at the school and is told about its walks."""
    return staff(school_id=school.id)


def plan_walk(
    *,
    actor: User,
    school: School,
    tool: WalkTool,
    kind: str,
    focus: str,
    starts_on: date,
    ends_on: date,
    team_ids: list[int],
) -> Walk:
    if not can_plan(actor, school):
        raise RuleViolation(NOT_YOUR_SCHOOL, field="school_id")
    if kind not in {k.value for k in WalkKind}:
        raise RuleViolation("Choose the kind of walk.", field="kind")
    if not focus.strip():
        raise RuleViolation(NEEDS_FOCUS, field="focus")
    if ends_on < starts_on:
        raise RuleViolation(ENDS_BEFORE_START, field="ends_on")
    if (ends_on - starts_on).days >= LONGEST_WALK_DAYS:
        raise RuleViolation(TOO_LONG, field="ends_on")
    if starts_on < local_today(school):
        raise RuleViolation(IN_THE_PAST, field="starts_on")
    candidates = {person.id: person for person in team_candidates(school)}
    if not team_ids:
        raise RuleViolation(NEEDS_TEAM, field="team")
    if any(person_id not in candidates for person_id in team_ids):
        raise RuleViolation(NOT_STAFF, field="team")
    walk = Walk(
        school_id=school.id,
        tool_id=tool.id,
        kind=kind,
        focus=focus.strip()[:200],
        starts_on=starts_on,
        ends_on=ends_on,
        look_fors=[dict(item) for item in tool.look_fors],
        created_by_id=actor.id,
    )
    walk.team = [WalkTeamMember(user_id=person_id) for person_id in dict.fromkeys(team_ids)]
    db.session.add(walk)
    db.session.flush()
    _announce(walk, school, [candidates[person_id] for person_id in dict.fromkeys(team_ids)])
    return walk


def _announce(walk: Walk, school: School, team: list[User]) -> None:
    """Staff hear who is coming, when, what the team looks for, and that nothing is about a teacher."""
    told = {person.id: person for person in school_staff(school)} | {person.id: person for person in team}
    link = external_url("walks.walk", walk_id=walk.id)
    for person in told.values():
        send_email(
            to=person.email, kind="walks/announced", person=person, walk=walk, school=school, team=team, link=link
        )
    walk.announced_at = utcnow()
    db.session.flush()


def change_team(*, walk: Walk, actor: User, team_ids: list[int]) -> Walk:
    """Someone is ill, someone else can come: the team changes until the walk ends. Classrooms a former
    member recorded stay in the results; only the team records more."""
    if not can_manage(actor, walk):
        raise RuleViolation(CANNOT_CHANGE_TEAM)
    if walk.cancelled_at is not None or walk.ends_on < local_today(walk.school):
        raise RuleViolation(TEAM_FIXED)
    candidates = {person.id for person in team_candidates(walk.school)}
    if not team_ids:
        raise RuleViolation(NEEDS_TEAM, field="team")
    if any(person_id not in candidates for person_id in team_ids):
        raise RuleViolation(NOT_STAFF, field="team")
    wanted = set(team_ids)
    walk.team = [m for m in walk.team if m.user_id in wanted] + [
        WalkTeamMember(user_id=person_id) for person_id in dict.fromkeys(team_ids) if not on_team_id(walk, person_id)
    ]
    db.session.flush()
    return walk


def on_team_id(walk: Walk, person_id: int) -> bool:
    return any(member.user_id == person_id for member in walk.team)


def take_turn_on(walk: Walk) -> None:
    """Write to the walk's row first, so two people sending its summary or cancelling it at once take
    turns (a row lock on PostgreSQL, the write lock on SQLite) and the second sees what the first did."""
    db.session.execute(update(Walk).where(Walk.id == walk.id).values(focus=Walk.focus))
    db.session.refresh(walk)


def cancel_walk(*, walk: Walk, actor: User) -> None:
    take_turn_on(walk)
    if walk.cancelled_at is not None:
        raise RuleViolation("The walk is cancelled already.")
    walk.cancelled_at = utcnow()
    db.session.flush()
    if walk.announced_at is None or walk.ends_on < local_today(walk.school):
        return
    team = [member.user for member in walk.team]
    told = {p.id: p for p in school_staff(walk.school)} | {p.id: p for p in team}
    for person in told.values():
        send_email(to=person.email, kind="walks/cancelled", person=person, walk=walk, actor=actor)


def summary_due(walk: Walk) -> date:
    return walk.ends_on + timedelta(days=SUMMARY_WITHIN_DAYS)


def save_summary(*, walk: Walk, actor: User, noticed: str, wondered: str, send: bool) -> WalkSummary:
    if not can_summarise(actor, walk):
        raise RuleViolation(CANNOT_SUMMARISE)
    take_turn_on(walk)
    summary = db.session.get(WalkSummary, walk.id, populate_existing=True) or WalkSummary(walk_id=walk.id)
    if summary.sent_at is not None:
        raise RuleViolation(ALREADY_SENT)
    if send and not noticed.strip():
        raise RuleViolation(NEEDS_NOTICED, field="noticed")
    if send and local_today(walk.school) < walk.starts_on:
        raise RuleViolation(NOT_ENDED)
    summary.noticed, summary.wondered = noticed.strip()[:4000], wondered.strip()[:4000]
    summary.written_by_id, summary.updated_at = actor.id, utcnow()
    db.session.add(summary)
    db.session.flush()
    if send:
        summary.sent_at = utcnow()
        link = external_url("walks.walk", walk_id=walk.id)
        team = [member.user for member in walk.team]
        told = {p.id: p for p in school_staff(walk.school)} | {p.id: p for p in team}
        for person in told.values():
            send_email(to=person.email, kind="walks/noticed", person=person, walk=walk, summary=summary, link=link)
        db.session.flush()
    return summary
