from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db_types import UTCDateTime, utcnow
from ..extensions import db
from ..protocols.models import ProtocolVersion
from ..schools.models import School


class Observation(db.Model):
    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    protocol_version_id: Mapped[int] = mapped_column(ForeignKey("protocol_versions.id"), index=True)
    focus_question: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_with_host_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_with_coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    host_reply: Mapped[str] = mapped_column(Text, default="")
    host_replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where and on which local date the visit happened, so reports group by the school's calendar.
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"))
    day: Mapped[date | None] = mapped_column()
    # A note started on a phone without signal is named by the phone; the name makes its creation,
    # retried whenever the signal comes and goes, happen exactly once.
    client_key: Mapped[str | None] = mapped_column(String(32))

    observer = relationship("User", foreign_keys=[observer_id])
    host = relationship("User", foreign_keys=[host_id])
    shared_with_coach = relationship("User", foreign_keys=[shared_with_coach_id])
    protocol_version: Mapped[ProtocolVersion] = relationship()
    slots: Mapped[list["NoteSlot"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    evidence: Mapped[list["EvidenceEntry"]] = relationship(
        cascade="all, delete-orphan", order_by="EvidenceEntry.recorded_at", lazy="selectin"
    )
    photos: Mapped[list["Photo"]] = relationship(cascade="all, delete-orphan", order_by="Photo.created_at")

    __table_args__ = (
        Index("ix_observations_school_day", "school_id", "day"),
        Index("ix_observations_observer_day", "observer_id", "day"),
        Index("ix_observations_host_day", "host_id", "day"),
        # Days of every school at once: the part of a month a dashboard's dates cut, counted live.
        Index("ix_observations_day", "day"),
        UniqueConstraint("observer_id", "client_key", name="uq_observations_observer_id_client_key"),
    )

    def slot_values(self) -> dict[str, "NoteSlot"]:
        return {slot.name: slot for slot in self.slots}


@event.listens_for(Observation, "before_insert")
def _place_in_host_school(mapper, connection, observation: Observation) -> None:
    """Every way of starting a visit records the host's school and the local date there."""
    started = observation.started_at = observation.started_at or utcnow()
    found = connection.execute(
        select(User.school_id, School.timezone)
        .outerjoin(School, School.id == User.school_id)
        .where(User.id == observation.host_id)
    ).first()
    if observation.school_id is None and found is not None:
        observation.school_id = found.school_id
    if observation.day is None:
        zone = ZoneInfo(found.timezone) if found is not None and found.timezone else None
        observation.day = started.astimezone(zone).date() if zone else started.date()


class NoteSlot(db.Model):
    """One piece of note text or state: a prompt's answer, an evidence entry's text, a look-for."""

    __tablename__ = "note_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("observation_id", "name", name="uq_note_slots_observation_name"),)


class EvidenceEntry(db.Model):
    __tablename__ = "evidence_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observations.id", ondelete="CASCADE"), index=True)
    field_key: Mapped[str] = mapped_column(String(24))
    # Made by the phone, so a retried request finds the entry it already created.
    client_id: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minute: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (UniqueConstraint("observation_id", "client_id", name="uq_evidence_entries_observation_client"),)

    @property
    def slot(self) -> str:
        return f"evidence:{self.client_id}"


class AppliedChange(db.Model):
    """Idempotency keys of note changes already applied, so a retry is never applied twice."""

    __tablename__ = "applied_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observations.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("observation_id", "key", name="uq_applied_changes_observation_key"),)


class Photo(db.Model):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observations.id", ondelete="CASCADE"), index=True)
    field_key: Mapped[str] = mapped_column(String(24))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Photos taken offline wait on the phone and are sent with a key, so a retried upload adds one photo.
    client_key: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (UniqueConstraint("observation_id", "client_key", name="uq_photos_observation_id_client_key"),)
