"""Admins changing people's accounts."""

import re

from sqlalchemy import func, select

from ..audit.services import record as audit
from ..extensions import db
from ..rules import RuleViolation
from .models import Role, User
from .services import EMAIL_TAKEN, normalise_email

GRADE_BAND_INVALID = "Write a grade band like K-2, 3-5, 6-8 or 9-12."
CANNOT_DROP_OWN_ADMIN = "You can't remove your own admin role or deactivate yourself; ask another admin."
OUTSIDE_YOUR_SCHOOL = "You can only manage people at your own school."

_GRADE = r"(?:PK|K|[1-9]|1[0-2])"
GRADE_BAND_PATTERN = re.compile(rf"^{_GRADE}(?:-{_GRADE})?$", re.IGNORECASE)


def clean_grade_band(value: str) -> str:
    value = value.strip().upper().replace("–", "-").replace(" ", "")
    if value and not GRADE_BAND_PATTERN.match(value):
        raise RuleViolation(GRADE_BAND_INVALID, field="grade_band")
    return value


def clean_subjects(value: str) -> str:
    return "; ".join(part.strip() for part in re.split(r"[;|]", value) if part.strip())


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
    if person.id == actor.id and (Role.ADMIN not in roles or not active):
        raise RuleViolation(CANNOT_DROP_OWN_ADMIN, field="roles")
    email = normalise_email(email)
    taken = db.session.scalar(select(func.count()).select_from(User).where(User.email == email, User.id != person.id))
    if taken:
        raise RuleViolation(EMAIL_TAKEN, field="email")
    before = sorted(role.value for role in person.roles)
    if before != sorted(role.value for role in roles):
        audit(actor, "roles_changed", person=email, before=before, after=sorted(role.value for role in roles))
    if person.is_active_account != active:
        audit(actor, "account_reactivated" if active else "account_deactivated", person=email)
    person.name = name.strip()
    person.email = email
    person.set_roles(roles)
    person.school_id = school_id
    person.subjects = clean_subjects(subjects)
    person.grade_band = clean_grade_band(grade_band)
    person.is_active_account = active
    person.release_minutes = round(release_hours * 60) if release_hours is not None else None
    db.session.flush()
    return person
