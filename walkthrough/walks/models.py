"""Building walkthroughs: a team visits many classrooms briefly and looks at the school, not at teachers.

A classroom visit stores no teacher, room, period or time of day: only the walk, the day, an optional grade
band and subject area, and what was seen. Nothing here can say whose classroom it was."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, ForeignKeyConstraint, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class WalkKind(StrEnum):
    BLAST = "blast"
    LEARNING_WALK = "learning_walk"
    ROUNDS = "rounds"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    WalkKind.BLAST: "Blast Walkthrough",
    WalkKind.LEARNING_WALK: "Learning walk",
    WalkKind.ROUNDS: "Instructional rounds",
}


class MarkState(StrEnum):
    SEEN = "seen"
    NOT_SEEN = "not_seen"
    NOT_APPLICABLE = "not_applicable"


# Broad on purpose: a finer band or a named course would point at one teacher in a small school.
GRADE_BANDS = ("PreK-2", "3-5", "6-8", "9-12")
SUBJECT_AREAS = (
    "English language arts",
    "Math",
    "Science",
    "Social studies",
    "World languages",
    "Arts",
    "Health and PE",
    "Career and technical",
    "Special education",
    "Other",
)


class WalkTool(db.Model):
    """A named set of look-fors tied to a school goal. Built-ins have a slug and never change; copies do."""

    __tablename__ = "walk_tools"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str | None] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    # [{"key": "a1b2", "text": "Students explain their thinking"}, ...]; keys stay when the text is edited.
    look_fors: Mapped[list] = mapped_column(JSON)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("walk_tools.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner = relationship("User")

    @property
    def is_built_in(self) -> bool:
        return self.slug is not None


class Walk(db.Model):
    __tablename__ = "walks"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    tool_id: Mapped[int | None] = mapped_column(ForeignKey("walk_tools.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    focus: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # The tool's look-fors when the walk was planned: a later edit of the tool never changes a walk.
    look_fors: Mapped[list] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    school = relationship("School")
    tool = relationship(WalkTool)
    created_by = relationship("User")
    team: Mapped[list["WalkTeamMember"]] = relationship(back_populates="walk", cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return WalkKind(self.kind).label

    @property
    def title(self) -> str:
        return f"{self.kind_label}: {self.focus}"

    def look_for_text(self, key: str) -> str:
        return next((item["text"] for item in self.look_fors if item["key"] == key), "")


class WalkTeamMember(db.Model):
    __tablename__ = "walk_team"

    walk_id: Mapped[int] = mapped_column(ForeignKey("walks.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)

    walk: Mapped[Walk] = relationship(back_populates="team")
    user = relationship("User", lazy="joined")


class WalkClassroom(db.Model):
    """One classroom visited on a walk. Deliberately no teacher, room, period or timestamp (see above).
    `walker_id` is who captured it, so their evidence stays theirs; `client_key` makes a phone's resend of
    the same capture (after a dropped connection) land once."""

    __tablename__ = "walk_classrooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    walk_id: Mapped[int] = mapped_column(ForeignKey("walks.id", ondelete="CASCADE"), index=True)
    walker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    client_key: Mapped[str] = mapped_column(String(40))
    visited_on: Mapped[date]
    grade_band: Mapped[str | None] = mapped_column(String(10))
    subject_area: Mapped[str | None] = mapped_column(String(40))
    # Low-inference evidence for the walker's own memory: shown to them alone, never pooled or exported.
    evidence: Mapped[str] = mapped_column(Text, default="")

    marks: Mapped[list["WalkMark"]] = relationship(back_populates="classroom", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("walk_id", "client_key", name="uq_walk_classrooms_walk_client_key"),
        UniqueConstraint("id", "walk_id", name="uq_walk_classrooms_id_walk_id"),  # what a mark's key points at
    )


class WalkMark(db.Model):
    __tablename__ = "walk_marks"

    classroom_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    look_for_key: Mapped[str] = mapped_column(String(24), primary_key=True)
    # The classroom's walk again, so results read a school's marks by index rather than scanning the district's
    # (PostgreSQL chose a full scan of 66,000 marks for a school's 1,320: 14 ms a breakdown). It is part of the
    # key to the classroom, so the database refuses a copy that disagrees and the ORM fills it in from the
    # classroom.
    walk_id: Mapped[int] = mapped_column(Integer, index=True)
    state: Mapped[str] = mapped_column(String(16))
    tally: Mapped[int | None] = mapped_column(Integer)

    classroom: Mapped[WalkClassroom] = relationship(back_populates="marks")

    __table_args__ = (
        ForeignKeyConstraint(
            ["classroom_id", "walk_id"],
            ["walk_classrooms.id", "walk_classrooms.walk_id"],
            name="fk_walk_marks_classroom_walk",
            ondelete="CASCADE",
        ),
    )


class WalkSummary(db.Model):
    """ "We noticed": the team's building-level summary, sent to the school's staff."""

    __tablename__ = "walk_summaries"

    walk_id: Mapped[int] = mapped_column(ForeignKey("walks.id", ondelete="CASCADE"), primary_key=True)
    noticed: Mapped[str] = mapped_column(Text, default="")
    wondered: Mapped[str] = mapped_column(Text, default="")
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    walk = relationship(Walk, backref=db.backref("summary", uselist=False, cascade="all, delete-orphan"))
    written_by = relationship("User")
