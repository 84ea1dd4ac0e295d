"""Previewing and applying a roster: nothing is written unless the whole file is valid, and
importing the same file twice changes nothing (people are matched by email)."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.models import Role, User
from ..auth.people import change_roles
from ..auth.services import send_invitation
from ..extensions import db
from ..schools.models import PeriodAssignment, School
from .reading import PersonEntry, Problem, RosterRows, RowChecker, read_csv


@dataclass
class PersonChange:
    email: str
    name: str
    row: int
    fields: list[str]


@dataclass
class RosterPlan:
    rows: RosterRows
    new_people: list[PersonEntry] = field(default_factory=list)
    changed_people: list[PersonChange] = field(default_factory=list)
    unchanged_people: int = 0
    schedules_changed: int = 0

    @property
    def problems(self) -> list[Problem]:
        return self.rows.problems

    @property
    def is_valid(self) -> bool:
        return not self.rows.problems

    @property
    def import_label(self) -> str:
        """The import button's words: how many people the import adds or changes."""
        count = len(self.new_people) + len(self.changed_people)
        return f"Import {count} change{'' if count == 1 else 's'}"

    @property
    def changes_anything(self) -> bool:
        return bool(self.new_people or self.changed_people or self.schedules_changed)


@dataclass
class RosterResult:
    created: int
    updated: int
    unchanged: int
    schedules_changed: int
    invited: int


def _existing_people(emails: list[str]) -> dict[str, User]:
    users = db.session.scalars(
        select(User).where(User.email.in_(emails)).options(selectinload(User.period_assignments))
    ).all()
    return {u.email: u for u in users}


def _assignment_set(entries) -> set[tuple]:
    return {(e.period.id, e.kind.value, e.course, e.room) for e in entries}


def _current_assignments(user: User) -> set[tuple]:
    return {(a.period_id, a.kind, a.course, a.room) for a in user.period_assignments}


def _changed_fields(user: User, entry: PersonEntry) -> list[str]:
    wanted = {
        "name": entry.name,
        "roles": set(entry.roles),
        "school": entry.school.id if entry.school else None,
        "subjects": entry.subjects,
        "grade_band": entry.grade_band,
    }
    current = {
        "name": user.name,
        "roles": user.roles,
        "school": user.school_id,
        "subjects": user.subjects,
        "grade_band": user.grade_band,
    }
    return [name for name in wanted if wanted[name] != current[name]]


def plan_roster(text: str, *, actor: User | None) -> RosterPlan:
    """Check the whole file and work out what importing it would change, without writing."""
    raw_rows, problems = read_csv(text)
    if problems:
        return RosterPlan(rows=RosterRows(problems=problems))
    schools = db.session.scalars(select(School).options(selectinload(School.periods))).all()
    emails = sorted({values["email"].lower() for _, values in raw_rows if values["email"]})
    existing = _existing_people(emails)
    checker = RowChecker(schools=list(schools), actor=actor, existing=existing)
    for row, values in raw_rows:
        checker.check(row, values)
    plan = RosterPlan(rows=checker.result)
    if not plan.is_valid:
        return plan
    for email, entry in plan.rows.people.items():
        user = existing.get(email)
        wanted_schedule = _assignment_set(plan.rows.periods.get(email, {}).values())
        if user is None:
            plan.new_people.append(entry)
            plan.schedules_changed += bool(wanted_schedule)
            continue
        changed = _changed_fields(user, entry)
        if wanted_schedule != _current_assignments(user):
            plan.schedules_changed += 1
            changed.append("schedule")
        if changed:
            plan.changed_people.append(PersonChange(email, entry.name, entry.row, changed))
        else:
            plan.unchanged_people += 1
    return plan


def _sync_schedule(user: User, entries) -> None:
    current = {a.period_id: a for a in user.period_assignments}
    wanted = {e.period.id: e for e in entries}
    for period_id, assignment in current.items():
        if period_id not in wanted:
            user.period_assignments.remove(assignment)
            db.session.delete(assignment)
    for period_id, entry in wanted.items():
        assignment = current.get(period_id)
        if assignment is None:
            assignment = PeriodAssignment(period_id=period_id)
            user.period_assignments.append(assignment)
        assignment.kind, assignment.course, assignment.room = entry.kind.value, entry.course, entry.room


def apply_roster(plan: RosterPlan, *, actor: User | None, invite_new: bool) -> RosterResult:
    """Write a valid plan. The caller commits, so the whole file lands in one transaction."""
    if not plan.is_valid:
        raise ValueError("apply_roster needs a plan without problems")
    existing = _existing_people(list(plan.rows.people))
    created = []
    for email, entry in plan.rows.people.items():
        user = existing.get(email)
        if user is None:
            user = User(email=email)
            db.session.add(user)
            created.append(user)
        if _changed_fields(user, entry) or user in created:
            user.name, user.subjects, user.grade_band = entry.name, entry.subjects, entry.grade_band
            user.school_id = entry.school.id if entry.school else None
            change_roles(person=user, roles=set(entry.roles), actor=actor)
        _sync_schedule(user, plan.rows.periods.get(email, {}).values())
    db.session.flush()
    invited = 0
    if invite_new:
        for user in created:
            send_invitation(user=user, invited_by=actor)
            invited += 1
    return RosterResult(
        created=len(created),
        updated=len(plan.changed_people),
        unchanged=plan.unchanged_people,
        schedules_changed=plan.schedules_changed,
        invited=invited,
    )


def teachers_without_schedule(plan: RosterPlan) -> list[str]:
    return [e for e, p in plan.rows.people.items() if Role.TEACHER in p.roles and not plan.rows.periods.get(e)]
