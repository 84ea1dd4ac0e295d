import secrets
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class SignUpStatus(StrEnum):
    CONFIRMED = "confirmed"
    PENDING = "pending"  # holds a seat while the school's admin approves the time away from class
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    DECLINED = "declined"  # booked by a coach, then turned down by the person booked


ACTIVE = (SignUpStatus.CONFIRMED.value, SignUpStatus.PENDING.value, SignUpStatus.WAITLISTED.value)
HOLDS_SEAT = (SignUpStatus.CONFIRMED.value, SignUpStatus.PENDING.value)


def new_series_key() -> str:
    return secrets.token_hex(8)


class VisitSlot(db.Model):
    """A time a host opens their classroom to visitors. Repeats are separate slots sharing a series key,
    so each occurrence can be changed or cancelled on its own."""

    __tablename__ = "visit_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("bell_periods.id", ondelete="SET NULL"))
    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocols.id"), index=True)
    series_key: Mapped[str] = mapped_column(String(16), default=new_series_key, index=True)
    day: Mapped[date] = mapped_column(index=True)  # the school's local date
    local_start: Mapped[time]
    local_end: Mapped[time]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room: Mapped[str] = mapped_column(String(40), default="")
    capacity: Mapped[int] = mapped_column(Integer)
    focus_question: Mapped[str] = mapped_column(Text, default="")
    note_for_visitors: Mapped[str] = mapped_column(Text, default="")
    cutoff_hours: Mapped[int] = mapped_column(Integer, default=0)
    per_person_limit: Mapped[int | None] = mapped_column(Integer)  # sign-ups one person may hold in the series
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # bumped on every change, for calendar updates
    lock_version: Mapped[int] = mapped_column(Integer, default=0)  # written first by a sign-up, to take turns
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    host = relationship("User")
    school = relationship("School")
    period = relationship("BellPeriod")
    protocol = relationship("Protocol")
    signups: Mapped[list["SignUp"]] = relationship(back_populates="slot", order_by="SignUp.id")

    __table_args__ = (
        CheckConstraint("capacity BETWEEN 1 AND 10", name="capacity_range"),
        Index("ix_visit_slots_host_day", "host_id", "day"),
        Index("ix_visit_slots_school_starts", "school_id", "starts_at"),  # a school's open times, soonest first
        CheckConstraint("local_start < local_end", name="times_in_order"),
    )

    @property
    def confirmed(self) -> list["SignUp"]:
        return [s for s in self.signups if s.status == SignUpStatus.CONFIRMED]

    @property
    def holding(self) -> list["SignUp"]:
        """Everyone with a seat, including those waiting for their admin's approval."""
        return [s for s in self.signups if s.status in HOLDS_SEAT]

    @property
    def waitlist(self) -> list["SignUp"]:
        return [s for s in self.signups if s.status == SignUpStatus.WAITLISTED]

    @property
    def seats_left(self) -> int:
        return max(self.capacity - len(self.holding), 0)

    @property
    def has_started(self) -> bool:
        """A visit that has started is history: its bookings, its cover and who was told stay as they were."""
        return self.starts_at <= utcnow()


class SignUp(db.Model):
    __tablename__ = "signups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("visit_slots.id", ondelete="CASCADE"), index=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12))
    observation_id: Mapped[int | None] = mapped_column(ForeignKey("observations.id", ondelete="SET NULL"), index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    slot: Mapped[VisitSlot] = relationship(back_populates="signups")
    observer = relationship("User", foreign_keys=[observer_id])
    booked_by = relationship("User", foreign_keys=[booked_by_id])

    __table_args__ = (
        UniqueConstraint("slot_id", "observer_id", name="uq_signups_slot_observer"),
        Index("ix_signups_observer_status", "observer_id", "status"),  # a person's confirmed visits
        # A district's bookings that happened without notes, read from the index alone (reports).
        Index("ix_signups_status_observation_slot", "status", "observation_id", "slot_id"),
    )

    @property
    def calendar_uid(self) -> str:
        return f"visit-{self.id}@walkthrough"

    # What pages ask of a booking, so templates don't compare status strings.
    @property
    def is_active(self) -> bool:
        """Going, waiting for approval or on the waitlist: the booking still stands."""
        return self.status in ACTIVE

    @property
    def is_confirmed(self) -> bool:
        return self.status == SignUpStatus.CONFIRMED

    @property
    def is_pending(self) -> bool:
        return self.status == SignUpStatus.PENDING

    @property
    def is_waitlisted(self) -> bool:
        return self.status == SignUpStatus.WAITLISTED
