"""Feedback and needs-assessment surveys. Who was asked and what was answered are stored apart: an
invitation knows whether its person answered, never what or when; a response knows what, never who or when.
Responses have random ids and answers have none of their own, so not even the order of answering is kept."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class SurveyKind(StrEnum):
    EXIT_SLIP = "exit_slip"
    NEEDS_ASSESSMENT = "needs_assessment"
    PLC_SELF_ASSESSMENT = "plc_self_assessment"
    FEEDBACK = "feedback"

    @property
    def label(self) -> str:
        return {
            SurveyKind.EXIT_SLIP: "Exit slip",
            SurveyKind.NEEDS_ASSESSMENT: "Needs assessment",
            SurveyKind.PLC_SELF_ASSESSMENT: "PLC self-assessment",
            SurveyKind.FEEDBACK: "Feedback",
        }[self]


class Audience(StrEnum):
    MEETING = "meeting"  # who came to a cohort meeting
    TRAINING = "training"  # who took a PD session (logged learning toward it)
    SCHOOL = "school"  # a school's staff
    DISTRICT = "district"  # every school's staff


class QuestionKind(StrEnum):
    CHOICE = "choice"
    SCALE = "scale"
    TEXT = "text"

    @property
    def label(self) -> str:
        return {"choice": "Choose one", "scale": "Scale of 1 to 5", "text": "Open answer"}[self.value]


class Survey(db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    intro: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(12))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("cohort_meetings.id", ondelete="CASCADE"), index=True)
    training_id: Mapped[int | None] = mapped_column(ForeignKey("required_trainings.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    closes_on: Mapped[date | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list["SurveyQuestion"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="SurveyQuestion.position", lazy="selectin"
    )
    school = relationship("School")
    meeting = relationship("CohortMeeting")
    training = relationship("RequiredTraining")
    created_by = relationship("User")

    @property
    def kind_label(self) -> str:
        return SurveyKind(self.kind).label


class SurveyQuestion(db.Model):
    """About the session or the need, never about a named person (checked when it is written)."""

    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    prompt: Mapped[str] = mapped_column(String(300))
    choices: Mapped[list] = mapped_column(JSON, default=list)  # the options, or a scale's two end labels
    required: Mapped[bool] = mapped_column(default=False)

    survey: Mapped[Survey] = relationship(back_populates="questions")

    @property
    def kind_label(self) -> str:
        return QuestionKind(self.kind).label

    @property
    def scale_ends(self) -> tuple[str, str]:
        low, high = (list(self.choices or []) + ["", ""])[:2]
        return low or "Not at all", high or "Very much"


class SurveyInvitation(db.Model):
    """That a person was asked, and whether they have answered. Deliberately no time of answering."""

    __tablename__ = "survey_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answered: Mapped[bool] = mapped_column(default=False)

    survey: Mapped[Survey] = relationship()

    __table_args__ = (UniqueConstraint("survey_id", "user_id", name="uq_survey_invitations_survey_user"),)


class SurveyResponse(db.Model):
    """One person's answers, with nothing about the person. `batch` is set once five or more responses are
    waiting, together: results only ever grow five or more answers at a time, so comparing the results
    before and after someone answered can't pick out their answers."""

    __tablename__ = "survey_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, so the order of answering is lost
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    batch: Mapped[int | None] = mapped_column(Integer)

    answers: Mapped[list["SurveyAnswer"]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(db.Model):
    __tablename__ = "survey_answers"

    response_id: Mapped[str] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    choice: Mapped[str | None] = mapped_column(String(200))
    scale: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint("scale IS NULL OR scale BETWEEN 1 AND 5", name="scale_range"),)
