from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class LearningKind(StrEnum):
    SITE_VISIT = "site_visit"
    CONFERENCE = "conference"
    WEBINAR = "webinar"
    ONLINE_COMMUNITY = "online_community"
    COURSE = "course"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class LearningEntry(db.Model):
    """Professional learning a teacher logs: conferences, webinars, online communities, visits to other sites.
    Peer visits made in Walkthrough are counted automatically and are not logged here."""

    __tablename__ = "learning_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("minutes BETWEEN 1 AND 1440", name="minutes_range"),)

    @property
    def kind_label(self) -> str:
        return LearningKind(self.kind).label
