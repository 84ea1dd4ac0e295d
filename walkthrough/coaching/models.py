from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class GoalStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    MET = "met"
    SET_ASIDE = "set_aside"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class CyclePhase(StrEnum):
    """The phases of a coaching cycle: a planning conversation, the lesson taught and seen, the reflecting talk."""

    PLANNING = "planning"
    TEACHING = "teaching"
    REFLECTING = "reflecting"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return {
            "planning": "Planning conversation",
            "teaching": "Teaching and observing",
            "reflecting": "Reflecting conversation",
            "complete": "Complete",
        }[self.value]


class ActivityKind(StrEnum):
    """The roles a peer coach plays, from the district's peer-coaching program."""

    PLANNING = "planning"
    LESSON_DESIGN = "lesson_design"
    RESOURCES = "resources"
    MODELING = "modeling"
    TEAM_TEACHING = "team_teaching"
    ENCOURAGEMENT = "encouragement"
    COHORT_MEETING = "cohort_meeting"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "planning": "Planning",
            "lesson_design": "Lesson design",
            "resources": "Finding resources",
            "modeling": "Modeling a lesson",
            "team_teaching": "Team teaching",
            "encouragement": "Encouragement and support",
            "cohort_meeting": "Cohort meeting",
            "other": "Other",
        }[self.value]


class CaseloadMember(db.Model):
    """A teacher a coach works with. Kept across school years; each year has its own record.

    A coach's request until the teacher accepts it (accepted_at set): until then the coach sees nothing of
    the teacher's record. Declining or ending it deletes the row."""

    __tablename__ = "caseload_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    coachee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    coach = relationship("User", foreign_keys=[coach_id])
    coachee = relationship("User", foreign_keys=[coachee_id])

    __table_args__ = (UniqueConstraint("coach_id", "coachee_id", name="uq_caseload_coach_coachee"),)


class CoachingRecord(db.Model):
    __tablename__ = "coaching_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    coachee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    start_year: Mapped[int] = mapped_column(Integer)  # 2026 for the 2026–27 school year
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    coachee = relationship("User")
    goals: Mapped[list["GrowthGoal"]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="GrowthGoal.id"
    )
    cycles: Mapped[list["CoachingCycle"]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="CoachingCycle.started_on.desc()"
    )
    activities: Mapped[list["CoachingActivity"]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="(CoachingActivity.day.desc(), CoachingActivity.id.desc())",
    )

    __table_args__ = (UniqueConstraint("coachee_id", "start_year", name="uq_coaching_records_coachee_year"),)


class GrowthGoal(db.Model):
    __tablename__ = "growth_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("coaching_records.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default=GoalStatus.NOT_STARTED.value)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    record: Mapped[CoachingRecord] = relationship(back_populates="goals")
    evidence: Mapped[list["GoalEvidence"]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalEvidence.id", lazy="selectin"
    )

    @property
    def status_label(self) -> str:
        return GoalStatus(self.status).label


class GoalEvidence(db.Model):
    """A link to something that shows progress on a goal: a shared visit, a document, a student work sample."""

    __tablename__ = "goal_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("growth_goals.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped[GrowthGoal] = relationship(back_populates="evidence")


class CoachingCycle(db.Model):
    __tablename__ = "coaching_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("coaching_records.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    focus: Mapped[str] = mapped_column(String(300))
    phase: Mapped[str] = mapped_column(String(20), default=CyclePhase.PLANNING.value)
    started_on: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    record: Mapped[CoachingRecord] = relationship(back_populates="cycles")
    coach = relationship("User")

    @property
    def phase_label(self) -> str:
        return CyclePhase(self.phase).label


class CoachingActivity(db.Model):
    """One entry in a coach's log. The notes and next step are the coach's own unless shared with the coachee."""

    __tablename__ = "coaching_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("coaching_records.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(String(500), default="")
    shared_with_coachee: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    record: Mapped[CoachingRecord] = relationship(back_populates="activities")
    coach = relationship("User")

    __table_args__ = (CheckConstraint("minutes BETWEEN 1 AND 600", name="minutes_range"),)

    @property
    def kind_label(self) -> str:
        return ActivityKind(self.kind).label
