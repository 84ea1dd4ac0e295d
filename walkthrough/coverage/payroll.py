"""After the day: an admin checks what each person covered (the periods worked, a half or a full day, with
adjustments) and the payroll file for a pay period is made from those checks, and only from them, so the file's
hours always equal the verified totals."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import sheets
from ..auth.models import Role, User
from ..db_types import utcnow
from ..extensions import db
from ..rules import RuleViolation
from ..schools.models import School
from . import reasons
from .models import LIVE, CoverageRequest, CoverageStatus, CoverVerification, PayBasis

NOT_YET = "A day can be verified once it has happened."
NO_PERIODS = "Tick the periods they worked, or choose a half or full day."
ADJUSTMENT_RANGE = "An adjustment is between -480 and 480 minutes."
NOT_THIS_SCHOOL = "That cover isn't at this school."

HEADER = [
    "Name",
    "Email",
    "Role",
    sheets.day("Date"),
    "School",
    "Covering for",
    "Reason",
    "Account code",
    "Basis",
    sheets.hours("Hours"),
    "Adjustment note",
    "Verified by",
]


@dataclass
class Assignment:
    """What one person covered for one teacher on one day, and its check if an admin has made it."""

    cover: User
    teacher: User
    day: date
    requests: list[CoverageRequest]
    verification: CoverVerification | None

    @property
    def booked_minutes(self) -> int:
        return sum(r.minutes for r in self.requests)


def full_day_minutes() -> int:
    return int(current_app.config["PAYROLL_FULL_DAY_MINUTES"])


def assignments(school: School, start: date, end: date) -> list[Assignment]:
    requests = db.session.scalars(
        select(CoverageRequest)
        .where(
            CoverageRequest.school_id == school.id,
            CoverageRequest.day.between(start, end),
            CoverageRequest.cover_id.is_not(None),
            CoverageRequest.status.in_([CoverageStatus.ASSIGNED.value, CoverageStatus.CONFIRMED.value]),
        )
        .options(
            selectinload(CoverageRequest.cover),
            selectinload(CoverageRequest.teacher),
            selectinload(CoverageRequest.period),
        )
        .order_by(CoverageRequest.day, CoverageRequest.starts_at)
    )
    checks = {
        (v.cover_id, v.teacher_id, v.day): v
        for v in db.session.scalars(
            select(CoverVerification).where(
                CoverVerification.school_id == school.id, CoverVerification.day.between(start, end)
            )
        )
    }
    grouped: dict[tuple, Assignment] = {}
    for request in requests:
        key = (request.cover_id, request.teacher_id, request.day)
        if key not in grouped:
            grouped[key] = Assignment(request.cover, request.teacher, request.day, [], checks.get(key))
        grouped[key].requests.append(request)
    return list(grouped.values())


def verify(
    *,
    school: School,
    requests: list[CoverageRequest],
    basis: str,
    worked_ids: set[int],
    adjustment_minutes: int,
    note: str,
    actor: User,
    today: date,
) -> CoverVerification:
    """Record what to pay for one person's cover of one teacher's day (all of `requests`)."""
    first = requests[0]
    if any(r.school_id != school.id or r.status not in LIVE or r.cover_id != first.cover_id for r in requests):
        raise RuleViolation(NOT_THIS_SCHOOL)
    if first.day > today:
        raise RuleViolation(NOT_YET)
    if not -480 <= adjustment_minutes <= 480:
        raise RuleViolation(ADJUSTMENT_RANGE, field="adjustment_minutes")
    if basis == PayBasis.PERIODS:
        worked = [r for r in requests if r.id in worked_ids]
        if not worked:
            raise RuleViolation(NO_PERIODS, field="worked")
        minutes = sum(r.minutes for r in worked)
    elif basis == PayBasis.HALF_DAY:
        minutes = full_day_minutes() // 2
    elif basis == PayBasis.FULL_DAY:
        minutes = full_day_minutes()
    else:
        raise RuleViolation(NO_PERIODS, field="basis")
    check = db.session.scalar(
        select(CoverVerification).where(
            CoverVerification.cover_id == first.cover_id,
            CoverVerification.teacher_id == first.teacher_id,
            CoverVerification.day == first.day,
        )
    )
    if check is None:
        check = CoverVerification(
            school_id=school.id, cover_id=first.cover_id, teacher_id=first.teacher_id, day=first.day
        )
        db.session.add(check)
    check.basis, check.minutes, check.adjustment_minutes = basis, minutes, adjustment_minutes
    check.note = " ".join(note.split())[:300]
    check.reasons = ",".join(sorted({r.reason for r in requests}))[:200]
    check.verified_by_id, check.verified_at = actor.id, utcnow()
    db.session.flush()
    return check


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def payroll_rows(schools: list[School], start: date, end: date) -> list[list]:
    """One row per verified assignment in the pay period, in the order payroll reads them."""
    found = db.session.scalars(
        select(CoverVerification)
        .where(CoverVerification.school_id.in_([s.id for s in schools]), CoverVerification.day.between(start, end))
        .options(
            selectinload(CoverVerification.cover).selectinload(User.role_grants),
            selectinload(CoverVerification.teacher),
            selectinload(CoverVerification.school),
            selectinload(CoverVerification.verified_by),
        )
    ).all()
    known = {r.key: r for r in reasons.all_reasons()}
    rows = []
    for check in sorted(found, key=lambda c: (c.cover.name, c.day, c.school.name)):
        keys = [k for k in check.reasons.split(",") if k]
        rows.append(
            [
                check.cover.name,
                check.cover.email,
                "Substitute" if check.cover.has_role(Role.SUBSTITUTE) else "Staff",
                check.day,
                check.school.name,
                check.teacher.name,
                "; ".join(known[k].label if k in known else k for k in keys),
                "; ".join(sorted({known[k].account_code for k in keys if k in known and known[k].account_code})),
                PayBasis(check.basis).label,
                hours(check.paid_minutes),
                check.note,
                check.verified_by.name if check.verified_by else "",
            ]
        )
    return rows
