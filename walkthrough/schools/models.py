from datetime import date, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class SchoolLevel(StrEnum):
    ELEMENTARY = "elementary"
    MIDDLE = "middle"
    HIGH = "high"


class Rotation(StrEnum):
    WEEKLY = "weekly"  # periods run on named weekdays
    AB = "ab"  # school days alternate A and B from the first day of the year
    SIX_DAY = "day6"  # school days run Day 1 to Day 6, then start again


class AssignmentKind(StrEnum):
    TEACHING = "teaching"
    PLANNING = "planning"
    DUTY = "duty"


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AB_DAYS = ("A", "B")
# The day types of each rotation, in order: they advance one per day with school (see calendar.py).
ROTATION_DAYS = {Rotation.AB.value: AB_DAYS, Rotation.SIX_DAY.value: ("1", "2", "3", "4", "5", "6")}


def day_type_label(day_type: str) -> str:
    """ "B day", "Day 3"."""
    return f"Day {day_type}" if day_type.isdigit() else f"{day_type} day"


class School(db.Model):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    level: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(80), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    rotation: Mapped[str] = mapped_column(String(10), default=Rotation.WEEKLY.value)
    year_first_day: Mapped[date]
    year_last_day: Mapped[date]
    address: Mapped[str] = mapped_column(String(300), default="")
    release_minutes_default: Mapped[int] = mapped_column(default=480)  # 8 hours of release time a year
    weekly_cover_cap: Mapped[int] = mapped_column(default=3)  # internal covers one colleague does a week
    requires_visit_approval: Mapped[bool] = mapped_column(default=False)  # visits in teaching time

    periods: Mapped[list["BellPeriod"]] = relationship(
        back_populates="school",
        cascade="all, delete-orphan",
        order_by="(BellPeriod.starts_at, BellPeriod.name)",
    )

    __table_args__ = (CheckConstraint("year_first_day < year_last_day", name="year_in_order"),)

    def __repr__(self) -> str:
        return f"<School {self.name}>"


class BellPeriod(db.Model):
    __tablename__ = "bell_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    # Space-separated day tokens: weekdays ("mon tue") for weekly schools, "A"/"B" for A/B rotations.
    days: Mapped[str] = mapped_column(String(40))

    school: Mapped[School] = relationship(back_populates="periods")

    __table_args__ = (
        UniqueConstraint("school_id", "name", name="uq_bell_periods_school_name"),
        CheckConstraint("starts_at < ends_at", name="times_in_order"),
    )

    @property
    def day_tokens(self) -> list[str]:
        return self.days.split()

    @property
    def minutes(self) -> int:
        return (self.ends_at.hour * 60 + self.ends_at.minute) - (self.starts_at.hour * 60 + self.starts_at.minute)


class PeriodAssignment(db.Model):
    """What one staff member does during one bell period: teach a course, plan, or a duty."""

    __tablename__ = "period_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("bell_periods.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    course: Mapped[str] = mapped_column(String(120), default="")
    room: Mapped[str] = mapped_column(String(40), default="")

    period: Mapped[BellPeriod] = relationship(lazy="joined")
    user = relationship("User", backref="period_assignments")

    __table_args__ = (UniqueConstraint("user_id", "period_id", name="uq_period_assignments_user_period"),)


class DayKind(StrEnum):
    CLOSED = "closed"  # no school for students: a holiday, a break, a PD day, a weather closure
    SPECIAL = "special"  # school, on a special bell schedule: early release, late start, assembly
    DAY_TYPE = "day_type"  # "Monday 12 Jan is a B day": the rotation goes on from here


class CalendarDay(db.Model):
    """One date that is not an ordinary school day. A district row (no school) applies to every school;
    a school's own row for the same date replaces it."""

    __tablename__ = "calendar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(120), default="")
    day_type: Mapped[str | None] = mapped_column(String(10))
    # A special day's hours: periods that start at or after school ends (early release), or end before
    # it starts (late start), don't meet.
    starts_at: Mapped[time | None]
    ends_at: Mapped[time | None]

    school: Mapped[School | None] = relationship()

    __table_args__ = (
        UniqueConstraint("school_id", "day", name="uq_calendar_days_school_day"),
        # NULLs never clash in a unique constraint, so the district's own dates need an index of their own.
        Index(
            "uq_calendar_days_district_day",
            "day",
            unique=True,
            sqlite_where=text("school_id IS NULL"),
            postgresql_where=text("school_id IS NULL"),
        ),
    )


class SpecialPeriodTime(db.Model):
    """A period's times on a special day: the school's "Early release" schedule gives each period that
    meets its shorter times. A special day whose name matches a schedule uses it; periods it leaves out
    don't meet that day."""

    __tablename__ = "special_period_times"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    schedule: Mapped[str] = mapped_column(String(60))
    period_id: Mapped[int] = mapped_column(ForeignKey("bell_periods.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[time]
    ends_at: Mapped[time]

    period: Mapped[BellPeriod] = relationship()

    __table_args__ = (
        UniqueConstraint("period_id", "schedule", name="uq_special_period_times_period_schedule"),
        CheckConstraint("starts_at < ends_at", name="special_times_in_order"),
    )
