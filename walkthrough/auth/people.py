"""Admins changing people's accounts, under the rules that keep admin power away from notes:
nobody changes their own roles, the admin and coach roles are never one person's, an account in use
changes its email only through its owner, and every role change is audited and told to the person."""

import re
from collections.abc import Callable

from sqlalchemy import and_, select

from ..audit.services import record as audit
from ..extensions import db
from ..outbox.services import send_email
from ..rules import RuleViolation
from ..urls import external_url
from . import sessions
from .email_change import correct_invitation_email
from .models import Role, RoleGrant, User
from .services import ADMIN_AND_COACH

GRADE_BAND_INVALID = "Write a grade band like K-2, 3-5, 6-8 or 9-12."
CANNOT_DEACTIVATE_SELF = "You can't deactivate yourself; ask another admin."
CANNOT_CHANGE_OWN_ROLES = "You can't change your own roles; ask another admin."
OUTSIDE_YOUR_SCHOOL = "You can only manage people at your own school."

_GRADE = r"(?:PK|K|[1-9]|1[0-2])"
GRADE_BAND_PATTERN = re.compile(rf"^{_GRADE}(?:-{_GRADE})?$", re.IGNORECASE)

# Features that hold their own rules about roles (cohorts: an admin is never a member) add a check here,
# so this module needn't know them. A check takes the person and the roles they would have and returns a
# message when the change is refused.
ROLE_CHECKS: list[Callable[[User, frozenset[Role]], str | None]] = []


def clean_grade_band(value: str) -> str:
    value = value.strip().upper().replace("–", "-").replace(" ", "")
    if value and not GRADE_BAND_PATTERN.match(value):
        raise RuleViolation(GRADE_BAND_INVALID, field="grade_band")
    return value


def clean_subjects(value: str) -> str:
    return "; ".join(part.strip() for part in re.split(r"[;|]", value) if part.strip())


def role_problem(*, person: User | None, actor: User | None, roles: set[Role]) -> str | None:
    """Why these roles can't be given to this person by this actor, or None. Also used by the roster import."""
    wanted = frozenset(roles)
    if person is not None and actor is not None and person.id == actor.id and wanted != person.roles:
        return CANNOT_CHANGE_OWN_ROLES
    if {Role.ADMIN, Role.COACH} <= wanted:
        return ADMIN_AND_COACH
    if person is not None and person.id is not None and wanted != person.roles:
        for check in ROLE_CHECKS:
            if problem := check(person, wanted):
                return problem
    return None


def change_roles(*, person: User, roles: set[Role], actor: User | None) -> None:
    """Give this person these roles (the caller has checked role_problem): audited, the person told, and
    their devices signed out so no page keeps powers they no longer have."""
    before, after = sorted(r.value for r in person.roles), sorted(r.value for r in roles)
    if before == after:
        return
    person.set_roles(roles)
    if person.id is None:
        return
    audit(actor, "roles_changed", person=person.email, before=before, after=after)
    sessions.end_sessions(person)
    send_email(
        to=person.email,
        kind="auth/roles_changed",
        person=person,
        actor=actor,
        before=before,
        after=after,
        link=external_url("auth.login"),
    )


def update_person(
    *,
    person: User,
    actor: User,
    name: str,
    email: str,
    roles: set[Role],
    school_id: int | None,
    subjects: str,
    grade_band: str,
    active: bool,
    release_hours: float | None = None,
) -> User:
    if actor.school_id is not None and school_id != actor.school_id:
        raise RuleViolation(OUTSIDE_YOUR_SCHOOL, field="school_id")
    if person.id == actor.id and not active:
        raise RuleViolation(CANNOT_DEACTIVATE_SELF, field="active")
    if problem := role_problem(person=person, actor=actor, roles=roles):
        raise RuleViolation(problem, field="roles")
    grade_band = clean_grade_band(grade_band)  # every check before anything is written or emailed
    correct_invitation_email(person=person, new_email=email, actor=actor)
    if person.is_active_account != active:
        audit(actor, "account_reactivated" if active else "account_deactivated", person=person.email)
        if not active:
            sessions.end_sessions(person)
    change_roles(person=person, roles=roles, actor=actor)
    person.name = name.strip()
    person.school_id = school_id
    person.subjects = clean_subjects(subjects)
    person.grade_band = grade_band
    person.is_active_account = active
    person.release_minutes = round(release_hours * 60) if release_hours is not None else None
    db.session.flush()
    return person


STAFF_ROLES = (Role.ADMIN, Role.COACH, Role.TEACHER)


def staff(*, school_id: int | None = None, roles=STAFF_ROLES) -> list[User]:
    """Active people who work in a school (one school's, or every school's when none is given) holding one of
    the roles: substitutes work across schools day by day and aren't anyone's staff."""
    return list(db.session.scalars(select(User).where(staff_filter(school_id, roles)).order_by(User.name)))


def staff_filter(school_id: int | None = None, roles=STAFF_ROLES):
    """The rule of `staff` as a condition, for queries that need only a column or two of thousands of people."""
    return and_(
        User.is_active_account.is_(True),
        User.departed_at.is_(None),
        User.school_id.is_not(None) if school_id is None else User.school_id == school_id,
        User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role.in_([role.value for role in roles]))),
    )
