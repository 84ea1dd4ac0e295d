from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class MeetingMode(StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"

    @property
    def label(self) -> str:
        return "In person" if self is MeetingMode.IN_PERSON else "Virtual"


class Cohort(db.Model):
    """A peer-coaching cohort: colleagues grouped by school level and region, led by a team leader."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(80), default="")
    start_year: Mapped[int] = mapped_column(Integer)
    team_leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    meetings_required: Mapped[int] = mapped_column(Integer, default=4)
    hours_required: Mapped[int] = mapped_column(Integer, default=8)
    plan_due: Mapped[date | None] = mapped_column()  # when members' growth plans are due, if the district set it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team_leader = relationship("User")
    members: Mapped[list["CohortMember"]] = relationship(back_populates="cohort", cascade="all, delete-orphan")
    meetings: Mapped[list["CohortMeeting"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortMeeting.day"
    )

    __table_args__ = (
        UniqueConstraint("name", "start_year", name="uq_cohorts_name_year"),
        CheckConstraint("meetings_required BETWEEN 0 AND 20", name="meetings_required_range"),
        CheckConstraint("hours_required BETWEEN 0 AND 200", name="hours_required_range"),
    )


class CohortMember(db.Model):
    __tablename__ = "cohort_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    plan_file: Mapped[str | None] = mapped_column(String(60))  # stored name, outside static/
    plan_name: Mapped[str] = mapped_column(String(200), default="")
    plan_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    user = relationship("User")

    __table_args__ = (UniqueConstraint("cohort_id", "user_id", name="uq_cohort_members_cohort_user"),)


class CohortMeeting(db.Model):
    __tablename__ = "cohort_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    mode: Mapped[str] = mapped_column(String(12), default=MeetingMode.IN_PERSON.value)
    place: Mapped[str] = mapped_column(String(300), default="")  # a room and address, or a video link
    topic: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="meetings")
    attendance: Mapped[list["MeetingAttendance"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def mode_label(self) -> str:
        return MeetingMode(self.mode).label


class MeetingAttendance(db.Model):
    """Who came to a meeting, and the reflection each of them writes afterwards (theirs and the leader's to read)."""

    __tablename__ = "meeting_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("cohort_meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    attended: Mapped[bool] = mapped_column(default=False)
    reflection: Mapped[str] = mapped_column(Text, default="")
    reflected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[CohortMeeting] = relationship(back_populates="attendance")
    user = relationship("User")

    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_meeting_attendance_meeting_user"),)
