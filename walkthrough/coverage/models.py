from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class CoverageStatus(StrEnum):
    PENDING = "pending"  # the visit behind it waits for an admin's approval
    OPEN = "open"
    ASSIGNED = "assigned"  # an admin chose the cover
    CONFIRMED = "confirmed"  # the cover accepted (substitutes accepting from the job board land here)
    CANCELLED = "cancelled"


STATUS_LABELS = {"pending": "Waiting for approval", "open": "Needs cover"}

LIVE = (
    CoverageStatus.PENDING.value,
    CoverageStatus.OPEN.value,
    CoverageStatus.ASSIGNED.value,
    CoverageStatus.CONFIRMED.value,
)


class CoverageRequest(db.Model):
    """One class period that needs someone else in the room while its teacher is away."""

    __tablename__ = "coverage_requests"
    # Whether a cover is free: each candidate's bookings around one day, found by person then time.
    __table_args__ = (Index("ix_coverage_requests_cover_starts", "cover_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int | None] = mapped_column(ForeignKey("bell_periods.id", ondelete="SET NULL"))
    signup_id: Mapped[int | None] = mapped_column(ForeignKey("signups.id", ondelete="SET NULL"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # the board looks across a week
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room: Mapped[str] = mapped_column(String(40), default="")
    course: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    plan_file: Mapped[str | None] = mapped_column(String(60))  # stored name, outside static/
    plan_name: Mapped[str] = mapped_column(String(200), default="")  # the name the teacher uploaded
    status: Mapped[str] = mapped_column(String(12), index=True, default=CoverageStatus.OPEN.value)
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Call-out: when substitutes were first told the class is open, and when it was announced again.
    called_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    called_again_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A colleague an admin assigned says they will cover it (a decline reopens the class).
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    teacher = relationship("User", foreign_keys=[teacher_id])
    cover = relationship("User", foreign_keys=[cover_id])
    assigned_by = relationship("User", foreign_keys=[assigned_by_id])
    school = relationship("School")
    period = relationship("BellPeriod")
    signup = relationship("SignUp")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status.capitalize())

    @property
    def is_cancelled(self) -> bool:
        return self.status == CoverageStatus.CANCELLED

    @property
    def has_started(self) -> bool:
        """A class whose cover has begun is on the record (payroll, fill rate): the teacher no longer withdraws it."""
        return self.starts_at <= utcnow()

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SubstitutePool(db.Model):
    """The schools a substitute serves."""

    __tablename__ = "substitute_pool"

    id: Mapped[int] = mapped_column(primary_key=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)

    substitute = relationship("User")
    school = relationship("School")

    __table_args__ = (UniqueConstraint("substitute_id", "school_id", name="uq_substitute_pool_substitute_school"),)


class SubstituteDayOff(db.Model):
    """A day a substitute has said they can't work: no call-out, no job offered, not on the board."""

    __tablename__ = "substitute_days_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]

    __table_args__ = (UniqueConstraint("substitute_id", "day", name="uq_substitute_days_off_substitute_day"),)


class PreferredSubstitute(db.Model):
    """A substitute a school (teacher_id empty) or one teacher asks for first: offered a job alone for a
    while before everyone else is told."""

    __tablename__ = "preferred_substitutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    substitute_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    substitute = relationship("User", foreign_keys=[substitute_id])
    teacher = relationship("User", foreign_keys=[teacher_id])

    __table_args__ = (
        UniqueConstraint("school_id", "teacher_id", "substitute_id", name="uq_preferred_substitutes_who"),
    )


class DoNotSend(db.Model):
    """A substitute a school's admins won't have back. Kept from the substitute: nothing they see says so."""

    __tablename__ = "do_not_send"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    substitute = relationship("User", foreign_keys=[substitute_id])

    __table_args__ = (UniqueConstraint("school_id", "substitute_id", name="uq_do_not_send_school_substitute"),)


class AbsenceReason(db.Model):
    """Why a teacher is away from class, as the district names it: whether an admin must approve it first,
    and the account code payroll charges its cover to. Requests keep the key."""

    __tablename__ = "absence_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(20), unique=True)
    label: Mapped[str] = mapped_column(String(80))
    account_code: Mapped[str] = mapped_column(String(40), default="")
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PayBasis(StrEnum):
    PERIODS = "periods"  # the classes actually covered
    HALF_DAY = "half_day"
    FULL_DAY = "full_day"

    @property
    def label(self) -> str:
        return {"periods": "Periods worked", "half_day": "Half day", "full_day": "Full day"}[self.value]


class CoverVerification(db.Model):
    """An admin's check, after the day, of what one person covered for one teacher: what to pay for it."""

    __tablename__ = "cover_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    cover_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(index=True)
    basis: Mapped[str] = mapped_column(String(12))
    minutes: Mapped[int] = mapped_column(Integer)  # what the basis comes to, before any adjustment
    adjustment_minutes: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(300), default="")
    reasons: Mapped[str] = mapped_column(String(200), default="")  # the reason keys of the classes, comma-separated
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cover = relationship("User", foreign_keys=[cover_id])
    teacher = relationship("User", foreign_keys=[teacher_id])
    school = relationship("School")
    verified_by = relationship("User", foreign_keys=[verified_by_id])

    __table_args__ = (UniqueConstraint("cover_id", "teacher_id", "day", name="uq_cover_verifications_who_when"),)

    @property
    def paid_minutes(self) -> int:
        return max(self.minutes + self.adjustment_minutes, 0)


class SubstituteProfile(db.Model):
    """What a substitute brings beyond the subjects and grade band on their account: certifications and
    languages, shown to admins choosing cover and used to offer the best-matched first."""

    __tablename__ = "substitute_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    certifications: Mapped[str] = mapped_column(String(255), default="")
    languages: Mapped[str] = mapped_column(String(255), default="")
    # Ids of the schools (among those they serve) whose jobs they would rather take, comma-separated.
    preferred_schools: Mapped[str] = mapped_column(String(255), default="")

    @property
    def preferred_school_ids(self) -> set[int]:
        return {int(part) for part in (self.preferred_schools or "").split(",") if part.isdigit()}
