"""Professional learning a teacher logs, and the trainings the district requires. Below coaching and cohorts,
which both count it."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class LearningKind(StrEnum):
    PD_SESSION = "pd_session"
    SITE_VISIT = "site_visit"
    CONFERENCE = "conference"
    WEBINAR = "webinar"
    ONLINE_COMMUNITY = "online_community"
    COURSE = "course"
    OTHER = "other"

    @property
    def label(self) -> str:
        return "PD session" if self is LearningKind.PD_SESSION else self.value.replace("_", " ").capitalize()


class LearningSetting(StrEnum):
    """When the learning happened, which is what decides whether it is paid and how ("How many hours? When
    and where does it occur?")."""

    CONTRACT_TIME = "contract_time"
    AFTER_HOURS = "after_hours"
    SUMMER = "summer"

    @property
    def label(self) -> str:
        return {"contract_time": "Contract time", "after_hours": "After hours", "summer": "Summer"}[self.value]


class TrainingAudience(StrEnum):
    ALL_STAFF = "all_staff"
    TEACHERS = "teachers"
    COACHES = "coaches"
    ADMINS = "admins"

    @property
    def label(self) -> str:
        return {"all_staff": "All staff", "teachers": "Teachers", "coaches": "Coaches", "admins": "Admins"}[self.value]


class RequiredTraining(db.Model):
    """A training the district (or one school) requires: so many hours, by a date, of whom."""

    __tablename__ = "required_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date]
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    audience: Mapped[str] = mapped_column(String(12), default=TrainingAudience.ALL_STAFF.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school = relationship("School")

    __table_args__ = (CheckConstraint("minutes BETWEEN 15 AND 12000", name="minutes_range"),)

    @property
    def audience_label(self) -> str:
        return TrainingAudience(self.audience).label


class LearningEntry(db.Model):
    """Professional learning a teacher logs: PD sessions, conferences, webinars, online communities, visits to
    other sites. Peer visits made in Walkthrough are counted automatically and are not logged here."""

    __tablename__ = "learning_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    setting: Mapped[str] = mapped_column(String(16), default=LearningSetting.CONTRACT_TIME.value)
    place: Mapped[str] = mapped_column(String(200), default="")
    training_id: Mapped[int | None] = mapped_column(
        ForeignKey("required_trainings.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    training = relationship(RequiredTraining)

    __table_args__ = (CheckConstraint("minutes BETWEEN 1 AND 1440", name="minutes_range"),)

    @property
    def kind_label(self) -> str:
        return LearningKind(self.kind).label

    @property
    def setting_label(self) -> str:
        return LearningSetting(self.setting).label
