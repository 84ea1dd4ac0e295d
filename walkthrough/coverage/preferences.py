"""Who a school wants covering its classes: its preferred substitutes (school-wide or for one teacher), who
hear about a job first, and its do-not-send list, which is audited and never shown to the person on it.
And the days a substitute has said they can't work."""

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import delete, select

from ..audit.services import record as audit
from ..auth.models import Role, User
from ..auth.people import clean_grade_band, clean_subjects
from ..extensions import db
from ..rules import RuleViolation
from ..schools.models import School
from ..sql_lists import one_of
from .availability import pool_of
from .models import DoNotSend, PreferredSubstitute, SubstituteDayOff, SubstitutePool, SubstituteProfile

NOT_IN_POOL = "Choose a substitute who serves this school."
NO_REASON = "Say why, for the other admins (the substitute never sees it)."
DAY_PASSED = "Choose a day that hasn't passed."


def _check_serves(school: School, substitute: User | None) -> User:
    if substitute is None or not substitute.has_role(Role.SUBSTITUTE) or substitute.id not in pool_of(school):
        raise RuleViolation(NOT_IN_POOL, field="substitute_id")
    return substitute


def prefer(*, school: School, substitute: User | None, teacher: User | None = None) -> None:
    substitute = _check_serves(school, substitute)
    teacher_id = teacher.id if teacher is not None else None
    exists = select(PreferredSubstitute).where(
        PreferredSubstitute.school_id == school.id,
        PreferredSubstitute.substitute_id == substitute.id,
        PreferredSubstitute.teacher_id.is_(None)
        if teacher_id is None
        else PreferredSubstitute.teacher_id == teacher_id,
    )
    if db.session.scalar(exists) is None:
        db.session.add(PreferredSubstitute(school_id=school.id, substitute_id=substitute.id, teacher_id=teacher_id))
        db.session.flush()


def stop_preferring(*, school: School, preference_id: int) -> None:
    db.session.execute(
        delete(PreferredSubstitute).where(
            PreferredSubstitute.id == preference_id, PreferredSubstitute.school_id == school.id
        )
    )


def block(*, school: School, substitute: User | None, reason: str, actor: User) -> None:
    substitute = _check_serves(school, substitute)
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise RuleViolation(NO_REASON, field="reason")
    found = db.session.scalar(
        select(DoNotSend).where(DoNotSend.school_id == school.id, DoNotSend.substitute_id == substitute.id)
    )
    if found is None:
        db.session.add(DoNotSend(school_id=school.id, substitute_id=substitute.id, reason=reason, added_by_id=actor.id))
    else:
        found.reason = reason
    audit(actor, "do_not_send_added", substitute=substitute.email, school=school.name, reason=reason)
    db.session.flush()


def unblock(*, school: School, substitute_id: int, actor: User) -> None:
    found = db.session.scalar(
        select(DoNotSend).where(DoNotSend.school_id == school.id, DoNotSend.substitute_id == substitute_id)
    )
    if found is not None:
        audit(actor, "do_not_send_removed", substitute=found.substitute.email, school=school.name)
        db.session.delete(found)
        db.session.flush()


def add_day_off(*, substitute: User, day: date, today: date) -> None:
    if day < today:
        raise RuleViolation(DAY_PASSED, field="day")
    exists = select(SubstituteDayOff).where(
        SubstituteDayOff.substitute_id == substitute.id, SubstituteDayOff.day == day
    )
    if db.session.scalar(exists) is None:
        db.session.add(SubstituteDayOff(substitute_id=substitute.id, day=day))
        db.session.flush()


def remove_day_off(*, substitute: User, day_off_id: int) -> None:
    db.session.execute(
        delete(SubstituteDayOff).where(
            SubstituteDayOff.id == day_off_id, SubstituteDayOff.substitute_id == substitute.id
        )
    )


def days_off(substitute: User, today: date) -> list[SubstituteDayOff]:
    return list(
        db.session.scalars(
            select(SubstituteDayOff)
            .where(SubstituteDayOff.substitute_id == substitute.id, SubstituteDayOff.day >= today)
            .order_by(SubstituteDayOff.day)
        )
    )


def school_settings(school: School) -> tuple[list[PreferredSubstitute], list[DoNotSend]]:
    preferred = db.session.scalars(
        select(PreferredSubstitute).where(PreferredSubstitute.school_id == school.id).order_by(PreferredSubstitute.id)
    ).all()
    blocked = db.session.scalars(
        select(DoNotSend).where(DoNotSend.school_id == school.id).order_by(DoNotSend.created_at)
    ).all()
    return list(preferred), list(blocked)


@dataclass(frozen=True)
class Fit:
    """A substitute's subjects, grade band, certifications and languages, as the board shows them."""

    subjects: str = ""
    grade_band: str = ""
    certifications: str = ""
    languages: str = ""

    def summary(self) -> str:
        return " · ".join(
            part for part in (self.subjects, self.grade_band, self.certifications, self.languages) if part
        )

    def matches(self, teacher: User) -> bool:
        """Teaches one of the teacher's subjects, or the teacher's grade band."""
        mine = {s.strip().lower() for s in self.subjects.split(";") if s.strip()}
        theirs = {s.strip().lower() for s in (teacher.subjects or "").split(";") if s.strip()}
        return bool(mine & theirs) or bool(self.grade_band and self.grade_band == teacher.grade_band)


def fits(substitute_ids: list[int]) -> dict[int, Fit]:
    """Every listed substitute's fit, in one read."""
    if not substitute_ids:
        return {}
    return {
        user_id: Fit(subjects or "", grade_band or "", certifications or "", languages or "")
        for user_id, subjects, grade_band, certifications, languages in db.session.execute(
            _fits(), {"ids": sorted(substitute_ids)}
        )
    }


@cache  # built once: the board asks it on every view (see coverage.availability)
def _fits():
    return (
        select(User.id, User.subjects, User.grade_band, SubstituteProfile.certifications, SubstituteProfile.languages)
        .outerjoin(SubstituteProfile, SubstituteProfile.user_id == User.id)
        .where(one_of(User.id, "ids"))
    )


def profile_of(substitute: User) -> SubstituteProfile:
    return db.session.get(SubstituteProfile, substitute.id) or SubstituteProfile(
        user_id=substitute.id, certifications="", languages="", preferred_schools=""
    )


def save_profile(
    *,
    substitute: User,
    subjects: str,
    grade_band: str,
    certifications: str,
    languages: str,
    preferred_school_ids: set[int] = frozenset(),
) -> None:
    substitute.grade_band = clean_grade_band(grade_band)
    substitute.subjects = clean_subjects(subjects)[:255]
    profile = profile_of(substitute)
    profile.certifications = clean_subjects(certifications)[:255]
    profile.languages = clean_subjects(languages)[:255]
    serves = set(
        db.session.scalars(select(SubstitutePool.school_id).where(SubstitutePool.substitute_id == substitute.id))
    )
    profile.preferred_schools = ",".join(str(i) for i in sorted(preferred_school_ids & serves))[:255]
    db.session.add(profile)
    db.session.flush()
